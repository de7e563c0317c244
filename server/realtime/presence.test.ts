import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp, until } from '../test/helpers.js';
import type { Presence } from '../../contract/index.js';

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

function reader(): { socket: Socket; seen: Presence[] } {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const seen: Presence[] = [];
  socket.on('presence', (presence: Presence) => seen.push(presence));
  return { socket, seen };
}

describe('presence (one process, no Redis)', () => {
  it('tells the readers of a post how many they are, as they come and go, and counts them in /metrics', async () => {
    const { slug } = await createPost(t);
    const other = await createPost(t, { title: 'Other' });
    const first = reader();
    await first.socket.timeout(5000).emitWithAck('subscribe', { slug });
    await until(() => first.seen.at(-1)?.readers === 1, 'one reader', 20_000);

    const second = reader();
    const elsewhere = reader();
    await second.socket.timeout(5000).emitWithAck('subscribe', { slug });
    await elsewhere.socket.timeout(5000).emitWithAck('subscribe', { slug: other.slug });
    await until(() => first.seen.at(-1)?.readers === 2 && second.seen.at(-1)?.readers === 2, 'two readers', 20_000);
    expect(first.seen.every((presence) => presence.slug === slug)).toBe(true);
    // Each post's readers hear only their own post's count.
    await until(() => elsewhere.seen.length > 0, 'the other post count', 20_000);
    expect(elsewhere.seen).toEqual([{ slug: other.slug, readers: 1 }]);

    const metrics = await t.app.inject('/metrics');
    expect(metrics.body).toContain(`liveline_post_readers{post="${slug}"} 2`);
    expect(metrics.body).toMatch(/liveline_connected_readers 3/);

    second.socket.close();
    await until(() => first.seen.at(-1)?.readers === 1, 'back to one reader', 20_000);
  });

  it('does not count the newsroom: a desk follows the post and hears the count, but is not a reader', async () => {
    const { slug } = await createPost(t);
    const desk = reader();
    expect(await desk.socket.timeout(5000).emitWithAck('subscribe', { slug, batch: true, desk: true })).toMatchObject({ ok: true });
    await until(() => desk.seen.at(-1)?.readers === 0, 'the desk hears 0 readers', 20_000);

    const first = reader();
    await first.socket.timeout(5000).emitWithAck('subscribe', { slug });
    await until(() => first.seen.at(-1)?.readers === 1 && desk.seen.at(-1)?.readers === 1, 'one reader, the desk not counted', 20_000);
    expect((await t.app.inject('/metrics')).body).toContain(`liveline_post_readers{post="${slug}"} 1`);

    // The desk receives the post's changes like any reader.
    const changes: unknown[] = [];
    desk.socket.on('change', (change: unknown) => changes.push(change));
    await postEntry(t, slug, 'For the desk too');
    await until(() => changes.length === 1, 'the desk got the entry', 20_000);

    // Leaving the post leaves its desk room too: counts stay right when the desk subscribes again.
    await desk.socket.timeout(5000).emitWithAck('unsubscribe', { slug });
    await desk.socket.timeout(5000).emitWithAck('subscribe', { slug, desk: true });
    await until(() => first.seen.at(-1)?.readers === 1, 'still one reader', 20_000);
  });
});
