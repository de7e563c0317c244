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
  /** Origins allowed to frame the embed page (/posts/:slug/embed), comma-separated, e.g. https://news.example.com. */
  EMBED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must list origins such as https://news.example.com, comma-separated' })))
    .transform((origins) => origins.map((origin) => new URL(origin).origin))
    .default([]),
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
  /** Directory for scheduled online backups; unset turns them off. */
  BACKUP_DIR: z.string().min(1).optional(),
  /** Time between scheduled backups: seconds, or a number with s, m, h or d (e.g. 30m, 6h). */
  BACKUP_INTERVAL: z
    .string()
    .regex(/^\d+\s*[smhd]?$/i, 'must be a duration such as 3600, 30m, 6h or 1d')
    .transform(parseDuration)
    .refine((ms) => ms >= 1000, 'must be at least one second')
    .default(60 * 60 * 1000),
  /** How many scheduled backups to keep; older ones are deleted. */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
  /**
   * Extra browser origins allowed to open a Socket.IO connection (comma-separated), e.g. a site
   * that embeds the reader. The server's own origin (Host header, PUBLIC_URL) is always allowed.
   */
  ALLOWED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be comma-separated http(s) origins' }).transform((url) => new URL(url).origin)))
    .default([]),
  /** Writes (POST/PATCH/DELETE under /api/) each API token (or address, when anonymous) may make per minute. */
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Socket.IO connections one client address may hold at once; 0 disables the cap. */
  SOCKET_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(200),
  /** Events (subscribe, unsubscribe...) one socket may send per 10 seconds; beyond, they are refused. */
  SOCKET_MAX_EVENTS_PER_10S: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Event-loop delay (ms) above which new reads get 503 + Retry-After; 0 disables load shedding. */
  LOAD_SHED_READ_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  /** Event-loop delay (ms) above which new writes are refused too; 0 never refuses writes. */
  LOAD_SHED_WRITE_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** Whole-request deadline (ms): a client that has not sent its request by then is cut off. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  /** Deadline (ms) for a client to send the request headers (slow-loris protection). */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(15_000),
  /** How long (ms) an idle keep-alive connection stays open. */
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(10_000),
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

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(text)!;
  return Number(match[1]) * UNIT_MS[(match[2] || 's').toLowerCase()]!;
}

export type Config = {
  port: number;
  host: string;
  databasePath: string;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  embedOrigins: string[];
  /** Scheduled backups, when BACKUP_DIR is set. */
  backup?: { dir: string; intervalMs: number; keep: number } | undefined;
  trustProxy: boolean;
  uploadDir: string;
  allowedOrigins: string[];
  rateLimit: { writesPerMinute: number };
  socket: { maxConnectionsPerIp: number; maxEventsPer10s: number };
  loadShedding: { readDelayMs: number; writeDelayMs: number };
  timeouts: { requestMs: number; headersMs: number; keepAliveMs: number };
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
  const { PORT, HOST, DATABASE_PATH, PUBLIC_URL, LOG_LEVEL, EMBED_ORIGINS, BACKUP_DIR, BACKUP_INTERVAL, BACKUP_KEEP, TRUST_PROXY, UPLOAD_DIR } = parsed.data;
  const { REDIS_URL, ROLE, PRIMARY_URL } = parsed.data;
  const databasePath = DATABASE_PATH === ':memory:' ? DATABASE_PATH : resolve(DATABASE_PATH);
  const data = parsed.data;
  return {
    port: PORT,
    host: HOST,
    databasePath,
    publicUrl: PUBLIC_URL,
    logLevel: LOG_LEVEL,
    embedOrigins: EMBED_ORIGINS,
    backup: BACKUP_DIR ? { dir: resolve(BACKUP_DIR), intervalMs: BACKUP_INTERVAL, keep: BACKUP_KEEP } : undefined,
    trustProxy: TRUST_PROXY,
    uploadDir: resolve(UPLOAD_DIR ?? (databasePath === ':memory:' ? './data/uploads' : join(dirname(databasePath), 'uploads'))),
    allowedOrigins: data.ALLOWED_ORIGINS,
    rateLimit: { writesPerMinute: data.RATE_LIMIT_WRITES_PER_MINUTE },
    socket: { maxConnectionsPerIp: data.SOCKET_MAX_CONNECTIONS_PER_IP, maxEventsPer10s: data.SOCKET_MAX_EVENTS_PER_10S },
    loadShedding: { readDelayMs: data.LOAD_SHED_READ_DELAY_MS, writeDelayMs: data.LOAD_SHED_WRITE_DELAY_MS },
    timeouts: { requestMs: data.REQUEST_TIMEOUT_MS, headersMs: data.HEADERS_TIMEOUT_MS, keepAliveMs: data.KEEP_ALIVE_TIMEOUT_MS },
    redisUrl: REDIS_URL,
    role: ROLE,
    primaryUrl: PRIMARY_URL,
  };
}

export function ensureDatabaseDirectory(databasePath: string): void {
  if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
}
