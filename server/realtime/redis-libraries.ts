import type { createAdapter } from '@socket.io/redis-streams-adapter';
import type { createClient } from 'redis';

/**
 * The Redis client and Socket.IO's Redis streams adapter, loaded only when REDIS_URL is set. A
 * single server (the default) never uses them, and loading them was about 80 ms of its start-up:
 * a twentieth of the outage every reader sees when it restarts for a deploy.
 */
export type RedisLibraries = { createClient: typeof createClient; createAdapter: typeof createAdapter };

export async function loadRedisLibraries(redisUrl: string | undefined): Promise<RedisLibraries | undefined> {
  if (!redisUrl) return undefined;
  const [{ createClient }, { createAdapter }] = await Promise.all([import('redis'), import('@socket.io/redis-streams-adapter')]);
  return { createClient, createAdapter };
}
