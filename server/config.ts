import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
  /**
   * Trust X-Forwarded-For/-Proto from a reverse proxy (nginx): client IPs for the login rate
   * limit and HTTPS detection for Secure cookies come from there. Only enable behind a proxy.
   */
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1')
    .default(false),
  /** Directory for uploaded images (content-addressed files); default: "uploads" next to the database. */
  UPLOAD_DIR: z.string().min(1).optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  databasePath: string;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  trustProxy: boolean;
  uploadDir: string;
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
  const { PORT, HOST, DATABASE_PATH, PUBLIC_URL, LOG_LEVEL, TRUST_PROXY, UPLOAD_DIR } = parsed.data;
  const databasePath = DATABASE_PATH === ':memory:' ? DATABASE_PATH : resolve(DATABASE_PATH);
  return {
    port: PORT,
    host: HOST,
    databasePath,
    publicUrl: PUBLIC_URL,
    logLevel: LOG_LEVEL,
    trustProxy: TRUST_PROXY,
    uploadDir: resolve(UPLOAD_DIR ?? (databasePath === ':memory:' ? './data/uploads' : join(dirname(databasePath), 'uploads'))),
  };
}

export function ensureDatabaseDirectory(databasePath: string): void {
  if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
}
