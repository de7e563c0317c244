import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';
import type { Change, SubscribeAck } from '../../contract/index.js';

let t: TestApp;
let socket: Socket | undefined;
beforeEach(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  socket?.close();
  await t.close();
});

it('pinning B unpins A: a subscribed reader gets both changes, in order; a former slug still subscribes', async () => {
  const { slug } = await createPost(t, { title: 'Keynote' });
  const a = (await postEntry(t, slug, 'A')).json();
  const b = (await postEntry(t, slug, 'B')).json();
  await t.app.inject({ method: 'PUT', url: `/api/entries/${a.id}/pin`, headers: t.auth('editor') });
  const post = (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}` })).json().post;
  await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': String(post.version) }, payload: { slug: 'renamed' } });

  socket = connect(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  const changes: Change[] = [];
  socket.on('change', (change: Change) => changes.push(change));
  // The page was opened before the rename: it still subscribes with the old slug.
  const ack: SubscribeAck = await socket.timeout(5000).emitWithAck('subscribe', { slug, since: 4 });
  expect(ack).toEqual({ ok: true, lastSeq: 4 });

  await t.app.inject({ method: 'PUT', url: `/api/entries/${b.id}/pin`, headers: t.auth('editor') });
  const deadline = Date.now() + 10_000;
  while (changes.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(changes).toMatchObject([
    { seq: 5, type: 'entry.updated', entry: { id: a.id, pinned: false } },
    { seq: 6, type: 'entry.updated', entry: { id: b.id, pinned: true } },
  ]);
});
