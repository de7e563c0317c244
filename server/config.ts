import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting comes from the environment and is validated here, once, at start-up.
 * A bad value stops the process with a message that names the variable.
 */
const envSchema = z.object({
  /** TCP port the HTTP and Socket.IO server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; 127.0.0.1 keeps a fresh install private, 0.0.0.0 exposes it. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** SQLite database file; its directory is created when missing. */
  DATABASE_PATH: z.string().min(1).default('./data/liveline.db'),
  /** Public origin used for canonical links and feeds, e.g. https://live.example.com. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://live.example.com' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Redis for scale-out (redis://host:6379): Socket.IO then uses the Redis streams adapter. Unset: one process, in-memory. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379' }).optional(),
  /** primary owns the database and all writes; fanout only holds reader sockets (needs REDIS_URL and PRIMARY_URL). */
  ROLE: z.enum(['primary', 'fanout']).default('primary'),
  /** Where a fan-out node reaches the primary over HTTP (post look-ups and catch-up), e.g. http://primary:3000. */
  PRIMARY_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://primary:3000' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
});

const clusterRules = envSchema.superRefine((env, ctx) => {
  if (env.ROLE !== 'fanout') return;
  if (!env.REDIS_URL) ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required when ROLE=fanout (fan-out nodes receive changes through Redis)' });
  if (!env.PRIMARY_URL) ctx.addIssue({ code: 'custom', path: ['PRIMARY_URL'], message: 'is required when ROLE=fanout (fan-out nodes look posts up on the primary)' });
});

export type Config = {
  port: number;
  host: string;
  databasePath: string;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Scale-out settings; absent in the embedded default (one process, no Redis). */
  redisUrl?: string | undefined;
  role?: 'primary' | 'fanout';
  primaryUrl?: string | undefined;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset" (a blank line in a .env file should not override a default).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = clusterRules.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { PORT, HOST, DATABASE_PATH, PUBLIC_URL, LOG_LEVEL, REDIS_URL, ROLE, PRIMARY_URL } = parsed.data;
  return {
    port: PORT,
    host: HOST,
    databasePath: DATABASE_PATH === ':memory:' ? DATABASE_PATH : resolve(DATABASE_PATH),
    publicUrl: PUBLIC_URL,
    logLevel: LOG_LEVEL,
    redisUrl: REDIS_URL,
    role: ROLE,
    primaryUrl: PRIMARY_URL,
  };
}

export function ensureDatabaseDirectory(databasePath: string): void {
  if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
}
