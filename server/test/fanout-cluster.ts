import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from '../../scripts/cluster/topology.js';
import { buildFanoutApp } from '../fanout.js';
import { createTestApp, type TestApp, testConfig, until } from './helpers.js';

/**
 * The scale-out stack for integration tests, in this process: a real redis-server (spawned on a
 * free port, nothing saved), a primary (createTestApp) and a fan-out node (buildFanoutApp), each
 * listening on 127.0.0.1, started once the node is ready (Redis connected and the primary's beat
 * seen, so changes flow to it). Tests that need it skip without redis-server, except in CI.
 */
export const hasRedis = spawnSync('/bin/sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;

export type FanoutCluster = {
  primary: TestApp;
  fanout: FastifyInstance;
  primaryUrl: string;
  fanoutUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
};

export async function startFanoutCluster(
  name: string,
  options: {
    /** Extra settings for the fan-out node (ROLE, REDIS_URL and PRIMARY_URL are set). */
    fanoutEnv?: Record<string, string>;
    /** Called on the fan-out node before it listens (e.g. to add a test route). */
    beforeListen?: (fanout: FastifyInstance) => void;
  } = {},
): Promise<FanoutCluster> {
  const dir = mkdtempSync(join(tmpdir(), `liveline-${name}-`));
  const redisPort = await freePort();
  const redis: ChildProcess = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  await until(() => redisAnswers(redisUrl), 'redis-server', 15_000);
  const primary = await createTestApp({ REDIS_URL: redisUrl });
  await primary.app.listen({ port: 0, host: '127.0.0.1' });
  const primaryUrl = `http://127.0.0.1:${(primary.app.server.address() as AddressInfo).port}`;
  const fanout = await buildFanoutApp({ config: testConfig(dir, { ROLE: 'fanout', REDIS_URL: redisUrl, PRIMARY_URL: primaryUrl, ...options.fanoutEnv }), logger: false });
  options.beforeListen?.(fanout);
  await fanout.listen({ port: 0, host: '127.0.0.1' });
  const fanoutUrl = `http://127.0.0.1:${(fanout.server.address() as AddressInfo).port}`;
  await until(async () => (await fetch(`${fanoutUrl}/readyz`).catch(() => undefined))?.ok === true, 'the fan-out node to be ready', 20_000);
  return {
    primary,
    fanout,
    primaryUrl,
    fanoutUrl,
    redisUrl,
    async stop() {
      await fanout.close();
      await primary.close();
      redis.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The stack for one test file: started before its tests (unless redis-server is missing outside
 * CI, when the file's tests skip) and stopped after them; after-hooks the file registers later run
 * first (vitest runs them as a stack), so its own sockets close before the stack does. Its parts
 * are read through the returned object once started.
 */
export function useFanoutCluster(name: string, options: Parameters<typeof startFanoutCluster>[1] = {}): Omit<FanoutCluster, 'stop'> {
  let cluster: FanoutCluster | undefined;
  beforeAll(async () => {
    if (!hasRedis && !process.env.CI) return;
    cluster = await startFanoutCluster(name, options);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  const started = (): FanoutCluster => {
    if (!cluster) throw new Error(`the ${name} stack has not started`);
    return cluster;
  };
  return {
    get primary() {
      return started().primary;
    },
    get fanout() {
      return started().fanout;
    },
    get primaryUrl() {
      return started().primaryUrl;
    },
    get fanoutUrl() {
      return started().fanoutUrl;
    },
    get redisUrl() {
      return started().redisUrl;
    },
  };
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 500 } });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}
