import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../scripts/cluster/topology.js';
import { buildFanoutApp } from '../fanout.js';
import { createPost, createTestApp, type TestApp, testConfig, until } from './helpers.js';
import type { Change } from '../../contract/index.js';

/**
 * With several nodes (issue 17), only the primary knows drafts and publishes scheduled entries: a
 * fan-out node has no newsroom socket (its readers' path is all it serves) and no scheduler, and
 * a scheduled entry reaches its readers as any entry does, once, through the primary's stream.
 */
const hasRedis = spawnSync('/bin/sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;

let redis: ChildProcess | undefined;
let primary: TestApp;
let fanout: FastifyInstance;
let primaryUrl: string;
let fanoutUrl: string;
let dir: string;

beforeAll(async () => {
  if (!hasRedis) return;
  dir = mkdtempSync(join(tmpdir(), 'liveline-drafts-fanout-'));
  const redisPort = await freePort();
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  await until(() => redisAnswers(redisUrl), 'redis-server', 15_000);
  primary = await createTestApp({ REDIS_URL: redisUrl });
  await primary.app.listen({ port: 0, host: '127.0.0.1' });
  primaryUrl = `http://127.0.0.1:${(primary.app.server.address() as AddressInfo).port}`;
  fanout = await buildFanoutApp({ config: testConfig(dir, { ROLE: 'fanout', REDIS_URL: redisUrl, PRIMARY_URL: primaryUrl }), logger: false });
  await fanout.listen({ port: 0, host: '127.0.0.1' });
  fanoutUrl = `http://127.0.0.1:${(fanout.server.address() as AddressInfo).port}`;
  await until(async () => (await fetch(`${fanoutUrl}/readyz`)).ok, 'the fan-out node to be ready', 15_000);
}, 60_000);

afterAll(async () => {
  await fanout?.close();
  await primary?.close();
  redis?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

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

it.skipIf(!hasRedis)('a fan-out node serves no newsroom socket; the primary alone publishes a scheduled entry, once', async () => {
  const handshake = '/newsroom/socket.io/?EIO=4&transport=polling';
  expect((await fetch(`${fanoutUrl}${handshake}`)).status).toBe(404);
  // The primary's answers (no session: refused by the newsroom socket itself, not "no such path").
  expect((await fetch(`${primaryUrl}${handshake}`)).status).not.toBe(404);

  const { slug } = await createPost(primary, { title: 'Fan-out schedule', status: 'live' });
  const { io: connect } = await import('socket.io-client');
  const reader = connect(fanoutUrl, { transports: ['websocket'], reconnection: false, forceNew: true });
  const changes: Change[] = [];
  reader.on('change', (change: Change) => changes.push(change));
  expect((await reader.timeout(5000).emitWithAck('subscribe', { slug })).ok).toBe(true);
  const at = new Date(Date.now() + 1000).toISOString();
  const response = await primary.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: primary.auth('editor'), payload: { body: 'Through the stream', state: 'scheduled', publishAt: at } });
  expect(response.statusCode).toBe(201);
  await until(() => changes.length > 0, 'the scheduled entry on the fan-out node');
  expect(changes.map((change) => change.type)).toEqual(['entry.created']);
  reader.close();
});
