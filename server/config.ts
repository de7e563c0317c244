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
  /** Origins allowed to frame the embed page (/posts/:slug/embed), comma-separated, e.g. https://news.example.com. */
  EMBED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must list origins such as https://news.example.com, comma-separated' })))
    .transform((origins) => origins.map((origin) => new URL(origin).origin))
    .default([]),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  databasePath: string;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  embedOrigins: string[];
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset" (a blank line in a .env file should not override a default).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { PORT, HOST, DATABASE_PATH, PUBLIC_URL, LOG_LEVEL, EMBED_ORIGINS } = parsed.data;
  return {
    port: PORT,
    host: HOST,
    databasePath: DATABASE_PATH === ':memory:' ? DATABASE_PATH : resolve(DATABASE_PATH),
    publicUrl: PUBLIC_URL,
    logLevel: LOG_LEVEL,
    embedOrigins: EMBED_ORIGINS,
  };
}

export function ensureDatabaseDirectory(databasePath: string): void {
  if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
}
