import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildOptions } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import type { Socket } from 'socket.io-client';
import type { Role, SubscribeAck } from '../../contract/index.js';

export type TestApp = {
  app: FastifyInstance;
  dir: string;
  tokens: Record<'author' | 'author2' | 'editor' | 'admin', string>;
  /** Authorization header for one of the test tokens. */
  auth(who: keyof TestApp['tokens']): { authorization: string };
  close(): Promise<void>;
};

/** Defaults from loadConfig (so new settings need no change here), on a temp database. */
export function testConfig(dir: string, env: Record<string, string> = {}): Config {
  // Test files share a token across many writes: lift the write rate limit unless a test sets it.
  return loadConfig({
    PORT: '0',
    DATABASE_PATH: join(dir, 'liveline.db'),
    PUBLIC_URL: 'http://liveline.test',
    LOG_LEVEL: 'silent',
    EMBED_ORIGINS: 'https://news.example.com',
    RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
    ...env,
  });
}

/**
 * A real server on a real SQLite file in a fresh temp directory, with one token per role
 * (`withTokens: false` gives a fresh install with no user at all, for the /setup tests).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  { withTokens = true, ...options }: Omit<BuildOptions, 'config'> & { withTokens?: boolean } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-test-'));
  const app = await buildApp({ config: testConfig(dir, env), logger: false, ...options });
  const close = async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  };
  if (!withTokens) {
    return { app, dir, tokens: { author: '', author2: '', editor: '', admin: '' }, auth: () => ({ authorization: '' }), close };
  }
  const make = (name: string, role: Role) => app.stores.tokens.create(name, role, new Date().toISOString()).token;
  const tokens = {
    author: make('Ada Author', 'author'),
    author2: make('Bob Author', 'author'),
    editor: make('Eve Editor', 'editor'),
    admin: make('Al Admin', 'admin'),
  };
  return {
    app,
    dir,
    tokens,
    auth: (who) => ({ authorization: `Bearer ${tokens[who]}` }),
    close,
  };
}

export async function createPost(t: TestApp, body: Record<string, unknown> = { title: 'Keynote' }): Promise<{ slug: string; id: number; version: number }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/posts', headers: t.auth('editor'), payload: body });
  if (response.statusCode !== 201) throw new Error(`createPost failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function postEntry(t: TestApp, slug: string, body: string, who: keyof TestApp['tokens'] = 'author', headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: { ...t.auth(who), ...headers }, payload: { body } });
}

/** Polls `predicate` until it holds; fails with `what` after `timeoutMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

/**
 * Floods a socket with subscribes against an event budget of 10 per 10 s: the first 10 are
 * served, the next 10 refused with a rate-limited ack, and keeping on gets it disconnected by the
 * server. Shared by the primary's and the fan-out node's guard tests: the same guards, one rule.
 */
export async function floodUntilCutOff(flooder: Socket, slug: string): Promise<void> {
  const acks: SubscribeAck[] = [];
  let disconnected = '';
  flooder.on('disconnect', (reason) => (disconnected = reason));
  for (let i = 0; i < 20; i++) flooder.emit('subscribe', { slug }, (ack: SubscribeAck) => acks.push(ack));
  await until(() => acks.length === 20, 'twenty acks');
  if (acks.filter((ack) => ack.ok).length !== 10) throw new Error(`expected 10 subscribes served, got ${JSON.stringify(acks)}`);
  if (acks.filter((ack) => !ack.ok && ack.error.code === 'rate-limited').length !== 10) throw new Error(`expected 10 rate-limited acks, got ${JSON.stringify(acks)}`);
  // Keeping on flooding gets the socket dropped, with a server disconnect (clients do not auto-reconnect on it).
  for (let i = 0; i < 100; i++) flooder.emit('subscribe', { slug }, (ack: SubscribeAck) => acks.push(ack));
  await until(() => disconnected !== '', 'the flooder to be disconnected');
  if (disconnected !== 'io server disconnect') throw new Error(`expected a server disconnect, got ${disconnected}`);
}

/** Sends a subscribe far over the 4 KiB message limit: the server must close the connection. */
export async function expectOversizedMessageCloses(socket: Socket): Promise<void> {
  let reason = '';
  socket.on('disconnect', (why) => (reason = why));
  socket.emit('subscribe', { slug: 'x'.repeat(10_000) }, () => undefined);
  await until(() => reason !== '', 'the oversized message to close the socket');
  if (reason !== 'transport close') throw new Error(`expected the transport to be closed, got ${reason}`);
}
