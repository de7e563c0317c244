import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { hasRedis, useFanoutCluster } from './fanout-cluster.js';
import { createPost, until } from './helpers.js';
import { SseClient } from './sse-client.js';
import type { Change, Post, SubscribeAck } from '../../contract/index.js';

/**
 * Issue 17, post-level draft, in a cluster: a fan-out node (no database; it asks the primary over
 * HTTP, anonymously, and gets changes through Redis) serves no draft post. Its readers' subscribe
 * and SSE are refused like an unknown post, no change of the draft crosses Redis to its readers,
 * and once the post is live the node replays everything prepared and goes on live.
 */
if (!hasRedis && !process.env.CI) console.warn('post-draft fan-out tests skipped: install redis-server');

const stack = useFanoutCluster('post-draft-fanout');
const sockets: Socket[] = [];

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.close();
}, 30_000);

function reader(): { socket: Socket; changes: Change[] } {
  const socket = connect(stack.fanoutUrl, { transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const changes: Change[] = [];
  socket.on('change', (change: Change) => changes.push(change));
  socket.on('changes', (batch: Change[]) => changes.push(...batch));
  return { socket, changes };
}

const entry = (slug: string, body: string) => stack.primary.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: stack.primary.auth('author'), payload: { body } });

describe.skipIf(!hasRedis && !process.env.CI)('a draft post on a fan-out node', () => {
  it('is unknown to its readers until it is live, then replays everything prepared and goes on live', async () => {
    const control = await createPost(stack.primary, { title: 'Public control', status: 'live' });
    const draft = await createPost(stack.primary, { title: 'Fan-out secret', status: 'draft' });
    expect((await entry(draft.slug, 'Prepared: Bluebird')).statusCode).toBe(201);

    const { socket, changes } = reader();
    const refused: SubscribeAck = await socket.timeout(10_000).emitWithAck('subscribe', { slug: draft.slug, since: 0, batch: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const sse = await SseClient.open(`${stack.fanoutUrl}/api/posts/${draft.slug}/events?since=0`);
    expect(sse.status).toBe(404);
    expect(sse.body).not.toContain('Bluebird');
    sse.close();
    expect(await socket.timeout(10_000).emitWithAck('subscribe', { slug: control.slug, since: 0 })).toMatchObject({ ok: true });

    // A draft entry, then a public one: the public one arrives, the draft's never did.
    expect((await entry(draft.slug, 'Prepared too: Bluebird colours')).statusCode).toBe(201);
    expect((await entry(control.slug, 'Meanwhile, in public')).statusCode).toBe(201);
    await until(() => changes.some((change) => change.type === 'entry.created' && change.entry.body === 'Meanwhile, in public'), 'the control entry on the fan-out node', 20_000);
    expect(JSON.stringify(changes)).not.toContain('Bluebird');

    // Live: the fan-out node now knows it, replays from 0, and delivers what follows. A reader
    // refused a moment before (the node keeps that miss for 2 s, remote-source.ts) is not refused
    // again once the post.updated that made it public has come down the stream.
    expect(await socket.timeout(10_000).emitWithAck('subscribe', { slug: draft.slug, since: 0, batch: true })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const current = (await stack.primary.app.inject({ url: `/api/posts/${draft.slug}`, headers: stack.primary.auth('editor') })).json<{ post: Post }>().post;
    const live = await stack.primary.app.inject({ method: 'PATCH', url: `/api/posts/${draft.slug}`, headers: { ...stack.primary.auth('editor'), 'if-match': String(current.version) }, payload: { status: 'live' } });
    expect(live.statusCode, live.body).toBe(200);
    const post = live.json<Post>();
    // The stream is in order: once a later public change has reached the node, so has the post.updated.
    expect((await entry(control.slug, 'Meanwhile, still in public')).statusCode).toBe(201);
    await until(() => changes.some((change) => change.type === 'entry.created' && change.entry.body === 'Meanwhile, still in public'), 'the next control entry on the fan-out node', 20_000);
    const follower = reader();
    await until(() => follower.socket.connected, 'the second reader to connect', 10_000);
    const ack: SubscribeAck = await follower.socket.timeout(10_000).emitWithAck('subscribe', { slug: draft.slug, since: 0, batch: true });
    expect(ack).toMatchObject({ ok: true, lastSeq: post.lastSeq });
    await until(() => follower.changes.some((change) => change.seq === post.lastSeq), 'the replay on the fan-out node', 20_000);
    expect(JSON.stringify(follower.changes)).toContain('Prepared: Bluebird');
    expect((await entry(draft.slug, 'After going live')).statusCode).toBe(201);
    await until(() => follower.changes.some((change) => change.type === 'entry.created' && change.entry.body === 'After going live'), 'the live entry on the fan-out node', 20_000);
  }, 60_000);
});
