import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools, Topology } from '../../scripts/cluster/topology.js';
import { until } from './helpers.js';
import { SseClient } from './sse-client.js';

/**
 * Server-Sent Events in the scale-out topology, for real (the built server: redis-server, a
 * primary, two fan-out nodes, nginx from deploy/): a stream through nginx is served by a fan-out
 * node, frame by frame (buffering off), resumes with Last-Event-ID and follows a deletion; a
 * stream straight on a fan-out node is served from the node's own feed.
 */
const missing = missingTools();
if (missing.length && !process.env.CI) console.warn(`SSE cluster tests skipped: install ${missing.join(' and ')} (apt-get install -y redis-server nginx)`);

let topology: Topology;
let dir: string;
let token: string;
const clients: SseClient[] = [];

beforeAll(async () => {
  if (missing.length && !process.env.CI) return;
  dir = mkdtempSync(join(tmpdir(), 'liveline-sse-cluster-'));
  topology = await Topology.start({ dir, logLevel: 'warn' });
  token = execFileSync(process.execPath, ['bin/liveline.js', 'token', 'create', '--name', 'SSE Editor', '--role', 'editor'], {
    env: { ...process.env, DATABASE_PATH: topology.databasePath },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  // Ready: each fan-out node has Redis and the primary's beat, so changes flow to it.
  for (const i of [0, 1]) await until(async () => (await fetch(`${topology.fanoutUrl(i)}/readyz`)).ok, `fan-out node ${i} ready`, 30_000);
}, 180_000);

afterAll(async () => {
  for (const client of clients.splice(0)) client.close();
  await topology?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function createPost(title: string): Promise<string> {
  const response = await fetch(`${topology.url}/api/posts`, { method: 'POST', headers: headers(), body: JSON.stringify({ title, status: 'live' }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { slug: string }).slug;
}

async function post(slug: string, body: string): Promise<{ id: number; version: number }> {
  const response = await fetch(`${topology.url}/api/posts/${slug}/entries`, { method: 'POST', headers: headers(), body: JSON.stringify({ body }) });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number; version: number };
}

async function follow(url: string, extra: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.open(url, extra);
  clients.push(client);
  return client;
}

describe.skipIf(missing.length > 0 && !process.env.CI)('Server-Sent Events in the cluster', () => {
  it('streams through nginx frame by frame, resumes with Last-Event-ID after 10 missed entries, and deletes downstream', async () => {
    const slug = await createPost('Streams through nginx');
    const first = await follow(`${topology.url}/api/posts/${slug}/events?since=0`);
    expect(first.status).toBe(200);
    expect(first.headers?.get('content-type')).toBe('text/event-stream; charset=utf-8');
    // nginx's micro-cache never sees a stream.
    expect(first.headers?.get('x-cache-status')).toBeNull();
    // Each entry arrives while the stream stays open: nginx passes frames on, it does not buffer.
    for (const i of range(1, 3)) {
      await post(slug, `before ${i}`);
      await until(() => first.events.length === i, `entry ${i} through nginx`);
    }
    first.close();

    const missed = [];
    for (const i of range(1, 10)) missed.push(await post(slug, `missed ${i}`));
    const back = await follow(`${topology.url}/api/posts/${slug}/events?since=0`, { 'last-event-id': first.lastEventId! });
    await until(() => back.events.length === 10, 'the ten missed entries through nginx');
    expect(back.seqs).toEqual(range(4, 13));

    const gone = missed[4]!;
    const deleted = await fetch(`${topology.url}/api/entries/${gone.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'if-match': String(gone.version) } });
    expect(deleted.status).toBe(204);
    await until(() => back.events.length === 11, 'the deletion through nginx');
    expect(back.events[10]).toMatchObject({ id: '14', event: 'entry.deleted' });
    expect(back.changes[10]).toMatchObject({ type: 'entry.deleted', entry: { id: gone.id } });
  }, 60_000);

  it('serves a stream on a fan-out node from its feed, live and resumed, the same rows as the primary', async () => {
    const slug = await createPost('Streams on a fan-out node');
    const onNode = await follow(`${topology.fanoutUrl(1)}/api/posts/${slug}/events?since=0`);
    expect(onNode.status).toBe(200);
    for (const i of range(1, 5)) await post(slug, `node ${i}`);
    await until(() => onNode.events.length === 5, 'five entries on the fan-out node');
    expect(onNode.seqs).toEqual(range(1, 5));
    onNode.close();
    for (const i of range(6, 15)) await post(slug, `node ${i}`);
    const resumed = await follow(`${topology.fanoutUrl(1)}/api/posts/${slug}/events`, { 'last-event-id': '5' });
    await until(() => resumed.events.length === 10, 'the ten missed on the fan-out node');
    expect(resumed.seqs).toEqual(range(6, 15));
    const rows = (await (await fetch(`${topology.primaryUrl}/api/posts/${slug}/changes?since=5`)).json()) as { changes: unknown[] };
    expect(resumed.events.map((event) => event.data)).toEqual(rows.changes.map((change) => JSON.stringify(change)));
  }, 60_000);
});
