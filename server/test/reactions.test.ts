import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, until, type TestApp } from './helpers.js';
import type { Change, ReactionsEvent, SubscribeAck } from '../../contract/index.js';

/** Reactions (issue 19): one per reader per entry, durable when acknowledged, broadcast in batches. */

let t: TestApp;
let socket: Socket | undefined;
beforeEach(async () => {
  t = await createTestApp({ READER_WRITES_PER_MINUTE: '100000' });
});
afterEach(async () => {
  socket?.close();
  await t.close();
});

const reader = (n: number) => `reader-${String(n).padStart(12, '0')}`;

function react(entryId: number, who: string, reaction: string | null, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url: `/api/entries/${entryId}/reactions`, headers, payload: { reader: who, reaction } });
}

async function listen(): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

describe('reactions', () => {
  it('counts one reaction per reader per entry: repeating it changes nothing, another one replaces it, null takes it back', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const entry = (await postEntry(t, slug, 'The keynote starts')).json();

    expect((await react(entry.id, reader(1), 'like')).json()).toEqual({ id: entry.id, counts: { like: 1 }, reaction: 'like' });
    expect((await react(entry.id, reader(1), 'like')).json().counts).toEqual({ like: 1 });
    expect((await react(entry.id, reader(2), 'like')).json().counts).toEqual({ like: 2 });
    expect((await react(entry.id, reader(1), 'clap')).json().counts).toEqual({ like: 1, clap: 1 });
    expect((await react(entry.id, reader(2), null)).json().counts).toEqual({ clap: 1 });

    const counts = await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/reactions` });
    expect(counts.json()).toEqual({ enabled: true, entries: [{ id: entry.id, counts: { clap: 1 } }] });
    // The table keeps a digest of the browser's id, never the id itself.
    const stored = t.app.stores.db.prepare('SELECT reader FROM reactions').all() as { reader: string }[];
    expect(stored.map((row) => row.reader)).not.toContain(reader(1));
  });

  it('refuses bad input with problem+json: an unknown kind, a malformed id, an unknown or deleted entry', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const entry = (await postEntry(t, slug, 'To be deleted')).json();
    const bad = await react(entry.id, reader(1), 'angry');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await react(entry.id, 'short', 'like')).statusCode).toBe(400);
    expect((await react(999_999, reader(1), 'like')).statusCode).toBe(404);
    await t.app.inject({ method: 'DELETE', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': String(entry.version) } });
    const gone = await react(entry.id, reader(1), 'like');
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ type: '/problems/not-found' });
  });

  it('sends many reactions as a few batched `reactions` events, every one counted once, without touching the change log', async () => {
    const url = await listen();
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const first = (await postEntry(t, slug, 'First')).json();
    const second = (await postEntry(t, slug, 'Second')).json();
    socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const events: ReactionsEvent[] = [];
    const changes: Change[] = [];
    socket.on('reactions', (event: ReactionsEvent) => events.push(event));
    socket.on('change', (change: Change) => changes.push(change));
    const ack: SubscribeAck = await socket.timeout(5000).emitWithAck('subscribe', { slug, since: 2 });
    expect(ack).toEqual({ ok: true, lastSeq: 2 });

    const sent = await Promise.all(Array.from({ length: 300 }, (_, i) => react(i % 3 === 0 ? second.id : first.id, reader(i), i % 2 === 0 ? 'love' : 'wow')));
    expect(sent.every((response) => response.statusCode === 200)).toBe(true);

    const latest = new Map<number, Record<string, number>>();
    await until(() => {
      for (const event of events) for (const entry of event.entries) latest.set(entry.id, entry.counts);
      return latest.get(first.id)?.love === 100 && latest.get(first.id)?.wow === 100 && latest.get(second.id)?.love === 50 && latest.get(second.id)?.wow === 50;
    }, 'the final counts over the socket');
    // Batched: 300 reactions, a handful of messages (at most one a second per post, plus the first).
    expect(events.length).toBeLessThan(10);
    expect(changes).toEqual([]);
    const post = (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}` })).json();
    expect(post.lastSeq).toBe(2);
  });

  it('editors turn reactions off per post: reactions are refused, readers are told, authors may not', async () => {
    const url = await listen();
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const entry = (await postEntry(t, slug, 'First')).json();
    await react(entry.id, reader(1), 'like');
    socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const events: ReactionsEvent[] = [];
    socket.on('reactions', (event: ReactionsEvent) => events.push(event));
    await socket.timeout(5000).emitWithAck('subscribe', { slug });

    const author = await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}/participation`, headers: t.auth('author'), payload: { reactions: false } });
    expect(author.statusCode).toBe(403);
    const off = await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}/participation`, headers: t.auth('editor'), payload: { reactions: false } });
    expect(off.json()).toMatchObject({ reactions: false });
    await until(() => events.some((event) => !event.enabled), 'readers told that reactions are off');

    const refused = await react(entry.id, reader(2), 'like');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ type: '/problems/reactions-off' });
    expect((await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/reactions` })).json()).toEqual({ enabled: false, entries: [] });

    await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}/participation`, headers: t.auth('editor'), payload: { reactions: true } });
    expect((await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/reactions` })).json()).toEqual({ enabled: true, entries: [{ id: entry.id, counts: { like: 1 } }] });
  });
});

describe('reaction rate limit', () => {
  it('limits reactions per address without using up the newsroom write budget behind the same address', async () => {
    const limited = await createTestApp({ READER_WRITES_PER_MINUTE: '3', RATE_LIMIT_WRITES_PER_MINUTE: '5' });
    try {
      const { slug } = await createPost(limited, { title: 'Keynote', status: 'live' });
      const entry = (await postEntry(limited, slug, 'First')).json();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await limited.app.inject({ method: 'POST', url: `/api/entries/${entry.id}/reactions`, payload: { reader: reader(i), reaction: 'like' } })).statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
      const refused = await limited.app.inject({ method: 'POST', url: `/api/entries/${entry.id}/reactions`, payload: { reader: reader(9), reaction: 'like' } });
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.json()).toMatchObject({ type: '/problems/rate-limited' });
      // The author behind the same address still publishes.
      expect((await postEntry(limited, slug, 'Second')).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});
