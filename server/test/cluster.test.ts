import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools, Topology } from '../../scripts/cluster/topology.js';
import { range, TestReader, until } from './cluster-reader.js';

/**
 * The scale-out topology for real: redis-server, a primary, two fan-out nodes and nginx, each its
 * own process (the built server), on free loopback ports in a temp directory.
 */
// On CI (.ci/run installs them) a missing tool fails the run; on a laptop without them, skip.
const missing = missingTools();
if (missing.length && !process.env.CI) console.warn(`cluster tests skipped: install ${missing.join(' and ')} (apt-get install -y redis-server nginx)`);

let topology: Topology;
let dir: string;
let token: string;
const readers: TestReader[] = [];

beforeAll(async () => {
  if (missing.length && !process.env.CI) return;
  dir = mkdtempSync(join(tmpdir(), 'liveline-cluster-'));
  topology = await Topology.start({ dir, logLevel: 'warn' });
  token = execFileSync(process.execPath, ['bin/liveline.js', 'token', 'create', '--name', 'Cluster Editor', '--role', 'editor'], {
    env: { ...process.env, DATABASE_PATH: topology.databasePath },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
}, 180_000);

afterAll(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await topology?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

function auth(): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

async function createPost(title: string, base = topology.primaryUrl): Promise<string> {
  const response = await fetch(`${base}/api/posts`, { method: 'POST', headers: auth(), body: JSON.stringify({ title, status: 'live' }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { slug: string }).slug;
}

async function post(slug: string, body: string, base = topology.primaryUrl): Promise<number> {
  const response = await fetch(`${base}/api/posts/${slug}/entries`, { method: 'POST', headers: auth(), body: JSON.stringify({ body }) });
  return response.status;
}

function reader(socketUrl: string, slug: string): TestReader {
  const created = new TestReader(socketUrl, topology.url, slug);
  readers.push(created);
  return created;
}

async function subscribed(...list: TestReader[]): Promise<void> {
  await until(() => list.every((r) => r.socket.connected), 'readers to connect');
  // A subscribe ack proves the room is joined; emitWithAck again is harmless (same room, since = lastSeq).
  await Promise.all(list.map((r) => r.socket.timeout(30_000).emitWithAck('subscribe', { slug: r.slug, since: r.lastSeq })));
}

async function json<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

describe.skipIf(missing.length > 0 && !process.env.CI)('scale-out cluster', () => {
  it('delivers every entry posted to the primary to readers on both fan-out nodes, in order, exactly once', async () => {
    const slug = await createPost('Fan-out keynote');
    const onA = [reader(topology.fanoutUrl(0), slug), reader(topology.fanoutUrl(0), slug)];
    const onB = [reader(topology.fanoutUrl(1), slug), reader(topology.fanoutUrl(1), slug)];
    const onPrimary = reader(topology.primaryUrl, slug);
    const all = [...onA, ...onB, onPrimary];
    await subscribed(...all);

    for (let i = 1; i <= 20; i++) expect(await post(slug, `Entry ${i}`)).toBe(201);
    await until(() => all.every((r) => r.received.length >= 20), 'twenty changes on every reader');

    for (const r of all) {
      expect(r.received).toEqual(range(1, 20));
      expect(r.applied.map((change) => change.type === 'entry.created' && change.entry.body)).toEqual(range(1, 20).map((i) => `Entry ${i}`));
    }
    // The primary published each change once: one entry each in the Redis stream (fresh at start).
    const redis = createClient({ url: topology.redisUrl });
    await redis.connect();
    expect(await redis.xLen('liveline:socket.io')).toBe(20);
    await redis.quit();
    // Presence sums the readers of every node.
    await until(async () => {
      const metrics = await (await fetch(`${topology.fanoutUrl(1)}/metrics`)).text();
      return metrics.includes(`liveline_post_readers{post="${slug}"} 5`);
    }, 'presence summed across nodes');
    const metrics = await (await fetch(`${topology.primaryUrl}/metrics`)).text();
    expect(metrics).toMatch(/liveline_changes_published_total\{type="entry.created"\} [1-9]\d*/);
    expect(metrics).toContain('liveline_sqlite_write_duration_seconds_count');
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
    expect(metrics).toMatch(/liveline_connected_readers [1-9]/);
    const fanoutMetrics = await (await fetch(`${topology.fanoutUrl(0)}/metrics`)).text();
    expect(fanoutMetrics).toMatch(/liveline_fanout_delivery_duration_seconds_count [1-9]\d*/);
    for (const r of all) r.close();
  }, 180_000);

  it('serves the page, the API and the socket at one address through nginx, micro-caching public reads', async () => {
    const slug = await createPost('Through nginx', topology.url);
    const r = reader(topology.url, slug);
    await subscribed(r);
    expect(await post(slug, 'Hello **nginx**', topology.url)).toBe(201);
    await until(() => r.applied.length === 1, 'the change through nginx');
    expect(r.applied[0]).toMatchObject({ seq: 1, type: 'entry.created', entry: { html: '<p>Hello <strong>nginx</strong></p>\n' } });

    const page = await fetch(`${topology.url}/posts/${slug}`);
    expect(page.status).toBe(200);
    // server_tokens off: no nginx version for scanners.
    expect(page.headers.get('server')).toBe('nginx');
    expect(await page.text()).toContain('data-entry-id');
    const api = await json<{ lastSeq: number }>(`${topology.url}/api/posts/${slug}`);
    expect(api).toMatchObject({ status: 200, body: { lastSeq: 1 } });
    expect((await fetch(`${topology.url}/metrics`)).status).toBe(404);

    // A burst on a cold URL reaches the primary once (proxy_cache_lock); the rest are cache hits.
    const burst = await Promise.all(range(1, 6).map(() => fetch(`${topology.url}/api/posts?limit=7`)));
    const statuses = burst.map((response) => response.headers.get('x-cache-status'));
    expect(statuses.filter((status) => status === 'MISS')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'HIT')).toHaveLength(5);
    // Authenticated and catch-up requests never come from the cache.
    const authed = await fetch(`${topology.url}/api/posts?limit=7`, { headers: auth() });
    expect(authed.headers.get('x-cache-status')).toBe('BYPASS');
    const catchUps = await Promise.all(range(1, 3).map(() => fetch(`${topology.url}/api/posts/${slug}/changes?since=0`)));
    expect(catchUps.map((response) => response.headers.get('x-cache-status'))).not.toContain('HIT');
    // Pages without a socket (over the per-address cap) poll with poll=1: a crowd's polls of one
    // `since` reach the primary once, even with the no-cache request headers a browser's
    // fetch(…, {cache: 'no-store'}) adds.
    const browserHeaders = { 'cache-control': 'no-cache', pragma: 'no-cache' };
    const polls = await Promise.all(range(1, 6).map(() => fetch(`${topology.url}/api/posts/${slug}/changes?since=0&poll=1`, { headers: browserHeaders })));
    const pollStatuses = polls.map((response) => response.headers.get('x-cache-status'));
    expect(pollStatuses.filter((status) => status === 'MISS')).toHaveLength(1);
    expect(pollStatuses.filter((status) => status === 'HIT')).toHaveLength(5);
    for (const response of polls) expect(((await response.json()) as { lastSeq: number }).lastSeq).toBe(1);
    r.close();
  }, 180_000);

  it("never serves an admin's response from nginx's cache to anyone else (H3)", async () => {
    const email = `admin-${Date.now()}@cluster.test`;
    execFileSync(process.execPath, ['bin/liveline.js', 'user', 'add', '--email', email, '--name', 'Cluster Admin', '--role', 'admin', '--password-stdin'], {
      env: { ...process.env, DATABASE_PATH: topology.databasePath },
      input: 'cluster admin password',
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    const login = await fetch(`${topology.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'cluster admin password' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    for (let i = 0; i < 3; i++) {
      const mine = await fetch(`${topology.url}/api/users`, { headers: { cookie } });
      expect(mine.status).toBe(200);
      expect(await mine.text()).toContain(email);
      expect(mine.headers.get('cache-control')).toBe('private, no-store');
      expect(mine.headers.get('x-cache-status')).toBe('BYPASS');
    }
    for (const path of ['/api/users', '/api/tokens', '/api/session']) {
      const anonymous = await fetch(`${topology.url}${path}`);
      expect(anonymous.status, path).toBe(401);
      expect(await anonymous.text(), path).not.toContain(email);
    }
  }, 60_000);

  it('replays no deleted text from a fan-out node to a reader who joins later (H4)', async () => {
    const slug = await createPost('Retracted on the fan-out');
    const early = reader(topology.fanoutUrl(0), slug);
    await subscribed(early);
    const created = await fetch(`${topology.primaryUrl}/api/posts/${slug}/entries`, { method: 'POST', headers: auth(), body: JSON.stringify({ body: 'the price is $999' }) });
    const { id, version } = (await created.json()) as { id: number; version: number };
    await until(() => early.applied.length === 1, 'the entry on the fan-out node');
    const removed = await fetch(`${topology.primaryUrl}/api/entries/${id}`, { method: 'DELETE', headers: { authorization: auth().authorization!, 'if-match': String(version) } });
    expect(removed.status).toBe(204);
    await until(() => early.applied.length === 2, 'the deletion on the fan-out node');
    const late = reader(topology.fanoutUrl(0), slug);
    await until(() => late.socket.connected, 'the late reader to connect');
    const replayed = new Promise<unknown>((resolve) => late.socket.once('changes', resolve));
    const ack = (await late.socket.timeout(10_000).emitWithAck('subscribe', { slug, since: 0, batch: true })) as { ok: boolean; lastSeq: number };
    expect(ack).toMatchObject({ ok: true, lastSeq: 2 });
    expect(JSON.stringify(await replayed)).not.toContain('$999');
    // Its own subscribe on connect (one `change` per missed change) carried none of it either.
    await until(() => late.lastSeq === 2, 'the late reader to catch up');
    expect(JSON.stringify(late.applied)).not.toContain('$999');
    early.close();
    late.close();
  }, 60_000);

  it('lets an archive import larger than 128 KiB through nginx (the server, not nginx, sets each route\'s limit)', async () => {
    const entries = Array.from({ length: 400 }, (_, i) => `Entry ${i}: ${'a long paragraph of the keynote '.repeat(25)}`).join('\n\n');
    const markdown = `---\ntitle: Big import ${Date.now()}\ndate: 2026-03-14\n---\n\n${entries}\n`;
    expect(markdown.length).toBeGreaterThan(300_000);
    const response = await fetch(`${topology.url}/api/import?filename=big.md`, { method: 'POST', headers: { authorization: auth().authorization!, 'content-type': 'text/markdown' }, body: markdown });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { entries: number }).entries).toBe(400);
  }, 60_000);

  it('moves readers of a killed fan-out node to the other one through nginx with no gap or double', async () => {
    const slug = await createPost('Node failure');
    const list = [reader(topology.url, slug), reader(topology.url, slug), reader(topology.url, slug)];
    await subscribed(...list);
    // ip_hash sends every loopback reader to the same node: that is the one to kill.
    const counts = await Promise.all([0, 1].map(async (i) => (await json<{ connections: number }>(`${topology.fanoutUrl(i)}/healthz`)).body.connections));
    const holder = counts[0]! >= counts[1]! ? 0 : 1;
    expect(counts[holder]).toBeGreaterThanOrEqual(3);

    for (let i = 1; i <= 10; i++) expect(await post(slug, `Before ${i}`)).toBe(201);
    await until(() => list.every((r) => r.lastSeq >= 5), 'readers to follow');
    await topology.stopFanout(holder, 'SIGKILL');
    for (let i = 1; i <= 10; i++) expect(await post(slug, `After ${i}`)).toBe(201);

    await until(() => list.every((r) => r.lastSeq === 20), 'every reader to reach seq 20');
    for (const r of list) {
      expect(r.seqs).toEqual(range(1, 20));
      expect(new Set(r.received).size).toBe(r.received.length);
    }
    const survivor = await json<{ connections: number }>(`${topology.fanoutUrl(1 - holder)}/healthz`);
    expect(survivor.body.connections).toBeGreaterThanOrEqual(3);
    await topology.startFanout(holder);
    for (const r of list) r.close();
  }, 180_000);

  it('keeps every accepted entry while Redis is down for 5 s, and readers converge after', async () => {
    const slug = await createPost('Redis outage');
    const onPrimary = reader(topology.primaryUrl, slug);
    const onFanout = [reader(topology.fanoutUrl(0), slug), reader(topology.fanoutUrl(1), slug)];
    const all = [onPrimary, ...onFanout];
    await subscribed(...all);
    expect(await post(slug, 'Before the outage')).toBe(201);
    await until(() => all.every((r) => r.lastSeq === 1), 'the first entry everywhere');

    await topology.stopRedis();
    const stoppedAt = Date.now();
    await until(async () => (await fetch(`${topology.primaryUrl}/readyz`)).status === 503, 'the primary to report Redis down');
    expect((await json(`${topology.primaryUrl}/readyz`)).body).toEqual({ status: 'degraded', checks: { database: 'up', redis: 'down' } });

    for (let i = 1; i <= 5; i++) expect(await post(slug, `During ${i}`)).toBe(201);
    // Readers of the primary's own sockets keep getting them live; fan-out readers through the
    // nodes' HTTP fallback to the primary, while Redis is still down.
    await until(() => onPrimary.lastSeq === 6, 'primary readers during the outage');
    expect(onPrimary.received).toEqual(range(1, 6));
    await until(() => onFanout.every((r) => r.lastSeq === 6), 'fan-out readers during the outage');

    const remaining = 5000 - (Date.now() - stoppedAt);
    if (remaining > 0) await new Promise((done) => setTimeout(done, remaining));
    await topology.startRedis();
    await until(async () => (await fetch(`${topology.primaryUrl}/readyz`)).status === 200, 'the primary to see Redis again');
    await until(async () => (await fetch(`${topology.fanoutUrl(0)}/readyz`)).status === 200, 'the fan-out node to see the stream again');

    for (let i = 1; i <= 5; i++) expect(await post(slug, `After ${i}`)).toBe(201);
    await until(() => all.every((r) => r.lastSeq === 11), 'every reader to reach seq 11');
    for (const r of all) {
      expect(r.seqs).toEqual(range(1, 11));
      expect(new Set(r.received).size).toBe(r.received.length);
    }
    const changes = await json<{ changes: unknown[]; lastSeq: number }>(`${topology.primaryUrl}/api/posts/${slug}/changes?since=0`);
    expect(changes.body.lastSeq).toBe(11);
  }, 180_000);

  it('does not let a hanging Redis hold anyone: the primary delivers at once, fan-out nodes catch up over HTTP', async () => {
    const slug = await createPost('Redis hangs');
    const onPrimary = reader(topology.primaryUrl, slug);
    const onFanout = reader(topology.fanoutUrl(1), slug);
    await subscribed(onPrimary, onFanout);

    topology.pauseRedis(true);
    try {
      for (let i = 1; i <= 3; i++) expect(await post(slug, `Frozen ${i}`)).toBe(201);
      await until(() => onPrimary.lastSeq === 3, 'primary readers while Redis hangs');
      await until(() => onFanout.lastSeq === 3, 'fan-out readers while Redis hangs');
      await until(async () => (await fetch(`${topology.fanoutUrl(1)}/readyz`)).status === 503, 'the fan-out node to report it');
    } finally {
      topology.pauseRedis(false);
    }
    await until(async () => (await fetch(`${topology.fanoutUrl(1)}/readyz`)).status === 200, 'the stream to flow again');
    expect(await post(slug, 'Thawed')).toBe(201);
    await until(() => [onPrimary, onFanout].every((r) => r.lastSeq === 4), 'the next entry everywhere');
    for (const r of [onPrimary, onFanout]) {
      expect(r.seqs).toEqual(range(1, 4));
      // The stream's late copies of what the fan-out node fetched over HTTP were dropped.
      expect(r.received).toEqual(range(1, 4));
    }
  }, 180_000);
});
