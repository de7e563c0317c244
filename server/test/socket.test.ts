import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp, until } from './helpers.js';
import type { Change, SubscribeAck } from '../../contract/index.js';

let t: TestApp;
let url: string;
const sockets: Socket[] = [];

beforeEach(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await t.close();
});

function reader(): { socket: Socket; changes: Change[] } {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const changes: Change[] = [];
  socket.on('change', (change: Change) => changes.push(change));
  return { socket, changes };
}

function subscribe(socket: Socket, payload: unknown): Promise<SubscribeAck> {
  return socket.timeout(5000).emitWithAck('subscribe', payload);
}


describe('socket protocol', () => {
  it('delivers created, updated and deleted changes in order', async () => {
    const { slug } = await createPost(t);
    const { socket, changes } = reader();
    expect(await subscribe(socket, { slug })).toEqual({ ok: true, lastSeq: 0 });

    const entry = (await postEntry(t, slug, 'Hello')).json();
    await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { body: 'Hello, world' } });
    await t.app.inject({ method: 'DELETE', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': '2' } });

    await until(() => changes.length === 3, 'three changes');
    expect(changes.map((change) => [change.seq, change.type])).toEqual([
      [1, 'entry.created'],
      [2, 'entry.updated'],
      [3, 'entry.deleted'],
    ]);
    expect(changes[1]).toMatchObject({ entry: { id: entry.id, body: 'Hello, world', html: '<p>Hello, world</p>\n', version: 2 } });
  });

  it('replays exactly the missed changes after a reconnect with since', async () => {
    const { slug } = await createPost(t);
    const first = reader();
    await subscribe(first.socket, { slug });
    for (let i = 1; i <= 3; i++) await postEntry(t, slug, `Before ${i}`);
    await until(() => first.changes.length === 3, 'first three');
    first.socket.close();

    for (let i = 1; i <= 20; i++) await postEntry(t, slug, `Missed ${i}`);

    const again = reader();
    const ack = await subscribe(again.socket, { slug, since: 3 });
    expect(ack).toEqual({ ok: true, lastSeq: 23 });
    await until(() => again.changes.length >= 20, 'twenty missed changes');
    await postEntry(t, slug, 'Live again');
    await until(() => again.changes.length === 21, 'the live change');
    expect(again.changes.map((change) => change.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 4));
    expect(again.changes.slice(0, 20).map((change) => change.type === 'entry.created' && change.entry.body)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Missed ${i + 1}`),
    );
  });

  it('bounds what one subscribe replays; the ack tells the client how far to catch up over HTTP', async () => {
    const { slug } = await createPost(t);
    for (let i = 1; i <= 130; i++) await postEntry(t, slug, `Entry ${i}`);
    const { socket, changes } = reader();
    expect(await subscribe(socket, { slug, since: 0 })).toEqual({ ok: true, lastSeq: 130 });
    expect(changes.map((change) => change.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('replays in one `changes` message when the reader asks for a batch, then goes on live', async () => {
    const { slug } = await createPost(t);
    for (let i = 1; i <= 12; i++) await postEntry(t, slug, `Entry ${i}`);
    const batches: Change[][] = [];
    const listen = () => {
      const one = reader();
      one.socket.on('changes', (changes: Change[]) => batches.push(changes));
      return one;
    };
    const first = listen();
    expect(await subscribe(first.socket, { slug, since: 4, batch: true })).toEqual({ ok: true, lastSeq: 12 });
    // The batch is emitted before the ack, and nothing comes one by one.
    expect(batches.map((batch) => batch.map((change) => change.seq))).toEqual([[5, 6, 7, 8, 9, 10, 11, 12]]);
    expect(batches[0]![0]).toMatchObject({ type: 'entry.created', entry: { body: 'Entry 5', html: '<p>Entry 5</p>\n' } });
    expect(first.changes).toEqual([]);

    // A second reader asking for the same replay gets the same; once the log has moved on, the new content.
    const second = listen();
    await subscribe(second.socket, { slug, since: 4, batch: true });
    expect(batches[1]).toEqual(batches[0]);
    await postEntry(t, slug, 'Entry 13');
    await until(() => first.changes.length === 1 && second.changes.length === 1, 'the live change on both');
    expect(first.changes[0]).toMatchObject({ seq: 13, entry: { body: 'Entry 13' } });
    const third = listen();
    expect(await subscribe(third.socket, { slug, since: 4, batch: true })).toEqual({ ok: true, lastSeq: 13 });
    expect(batches[2]!.map((change) => change.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(batches[2]!.at(-1)).toEqual(first.changes[0]);

    // Nothing missed: no message at all.
    const current = listen();
    await subscribe(current.socket, { slug, since: 13, batch: true });
    expect(batches).toHaveLength(3);
  });

  it('a reader on HTTP long-polling gets the live changes too', async () => {
    const { slug } = await createPost(t);
    const socket = connect(url, { transports: ['polling'], reconnection: false, forceNew: true });
    sockets.push(socket);
    const changes: Change[] = [];
    socket.on('change', (change: Change) => changes.push(change));
    expect(await subscribe(socket, { slug })).toEqual({ ok: true, lastSeq: 0 });
    for (let i = 1; i <= 3; i++) await postEntry(t, slug, `Polled ${i}`);
    await until(() => changes.length === 3, 'three changes over polling');
    expect(changes.map((change) => change.seq)).toEqual([1, 2, 3]);
  });

  it('a change published while packets wait in a socket\'s queue arrives after them', async () => {
    const { slug } = await createPost(t);
    const { socket, changes } = reader();
    await subscribe(socket, { slug });
    const presence: number[] = [];
    const order: string[] = [];
    socket.on('presence', (event: { readers: number }) => {
      presence.push(event.readers);
      order.push(`presence ${event.readers}`);
    });
    socket.on('change', (change: Change) => order.push(`change ${change.seq}`));
    const [server] = await t.app.realtime.io.fetchSockets();
    // The first emit is written at once and leaves the transport busy until the write completes;
    // the second waits in engine.io's queue. The change must not overtake it.
    server!.emit('presence', { slug, readers: 1 });
    server!.emit('presence', { slug, readers: 2 });
    const post = t.app.stores.posts.bySlug(slug)!;
    const change: Change = { seq: 1, type: 'post.updated', post };
    t.app.realtime.publisher.publish({ postId: post.id, seq: 1, change, json: JSON.stringify(change) });
    await until(() => order.length === 3, 'both presence events and the change');
    expect(order).toEqual(['presence 1', 'presence 2', 'change 1']);
    expect(changes).toHaveLength(1);
  });

  it('only sends a post its own changes', async () => {
    const a = await createPost(t, { title: 'A' });
    const b = await createPost(t, { title: 'B' });
    const { socket, changes } = reader();
    await subscribe(socket, { slug: a.slug });
    await postEntry(t, b.slug, 'for B');
    await postEntry(t, a.slug, 'for A');
    await until(() => changes.length === 1, 'A change');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ entry: { body: 'for A' } });
  });

  it('answers unknown slugs and malformed payloads with an error ack and stays up', async () => {
    const { slug } = await createPost(t);
    const { socket, changes } = reader();
    expect(await subscribe(socket, { slug: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await subscribe(socket, { slug: 42 })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(await subscribe(socket, 'garbage')).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(await subscribe(socket, { slug, since: -5 })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    socket.emit('subscribe'); // no ack callback at all
    socket.emit('change', { seq: 99, type: 'entry.created' }); // readers cannot publish
    expect(await subscribe(socket, { slug })).toEqual({ ok: true, lastSeq: 0 });
    await postEntry(t, slug, 'still here');
    await until(() => changes.length === 1, 'a change');
    expect(changes[0]!.seq).toBe(1);
  });
});
