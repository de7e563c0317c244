import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../contract/index.js';
import { createPost, createTestApp, postEntry, type TestApp, until } from './helpers.js';
import { SseClient } from './sse-client.js';

/**
 * Server-Sent Events on the primary (`GET /api/posts/:slug/events`), against a listening server:
 * a partner resumes with Last-Event-ID and gets exactly what it missed, follows deletions, and
 * ends with the post readers see. Through nginx and on a fan-out node: sse-cluster.test.ts.
 */

const open: { clients: SseClient[]; apps: TestApp[] } = { clients: [], apps: [] };
afterEach(async () => {
  for (const client of open.clients.splice(0)) client.close();
  for (const t of open.apps.splice(0)) await t.close();
});

async function server(env: Record<string, string> = {}): Promise<{ t: TestApp; base: string }> {
  // A busy test machine's event-loop delay is not what these tests are about: no load shedding.
  const t = await createTestApp({ LOAD_SHED_READ_DELAY_MS: '0', LOAD_SHED_WRITE_DELAY_MS: '0', ...env });
  open.apps.push(t);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, base: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}` };
}

async function follow(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.open(url, headers);
  open.clients.push(client);
  return client;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('Server-Sent Events', () => {
  it('streams each change with id = seq, event = its type and the /changes row as data', async () => {
    const { t, base } = await server();
    const { slug } = await createPost(t, { title: 'Streamed', status: 'live' });
    const client = await follow(`${base}/api/posts/${slug}/events?since=0`);
    expect(client.status).toBe(200);
    expect(client.headers?.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(client.headers?.get('x-accel-buffering')).toBe('no');
    expect(client.headers?.get('cache-control')).toBe('no-cache, no-transform');
    for (const body of ['one', 'two']) expect((await postEntry(t, slug, body)).statusCode).toBe(201);
    await until(() => client.events.length === 2, 'two events');
    const rows = (await t.app.inject({ url: `/api/posts/${slug}/changes?since=0` })).json() as { changes: Change[] };
    expect(client.events.map((event) => [event.id, event.event])).toEqual([['1', 'entry.created'], ['2', 'entry.created']]);
    expect(client.events.map((event) => event.data)).toEqual(rows.changes.map((change) => JSON.stringify(change)));
    expect((await t.app.inject({ url: '/metrics' })).body).toContain('liveline_sse_streams 1');
  });

  it('resumes with Last-Event-ID: a client away for 10 entries gets exactly those 10, then follows live', async () => {
    const { t, base } = await server();
    const { slug } = await createPost(t, { title: 'Resume', status: 'live' });
    const first = await follow(`${base}/api/posts/${slug}/events?since=0`);
    for (const i of range(1, 3)) await postEntry(t, slug, `before ${i}`);
    await until(() => first.events.length === 3, 'the first three');
    first.close();
    const lastId = first.lastEventId!;
    expect(lastId).toBe('3');

    for (const i of range(1, 10)) expect((await postEntry(t, slug, `missed ${i}`)).statusCode).toBe(201);
    // The URL keeps ?since=0, as an EventSource's does on reconnect: Last-Event-ID wins.
    const back = await follow(`${base}/api/posts/${slug}/events?since=0`, { 'last-event-id': lastId });
    await until(() => back.events.length === 10, 'the ten missed entries');
    expect(back.seqs).toEqual(range(4, 13));
    expect(back.changes.map((change) => change.type === 'entry.created' && change.entry.body)).toEqual(range(1, 10).map((i) => `missed ${i}`));
    await postEntry(t, slug, 'live again');
    await until(() => back.events.length === 11, 'the next live entry');
    expect(back.seqs).toEqual(range(4, 14));
  });

  it('joins replay and live without a gap or a double while entries keep arriving', async () => {
    const { t, base } = await server();
    const { slug } = await createPost(t, { title: 'Race', status: 'live' });
    for (const i of range(1, 20)) await postEntry(t, slug, `early ${i}`);
    // Streams open from several points while 40 more entries are posted concurrently.
    const writes = Promise.all(range(1, 40).map((i) => postEntry(t, slug, `during ${i}`)));
    const clients = await Promise.all([0, 5, 19].map((since) => follow(`${base}/api/posts/${slug}/events`, { 'last-event-id': String(since) })));
    await writes;
    await until(() => clients.every((client) => client.seqs.at(-1) === 60), 'every stream at seq 60');
    expect(clients.map((client) => client.seqs)).toEqual([range(1, 60), range(6, 60), range(20, 60)]);
  });

  it('pages a long history beyond one socket replay (100 changes, 128 KiB)', async () => {
    const { t, base } = await server();
    const { slug } = await createPost(t, { title: 'Long history', status: 'live' });
    for (const i of range(1, 130)) await postEntry(t, slug, `${'x'.repeat(2000)} ${i}`);
    const client = await follow(`${base}/api/posts/${slug}/events?since=0`);
    await until(() => client.events.length === 130, 'all 130 changes');
    expect(client.seqs).toEqual(range(1, 130));
  });

  it('deletes downstream what readers no longer see, and a late follower never gets the deleted text', async () => {
    const { t, base } = await server();
    const { slug } = await createPost(t, { title: 'Retracted', status: 'live' });
    const client = await follow(`${base}/api/posts/${slug}/events?since=0`);
    const kept = (await postEntry(t, slug, 'stays')).json();
    const gone = (await postEntry(t, slug, 'a mistake, deleted')).json();
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/entries/${gone.id}`, headers: { ...t.auth('editor'), 'if-match': String(gone.version) } });
    expect(deleted.statusCode).toBe(204);
    await until(() => client.events.length === 3, 'the deletion');
    expect(client.events[2]).toMatchObject({ id: '3', event: 'entry.deleted' });
    expect(client.changes[2]).toMatchObject({ type: 'entry.deleted', entry: { id: gone.id } });

    // What the partner holds after applying every event by seq is what readers see.
    const late = await follow(`${base}/api/posts/${slug}/events?since=0`);
    await until(() => late.events.length === 3, 'the late replay');
    for (const stream of [client, late]) {
      const entries = new Map<number, string>();
      for (const change of stream.changes) {
        if (change.type === 'entry.deleted') entries.delete(change.entry.id);
        else if (change.type !== 'post.updated') entries.set(change.entry.id, change.entry.body);
      }
      expect([...entries]).toEqual([[kept.id, 'stays']]);
    }
    expect(late.events.map((event) => event.data).join('\n')).not.toContain('a mistake');
  });

  it('starts at the live edge without a seq, sends heartbeats, and caps streams per address like sockets', async () => {
    const { t, base } = await server({ SSE_HEARTBEAT_MS: '100', SOCKET_MAX_CONNECTIONS_PER_IP: '2' });
    const { slug } = await createPost(t, { title: 'Capped', status: 'live' });
    await postEntry(t, slug, 'old news');
    const fresh = await follow(`${base}/api/posts/${slug}/events`);
    await until(() => fresh.comments.includes('heartbeat'), 'a heartbeat comment');
    await postEntry(t, slug, 'news');
    await until(() => fresh.events.length === 1, 'the new entry');
    expect(fresh.seqs).toEqual([2]);

    await follow(`${base}/api/posts/${slug}/events`);
    const third = await follow(`${base}/api/posts/${slug}/events`);
    expect(third.status).toBe(429);
    expect(third.headers?.get('content-type')).toContain('application/problem+json');
    expect(third.headers?.get('retry-after')).toBe('30');
    // A closed stream frees its place.
    fresh.close();
    await until(async () => {
      const again = await follow(`${base}/api/posts/${slug}/events`);
      again.close();
      return again.status === 200;
    }, 'a place to free up');
  });

  it('answers bad input with problem+json', async () => {
    const { t, base } = await server();
    const { slug } = await createPost(t, { title: 'Inputs', status: 'live' });
    const badId = await follow(`${base}/api/posts/${slug}/events`, { 'last-event-id': 'abc' });
    expect(badId.status).toBe(400);
    expect(JSON.parse(badId.body)).toMatchObject({ status: 400, errors: [{ field: 'Last-Event-ID' }] });
    const badSince = await follow(`${base}/api/posts/${slug}/events?since=-1`);
    expect(badSince.status).toBe(400);
    const missing = await follow(`${base}/api/posts/no-such-post/events`);
    expect(missing.status).toBe(404);
    expect(missing.headers?.get('content-type')).toContain('application/problem+json');
  });

  it('ends open streams when the server shuts down', async () => {
    const { t, base } = await server();
    const { slug } = await createPost(t, { title: 'Shutdown', status: 'live' });
    const client = await follow(`${base}/api/posts/${slug}/events?since=0`);
    await t.app.close();
    await until(() => client.ended, 'the stream to end');
    open.apps.splice(open.apps.indexOf(t), 1);
  });
});
