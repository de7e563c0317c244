import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { canonicalLanguage } from '../contract/i18n/languages.js';
import { NO_PROXY, parseProxyTrust } from './domain/proxies.js';

/**
 * Every setting comes from the environment and is validated here, once, at start-up; a bad value
 * stops the process with a message that names the variable.
 *
 * One schema says everything about a variable: its validation, its default and its description
 * (`.meta`). Its last step, a `.transform()`, groups the variables into the `Config` the rest of
 * the server reads, so `Config` is derived from the schema (`z.output`) rather than written a
 * second time. `CONFIG_VARIABLES` lists the variables from the same schema; config.test.ts checks
 * README's table against it.
 */

const variables = {
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).meta({ description: 'TCP port the HTTP and Socket.IO server listens on.' }),
  HOST: z.string().min(1).default('127.0.0.1').meta({ description: 'Interface to bind; 127.0.0.1 keeps a fresh install private, 0.0.0.0 exposes it.' }),
  DATABASE_PATH: z.string().min(1).default('./data/liveline.db').meta({ description: 'SQLite database file; its directory is created when missing.' }),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://live.example.com' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional()
    .meta({ description: "Public origin, e.g. https://live.example.com: every absolute link is built from it, never from a request's Host header. Required when HOST is not a loopback address." }),
  EMBED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must list origins such as https://news.example.com, comma-separated' })))
    .transform((origins) => origins.map((origin) => new URL(origin).origin))
    .default([])
    .meta({ description: 'Origins allowed to frame the embed page (/posts/:slug/embed), comma-separated, e.g. https://news.example.com.' }),
  TRUST_PROXY: z
    .string()
    .transform((value, ctx) => {
      const trust = parseProxyTrust(value);
      if (!trust) ctx.addIssue({ code: 'custom', message: 'must be false, true (one proxy hop), a number of hops, or comma-separated proxy addresses/subnets such as 10.0.0.0/8' });
      return trust ?? NO_PROXY;
    })
    .prefault('false')
    .meta({
      description:
        'Which reverse proxies to believe about client addresses (X-Forwarded-For) and HTTPS (X-Forwarded-Proto): false, true (the one proxy in front, e.g. nginx), a number of hops, or proxy addresses/subnets. Only the trusted hops are read; a client cannot add its own.',
    }),
  UPLOAD_DIR: z.string().min(1).optional().meta({ description: 'Directory for uploaded images (content-addressed files); default: "uploads" next to the database.' }),
  UPLOAD_QUOTA_PER_USER_MB: z.coerce.number().int().min(0).max(1_000_000_000).default(1024).meta({ description: 'Megabytes of stored images one person may have uploaded (their files still kept); beyond, 413. 0 = no limit.' }),
  UPLOAD_QUOTA_TOTAL_MB: z.coerce.number().int().min(0).max(1_000_000_000).default(10_240).meta({ description: 'Megabytes of stored images in all; beyond, uploads get 507. 0 = no limit.' }),
  UPLOAD_MIN_FREE_DISK_MB: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000_000)
    .default(1024)
    .meta({ description: "Uploads are refused (507) when they would leave less than this many megabytes free on UPLOAD_DIR's disk, so the database keeps room to write. 0 = no check." }),
  UPLOAD_GRACE_PERIOD: z
    .string()
    .regex(/^\d+\s*[smhd]?$/i, 'must be a duration such as 24h or 2d')
    .transform(parseDuration)
    .refine((ms) => ms >= 3_600_000, 'must be at least an hour (an image is uploaded before the entry that shows it is sent)')
    .prefault('24h')
    .meta({ description: 'How long an uploaded image that no entry, revision or post mentions is kept after its last upload; then the hourly housekeeping deletes it.' }),
  DEFAULT_LANGUAGE: z
    .string()
    .transform((value, ctx) => {
      const canonical = canonicalLanguage(value);
      if (canonical === undefined) ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as en, de, fr-CA or pt-BR' });
      return canonical ?? 'en';
    })
    .prefault('en')
    .meta({ description: "The language (BCP 47) of posts that do not choose their own, and of the home page: interface strings, dates, lang/dir, JSON-LD and feeds. Interface strings exist in en, de, fr, es, it, pt, nl, ja and ar; other tags use their base language's, else English." }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').meta({ description: 'pino log level.' }),
  BACKUP_DIR: z.string().min(1).optional().meta({ description: 'Directory for scheduled online backups; unset turns them off.' }),
  // A prefault is parsed like a value that was set, so the default reads as an operator writes it.
  BACKUP_INTERVAL: z
    .string()
    .regex(/^\d+\s*[smhd]?$/i, 'must be a duration such as 3600, 30m, 6h or 1d')
    .transform(parseDuration)
    .refine((ms) => ms >= 1000, 'must be at least one second')
    .prefault('1h')
    .meta({ description: 'Time between scheduled backups: seconds, or a number with s, m, h or d (e.g. 30m, 6h).' }),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7).meta({ description: 'How many scheduled backups to keep; older ones are deleted.' }),
  ALLOWED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be comma-separated http(s) origins' }).transform((url) => new URL(url).origin)))
    .default([])
    .meta({
      description:
        "Extra browser origins allowed to open a Socket.IO connection (comma-separated), e.g. a site that embeds the reader. The server's own origin (Host header, PUBLIC_URL) is always allowed.",
    }),
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120).meta({ description: 'Writes (POST/PUT/PATCH/DELETE under /api/) one person may make per minute, across every route; anonymous requests count per address, apart.' }),
  READER_WRITES_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(600)
    .meta({ description: "Reactions, votes and questions one client address may send per minute (issue 19), apart from RATE_LIMIT_WRITES_PER_MINUTE's budget: readers behind one address (a venue's Wi-Fi) share it." }),
  QUESTION_RETENTION: z
    .string()
    .regex(/^\d+\s*[smhd]?$/i, 'must be a duration such as 30d or 72h')
    .transform(parseDuration)
    .refine((ms) => ms >= 60_000, 'must be at least a minute')
    .prefault('30d')
    .meta({ description: 'How long a reader\'s question to the desk (personal data: name, text, address) is kept unless published or deleted sooner; then the hourly purge deletes it.' }),
  QUESTION_MIN_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(3)
    .meta({ description: 'A question sent sooner than this after its form was opened is refused (422 too-fast): people take a few seconds to write, scripts do not. 0 turns the check off.' }),
  QUESTIONS_PER_10_MINUTES: z.coerce.number().int().min(1).max(1_000_000).default(10).meta({ description: 'Questions one client address may send to the desk per 10 minutes (on top of READER_WRITES_PER_MINUTE); 429 beyond.' }),
  PUSH_SERVICE_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?$/i, 'must list origins such as https://fcm.googleapis.com or https://*.push.apple.com, comma-separated')))
    .prefault('https://fcm.googleapis.com,https://updates.push.services.mozilla.com,https://web.push.apple.com,https://*.push.apple.com,https://*.notify.windows.com')
    .meta({ description: 'The push services (origins, `*.` for any subdomain) a reader\'s alert subscription may point at; the server sends alerts only there, so a subscription cannot make it call anything else.' }),
  PUSH_CONTACT: z
    .string()
    .regex(/^(mailto:.+|https:\/\/.+)$/, 'must be a mailto: address or an https: URL')
    .optional()
    .meta({ description: 'How push services reach the operator (VAPID subject): mailto:ops@example.com or an https URL; default PUBLIC_URL when it is https, else mailto:webmaster@ its host name.' }),
  SOCKET_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).max(1_000_000).default(200).meta({ description: 'Socket.IO connections one client address may hold at once; 0 disables the cap.' }),
  SOCKET_MAX_BUFFERED_KB: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_048_576)
    .refine((kb) => kb === 0 || kb >= 256, "must be 0 (no cap) or at least 256: a reconnecting reader's replay (up to 128 KiB, or one large change) must fit")
    .default(512)
    .meta({ description: 'Unsent data (KiB) the server may hold for one reader; a reader beyond it has stopped reading and is disconnected, to reconnect and catch up. 0 disables the cap.' }),
  SOCKET_MAX_EVENTS_PER_10S: z.coerce.number().int().min(1).max(100_000).default(30).meta({ description: 'Events (subscribe, unsubscribe...) one socket may send per 10 seconds; beyond, they are refused.' }),
  LOAD_SHED_READ_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1000).meta({ description: 'Event-loop delay (ms) above which new reads get 503 + Retry-After; 0 disables load shedding.' }),
  LOAD_SHED_WRITE_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(5000).meta({ description: 'Event-loop delay (ms) above which new writes are refused too; 0 never refuses writes.' }),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000).meta({ description: 'Whole-request deadline (ms): a client that has not sent its request by then is cut off.' }),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(15_000).meta({ description: 'Deadline (ms) for a client to send the request headers (slow-loris protection).' }),
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(10_000).meta({ description: 'How long (ms) an idle keep-alive connection stays open.' }),
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .meta({ description: 'A secret for /metrics and /readyz from other machines (Authorization: Bearer <token>); unset, they answer only this machine (loopback).' }),
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000).meta({ description: 'How often (ms) an idle Server-Sent Events stream gets a comment line, so proxies and clients see it alive.' }),
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .prefault('false')
    .meta({ description: 'Allow webhook endpoints on loopback, private, link-local and other internal addresses (a newsroom receiver inside its own network); off, they are refused when registered and when delivered (after DNS).' }),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(86_400_000).default(5_000).meta({ description: 'First retry delay (ms) of a failed webhook delivery; each further failure doubles it, with jitter, up to WEBHOOK_RETRY_MAX_MS.' }),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000).meta({ description: 'Longest delay (ms) between two attempts of a failing webhook delivery; it is retried at this pace until it succeeds, the endpoint is paused, or replayed.' }),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000).meta({ description: 'How long (ms) a webhook receiver has to answer one delivery before it counts as failed.' }),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379' })
    .optional()
    .meta({ description: 'Redis for scale-out (redis://host:6379): Socket.IO then uses the Redis streams adapter. Unset: one process, in-memory.' }),
  ROLE: z
    .enum(['primary', 'fanout'])
    .default('primary')
    .meta({ description: 'primary owns the database and all writes; fanout only holds reader sockets (needs REDIS_URL and PRIMARY_URL).' }),
  PRIMARY_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://primary:3000' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional()
    .meta({ description: 'Where a fan-out node reaches the primary over HTTP (post look-ups and catch-up), e.g. http://primary:3000.' }),
};

/** Hosts only this machine can reach. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const MB = 1024 * 1024;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseDuration(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(text)!;
  return Number(match[1]) * UNIT_MS[(match[2] || 's').toLowerCase()]!;
}

const configSchema = z
  .object(variables)
  .superRefine((env, ctx) => {
    // Absolute links are built from PUBLIC_URL, never from a request's Host header (which anyone
    // can forge); only a server reachable from this machine alone may do without it.
    if (!env.PUBLIC_URL && !LOOPBACK.has(env.HOST)) {
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: `is required when HOST is not a loopback address (HOST=${env.HOST}): set it to the address readers use, e.g. https://live.example.com` });
    }
    if (env.ROLE !== 'fanout') return;
    if (!env.REDIS_URL) ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required when ROLE=fanout (fan-out nodes receive changes through Redis)' });
    if (!env.PRIMARY_URL) ctx.addIssue({ code: 'custom', path: ['PRIMARY_URL'], message: 'is required when ROLE=fanout (fan-out nodes look posts up on the primary)' });
  })
  .transform((env) => {
    const databasePath = env.DATABASE_PATH === ':memory:' ? env.DATABASE_PATH : resolve(env.DATABASE_PATH);
    return {
      logLevel: env.LOG_LEVEL,
      /** The HTTP server: where it listens, how it sees clients, what it refuses. */
      http: {
        port: env.PORT,
        host: env.HOST,
        publicUrl: env.PUBLIC_URL,
        trustProxy: env.TRUST_PROXY,
        metricsToken: env.METRICS_TOKEN,
        embedOrigins: env.EMBED_ORIGINS,
        timeouts: { requestMs: env.REQUEST_TIMEOUT_MS, headersMs: env.HEADERS_TIMEOUT_MS, keepAliveMs: env.KEEP_ALIVE_TIMEOUT_MS },
        rateLimit: { writesPerMinute: env.RATE_LIMIT_WRITES_PER_MINUTE, readerWritesPerMinute: env.READER_WRITES_PER_MINUTE },
        loadShedding: { readDelayMs: env.LOAD_SHED_READ_DELAY_MS, writeDelayMs: env.LOAD_SHED_WRITE_DELAY_MS },
      },
      /** Socket.IO's guards. */
      socket: {
        allowedOrigins: env.ALLOWED_ORIGINS,
        maxConnectionsPerIp: env.SOCKET_MAX_CONNECTIONS_PER_IP,
        maxEventsPer10s: env.SOCKET_MAX_EVENTS_PER_10S,
        maxBufferedKb: env.SOCKET_MAX_BUFFERED_KB,
      },
      /** Files on disk: the database, uploaded images (and their quotas) and, when BACKUP_DIR is set, scheduled backups. */
      storage: {
        databasePath,
        uploads: {
          dir: resolve(env.UPLOAD_DIR ?? (databasePath === ':memory:' ? './data/uploads' : join(dirname(databasePath), 'uploads'))),
          /** 0 means no limit. */
          quota: { perUserBytes: env.UPLOAD_QUOTA_PER_USER_MB * MB, totalBytes: env.UPLOAD_QUOTA_TOTAL_MB * MB, minFreeDiskBytes: env.UPLOAD_MIN_FREE_DISK_MB * MB },
          graceMs: env.UPLOAD_GRACE_PERIOD,
        },
        backup: env.BACKUP_DIR ? { dir: resolve(env.BACKUP_DIR), intervalMs: env.BACKUP_INTERVAL, keep: env.BACKUP_KEEP } : undefined,
      },
      /** Readers taking part (issue 19): questions to the desk. */
      participation: {
        push: { serviceOrigins: env.PUSH_SERVICE_ORIGINS, contact: env.PUSH_CONTACT ?? (env.PUBLIC_URL?.startsWith('https://') ? env.PUBLIC_URL : `mailto:webmaster@${env.PUBLIC_URL ? new URL(env.PUBLIC_URL).hostname : 'localhost'}`) },
        questionRetentionMs: env.QUESTION_RETENTION, questionMinMs: env.QUESTION_MIN_SECONDS * 1000, questionsPer10Minutes: env.QUESTIONS_PER_10_MINUTES },
      /** What readers see around the posts: the site's default language (branding is set in the newsroom, site_settings). */
      site: { defaultLanguage: env.DEFAULT_LANGUAGE },
      /** Partners following posts: Server-Sent Events and webhooks (server/syndication/). */
      syndication: {
        sseHeartbeatMs: env.SSE_HEARTBEAT_MS,
        webhooks: { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE, retryBaseMs: env.WEBHOOK_RETRY_BASE_MS, retryMaxMs: Math.max(env.WEBHOOK_RETRY_BASE_MS, env.WEBHOOK_RETRY_MAX_MS), timeoutMs: env.WEBHOOK_TIMEOUT_MS },
      },
      /** One process (no Redis, the default) or a primary and fan-out nodes sharing readers through Redis. */
      scaleOut: { role: env.ROLE, redisUrl: env.REDIS_URL, primaryUrl: env.PRIMARY_URL },
    };
  });

export type Config = z.output<typeof configSchema>;

export type ConfigVariable = {
  name: string;
  /** As it would be written in the environment; undefined when the variable is unset by default. */
  default: string | undefined;
  description: string;
};

/** Every variable the server reads, in the schema's order, for documentation and its check. */
export const CONFIG_VARIABLES: ConfigVariable[] = Object.entries(variables).map(([name, schema]) => ({
  name,
  default: defaultOf(schema),
  description: schema.description ?? '',
}));

function defaultOf(schema: z.ZodType): string | undefined {
  if (!(schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault)) return undefined;
  const value: unknown = schema.def.defaultValue;
  // An empty list (no extra origins) is the same as leaving the variable unset.
  if (Array.isArray(value)) return value.length > 0 ? value.join(',') : undefined;
  return String(value);
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset" (a blank line in a .env file should not override a default).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function ensureDatabaseDirectory(databasePath: string): void {
  if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
}
