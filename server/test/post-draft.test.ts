import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change, Entry, Post, SubscribeAck } from '../../contract/index.js';
import { createPost, createTestApp, type TestApp, until } from './helpers.js';
import { itsRoleMatrix, type Role, type RoleAction } from './role-matrix.js';
import { loginAs, type Login } from './session-helpers.js';
import { SseClient } from './sse-client.js';
import { WebhookReceiver } from './webhook-receiver.js';

/**
 * Issue 17, post-level draft: a post prepared privately. While it is a draft, with published
 * entries in it, every public surface (anonymous, as a reader or a partner) knows nothing of it:
 * pages, API, change log, the readers' socket and its replay, SSE, feeds, embeds, oEmbed, search,
 * the home page, the public export, participation routes, webhooks and the caches. Its desk
 * follows it over the newsroom socket. Once it goes live, everything prepared is there at once.
 */

// Webhooks to a local receiver, retries compressed; no load shedding.
const ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_MS: '100', LOAD_SHED_READ_DELAY_MS: '0', LOAD_SHED_WRITE_DELAY_MS: '0' };
const SECRET = 'Codename Bluebird ships in March';
const LATER = 'Bluebird pricing starts at 9 dollars';
const TITLE = 'Secret Launch Event';

let t: TestApp;
let url: string;
let hook: WebhookReceiver;
let editor: Login;
const sockets: Socket[] = [];
let post: Post;
let formerSlug: string;
let entries: Entry[] = [];
let pollId: number;
let control: { slug: string };

const anonymous = (path: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: path, headers });

beforeAll(async () => {
  t = await createTestApp(ENV);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  editor = await loginAs(t, 'editor');
  hook = new WebhookReceiver();
  await hook.start();
  // A site-wide endpoint, registered before the draft post exists.
  const registered = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: t.auth('admin'), payload: { url: hook.url } });
  expect(registered.statusCode, registered.body).toBe(201);
  hook.secret = (registered.json() as { secret: string }).secret;
  control = await createPost(t, { title: 'Public control', status: 'live' });

  // The draft: created, renamed once (a former slug must not lead to it), written into.
  const created = await createPost(t, { title: TITLE, status: 'draft', slug: 'secret-launch-early' });
  formerSlug = created.slug;
  const renamed = await t.app.inject({ method: 'PATCH', url: `/api/posts/${created.slug}`, headers: { ...t.auth('editor'), 'if-match': String(created.version) }, payload: { slug: 'secret-launch' } });
  expect(renamed.statusCode, renamed.body).toBe(200);
  for (const [body, keyEvent] of [[SECRET, true], ['Second prepared entry: Bluebird demo video', false]] as const) {
    const response = await t.app.inject({ method: 'POST', url: '/api/posts/secret-launch/entries', headers: t.auth('author'), payload: { body, keyEvent } });
    expect(response.statusCode, response.body).toBe(201);
    entries.push(response.json());
  }
  const poll = await t.app.inject({ method: 'POST', url: '/api/posts/secret-launch/polls', headers: t.auth('editor'), payload: { question: 'Bluebird or Robin?', options: ['Bluebird', 'Robin'] } });
  expect(poll.statusCode, poll.body).toBe(201);
  pollId = (poll.json() as { poll: { id: number } }).poll.id;
  entries.push((poll.json() as { entry: Entry }).entry);
  post = (await t.app.inject({ url: '/api/posts/secret-launch', headers: t.auth('editor') })).json<{ post: Post }>().post;
}, 60_000);

afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await hook.stop();
  await t.close();
});

function readerSocket(): { socket: Socket; changes: Change[] } {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const changes: Change[] = [];
  socket.on('change', (change: Change) => changes.push(change));
  socket.on('changes', (batch: Change[]) => changes.push(...batch));
  return { socket, changes };
}

function deskSocket(cookie: string): { socket: Socket; changes: Change[] } {
  const socket = connect(url, { path: '/newsroom/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie } });
  sockets.push(socket);
  const changes: Change[] = [];
  socket.on('change', (change: Change) => changes.push(change));
  socket.on('changes', (batch: Change[]) => changes.push(...batch));
  return { socket, changes };
}

const leaks = (text: string) => text.includes('Bluebird') || text.includes(TITLE);

/** Every public read of the post, anonymous: [what, status, body]. */
async function publicReads(): Promise<[string, number, string][]> {
  const slug = post.slug;
  const entryId = entries[0]!.id;
  const reads: [string, () => Promise<{ statusCode: number; body: string }>][] = [
    ['page', () => anonymous(`/posts/${slug}`)],
    ['page via former slug', () => anonymous(`/posts/${formerSlug}`)],
    ['page, key moments', () => anonymous(`/posts/${slug}?filter=key`)],
    ['embed page', () => anonymous(`/posts/${slug}/embed`)],
    ['post feed', () => anonymous(`/posts/${slug}/feed.atom`)],
    ['Jekyll export', () => anonymous(`/posts/${slug}.md`)],
    ['API post', () => anonymous(`/api/posts/${slug}`)],
    ['API post with its ETag', () => anonymous(`/api/posts/${slug}`, { 'if-none-match': `W/"${post.id}-${post.lastSeq}"` })],
    ['API entries', () => anonymous(`/api/posts/${slug}/entries`)],
    ['API entries from the start', () => anonymous(`/api/posts/${slug}/entries?after=start`)],
    ['API entry by id', () => anonymous(`/api/entries/${entryId}`)],
    ['changes', () => anonymous(`/api/posts/${slug}/changes?since=0`)],
    ['changes, polled', () => anonymous(`/api/posts/${slug}/changes?since=0&poll=1`)],
    ['changes via former slug', () => anonymous(`/api/posts/${formerSlug}/changes?since=0`)],
    ['search', () => anonymous(`/api/posts/${slug}/search?q=bluebird`)],
    ['reactions', () => anonymous(`/api/posts/${slug}/reactions`)],
    ['participation', () => anonymous(`/api/posts/${slug}/participation`)],
    ['polls', () => anonymous(`/api/posts/${slug}/polls`)],
    ['question ticket', () => anonymous(`/api/posts/${slug}/questions/ticket`)],
    ['oEmbed', () => anonymous(`/oembed?url=${encodeURIComponent(`http://liveline.test/posts/${slug}`)}`)],
    ['react', () => t.app.inject({ method: 'POST', url: `/api/entries/${entryId}/reactions`, payload: { reader: 'reader-0123456789abcdef', reaction: 'like' } })],
    ['vote', () => t.app.inject({ method: 'POST', url: `/api/polls/${pollId}/votes`, payload: { reader: 'reader-0123456789abcdef', option: 0 } })],
    ['ask', () => t.app.inject({ method: 'POST', url: `/api/posts/${slug}/questions`, payload: { question: 'When?', ticket: 'x' } })],
    [
      'push',
      () => t.app.inject({ method: 'POST', url: `/api/posts/${slug}/push`, payload: { subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' } } } }),
    ],
  ];
  return Promise.all(reads.map(async ([what, read]) => {
    const response = await read();
    return [what, response.statusCode, response.body] as [string, number, string];
  }));
}

describe('a draft post', () => {
  it('is nowhere for anonymous readers: every surface answers 404 or leaves it out, and never shows its text', async () => {
    for (const [what, status, body] of await publicReads()) {
      expect(status, `${what}: ${body.slice(0, 200)}`).toBe(404);
      expect(leaks(body), `${what} leaks: ${body.slice(0, 300)}`).toBe(false);
    }
    // Lists: the home page, the site feed, the API list (also when asking for drafts by name).
    for (const path of ['/', '/feed.atom', '/api/posts', '/api/posts?status=draft', '/api/posts?status=scheduled']) {
      const response = await anonymous(path);
      expect(response.statusCode, path).toBe(200);
      expect(leaks(response.body), `${path} leaks`).toBe(false);
    }
    expect((await anonymous('/')).body).toContain('Public control');
    expect((await anonymous('/api/posts?status=draft')).json()).toEqual({ posts: [] });
    // An invalid token reads as the public, not as the newsroom.
    const forged = await anonymous(`/api/posts/${post.slug}`, { authorization: 'Bearer not-a-token' });
    expect(forged.statusCode).toBe(404);
  });

  it('refuses the readers\' socket subscribe like an unknown post, and sends nothing live to any reader', async () => {
    const { socket, changes } = readerSocket();
    await until(() => socket.connected, 'the reader socket to connect');
    for (const slug of [post.slug, formerSlug]) {
      const ack: SubscribeAck = await socket.timeout(5000).emitWithAck('subscribe', { slug, since: 0, batch: true });
      expect(ack).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
    const unknown: SubscribeAck = await socket.timeout(5000).emitWithAck('subscribe', { slug: 'no-such-post', since: 0 });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // A reader of the public control post: a new entry in the draft never reaches it.
    expect(await socket.timeout(5000).emitWithAck('subscribe', { slug: control.slug, since: 0 })).toMatchObject({ ok: true });
    const sse = await SseClient.open(`${url}/api/posts/${post.slug}/events?since=0`);
    expect(sse.status).toBe(404);
    expect(leaks(sse.body)).toBe(false);
    sse.close();
    const written = await t.app.inject({ method: 'POST', url: `/api/posts/${post.slug}/entries`, headers: t.auth('author'), payload: { body: 'Third prepared entry: Bluebird colours' } });
    expect(written.statusCode).toBe(201);
    entries.push(written.json());
    const controlEntry = await t.app.inject({ method: 'POST', url: `/api/posts/${control.slug}/entries`, headers: t.auth('author'), payload: { body: 'Meanwhile, in public' } });
    expect(controlEntry.statusCode).toBe(201);
    await until(() => changes.some((change) => change.type === 'entry.created' && change.entry.body === 'Meanwhile, in public'), 'the control entry');
    expect(changes.every((change) => (change.type === 'post.updated' ? change.post.id : change.entry.postId) !== post.id), JSON.stringify(changes)).toBe(true);
  });

  it('sends no webhook for it while it is a draft (the public control post\'s changes go out)', async () => {
    await until(() => hook.received.some((delivery) => delivery.body.includes('Meanwhile, in public')), 'the control post\'s delivery');
    expect(hook.received.filter((delivery) => delivery.payload.post.id === post.id)).toEqual([]);
    expect(hook.received.some((delivery) => leaks(delivery.body))).toBe(false);
  });

  it('is the newsroom\'s: its desk reads it privately (never cached for readers) and follows it over the newsroom socket', async () => {
    const read = await t.app.inject({ url: `/api/posts/${post.slug}`, headers: { cookie: editor.cookie } });
    expect(read.statusCode).toBe(200);
    expect(read.headers['cache-control']).toBe('private, no-store');
    expect(read.json<{ entries: Entry[] }>().entries.map((entry) => entry.body)).toContain(SECRET);
    // Right after the desk's read, the same URL anonymously, with and without its ETag: nothing kept.
    expect((await anonymous(`/api/posts/${post.slug}`)).statusCode).toBe(404);
    expect((await anonymous(`/api/posts/${post.slug}`, { 'if-none-match': String(read.headers.etag) })).statusCode).toBe(404);
    const changes = await t.app.inject({ url: `/api/posts/${post.slug}/changes?since=0`, headers: { cookie: editor.cookie } });
    expect(changes.statusCode).toBe(200);
    expect(changes.headers['cache-control']).toBe('private, no-store');
    expect(changes.body).toContain(SECRET);

    // The readers' socket refuses it; the newsroom's follows it: replay, then live.
    const desk = deskSocket(editor.cookie);
    const ack: SubscribeAck = await desk.socket.timeout(5000).emitWithAck('desk:follow', { slug: post.slug, since: 0 });
    const lastSeq = (await t.app.inject({ url: `/api/posts/${post.slug}`, headers: t.auth('editor') })).json<{ lastSeq: number }>().lastSeq;
    expect(ack).toEqual({ ok: true, lastSeq });
    await until(() => desk.changes.length > 0, 'the replay');
    expect(desk.changes.map((change) => change.seq)).toEqual(Array.from({ length: Math.min(lastSeq, 100) }, (_, i) => i + 1));
    expect(JSON.stringify(desk.changes)).toContain(SECRET);
    const live = await t.app.inject({ method: 'POST', url: `/api/posts/${post.slug}/entries`, headers: t.auth('editor'), payload: { body: 'Fourth prepared entry: Bluebird launch time' } });
    entries.push(live.json());
    await until(() => desk.changes.some((change) => change.seq === lastSeq + 1), 'the live change on the desk');
    // An entry draft published into the draft post (the drafts service's own publisher): the desk too.
    const saved = await t.app.inject({ method: 'POST', url: `/api/posts/${post.slug}/entries`, headers: t.auth('author'), payload: { body: 'Fifth, from a draft: Bluebird FAQ', state: 'draft' } });
    expect(saved.statusCode, saved.body).toBe(201);
    const fromDraft = await t.app.inject({ method: 'POST', url: `/api/drafts/${saved.json<{ id: number }>().id}/publish`, headers: { ...t.auth('author'), 'if-match': '1' } });
    expect(fromDraft.statusCode, fromDraft.body).toBe(201);
    entries.push(fromDraft.json());
    await until(() => desk.changes.some((change) => change.type === 'entry.created' && change.entry.body === 'Fifth, from a draft: Bluebird FAQ'), 'the published draft on the desk');
    expect((await anonymous(`/api/entries/${fromDraft.json<{ id: number }>().id}`)).statusCode).toBe(404);

    // Without a session there is no newsroom socket at all.
    const stranger = connect(url, { path: '/newsroom/socket.io', transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(stranger);
    const refused = await new Promise<string>((resolve) => stranger.on('connect_error', (error) => resolve(error.message)));
    expect(refused).toBe('unauthenticated');
  });

  it('cannot go back to draft once public, and the newsroom list shows its Draft badge', async () => {
    const list = await t.app.inject({ url: '/admin', headers: { cookie: editor.cookie } });
    expect(list.body).toMatch(/<tr data-slug="secret-launch">.*status-draft">Draft — not public</);
    const control2 = (await t.app.inject({ url: `/api/posts/${control.slug}`, headers: t.auth('editor') })).json<{ post: Post }>().post;
    const back = await t.app.inject({ method: 'PATCH', url: `/api/posts/${control.slug}`, headers: { ...t.auth('editor'), 'if-match': String(control2.version) }, payload: { status: 'draft' } });
    expect(back.statusCode).toBe(409);
    expect(back.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(back.json()).toMatchObject({ type: expect.stringContaining('post-public') });
  });

  it('once live, readers get everything prepared: page, API, changes, socket replay, SSE, feeds, embed, oEmbed, search, home, export, webhooks', async () => {
    const current = (await t.app.inject({ url: `/api/posts/${post.slug}`, headers: t.auth('editor') })).json<{ post: Post }>().post;
    const { socket, changes: live } = readerSocket();
    await until(() => socket.connected, 'the reader socket');
    const published = await t.app.inject({ method: 'PATCH', url: `/api/posts/${post.slug}`, headers: { ...t.auth('editor'), 'if-match': String(current.version) }, payload: { status: 'live' } });
    expect(published.statusCode, published.body).toBe(200);
    post = published.json();

    for (const path of [`/posts/${post.slug}`, `/posts/${post.slug}/embed`, `/posts/${post.slug}/feed.atom`, `/posts/${post.slug}.md`, `/api/posts/${post.slug}`, `/api/posts/${post.slug}/entries`, `/api/posts/${post.slug}/changes?since=0`, `/api/entries/${entries[0]!.id}`]) {
      const response = await anonymous(path);
      expect(response.statusCode, path).toBe(200);
      expect(response.body, path).toContain('Bluebird ships in March');
    }
    expect((await anonymous(`/posts/${formerSlug}`)).statusCode).toBe(301);
    expect((await anonymous(`/api/posts/${post.slug}/search?q=bluebird`)).json<{ hits: unknown[] }>().hits.length).toBe(entries.length);
    expect((await anonymous('/')).body).toContain(TITLE);
    expect((await anonymous('/feed.atom')).body).toContain(TITLE);
    expect((await anonymous('/api/posts')).json<{ posts: Post[] }>().posts.map((p) => p.slug)).toContain(post.slug);
    expect((await anonymous(`/oembed?url=${encodeURIComponent(`http://liveline.test/posts/${post.slug}`)}`)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/polls/${pollId}/votes`, payload: { reader: 'reader-0123456789abcdef', option: 0 } })).statusCode).toBe(200);

    // The readers' socket: subscribe from 0 replays every prepared entry, then goes on live.
    const ack: SubscribeAck = await socket.timeout(5000).emitWithAck('subscribe', { slug: post.slug, since: 0, batch: true });
    expect(ack).toEqual({ ok: true, lastSeq: post.lastSeq });
    await until(() => live.some((change) => change.seq === post.lastSeq), 'the replay');
    expect(JSON.stringify(live)).toContain(SECRET);
    const sse = await SseClient.open(`${url}/api/posts/${post.slug}/events?since=0`);
    expect(sse.status).toBe(200);
    await until(() => sse.seqs.includes(post.lastSeq), 'the SSE replay');
    sse.close();
    const after = await t.app.inject({ method: 'POST', url: `/api/posts/${post.slug}/entries`, headers: t.auth('author'), payload: { body: LATER } });
    expect(after.statusCode).toBe(201);
    await until(() => live.some((change) => change.type === 'entry.created' && change.entry.body === LATER), 'the new entry, live');

    // Webhooks: the post's whole log goes out once it is public, in order, ending with the new entry.
    await until(() => hook.received.some((delivery) => delivery.body.includes(LATER)), 'the webhook of the new entry');
    const ofPost = hook.received.filter((delivery) => delivery.payload.post.id === post.id);
    expect(ofPost.map((delivery) => delivery.payload.seq)).toEqual(Array.from({ length: ofPost.length }, (_, i) => i + 1));
    expect(ofPost.some((delivery) => delivery.body.includes(SECRET))).toBe(true);
    expect(ofPost.some((delivery) => delivery.payload.type === 'post.updated' && delivery.body.includes('"status":"live"'))).toBe(true);
  });
});

describe('who may make and change a draft post', () => {
  type Who = Role;
  let tokens: Record<Exclude<Who, 'anonymous'>, string>;
  let n = 0;
  beforeAll(() => {
    tokens = { contributor: t.app.stores.tokens.create('Cora Contributor', 'contributor', new Date().toISOString()).token, author: t.tokens.author, editor: t.tokens.editor, admin: t.tokens.admin };
  });
  const headersOf = (who: Who): Record<string, string> => (who === 'anonymous' ? {} : { authorization: `Bearer ${tokens[who]}` });
  const draftPost = async () => createPost(t, { title: `Draft roles ${++n}`, status: 'draft' });

  const actions: RoleAction[] = [
    {
      name: 'POST /api/posts {status: draft}',
      expected: { anonymous: 401, contributor: 403, author: 403, editor: 201, admin: 201 },
      request: async () => ({ method: 'POST', url: '/api/posts', payload: { title: `Made as draft ${++n}`, status: 'draft' } }),
    },
    {
      name: 'PATCH /api/posts/:slug {status: live} of a draft',
      expected: { anonymous: 401, contributor: 403, author: 403, editor: 200, admin: 200 },
      request: async () => {
        const created = await draftPost();
        return { method: 'PATCH', url: `/api/posts/${created.slug}`, payload: { status: 'live' }, headers: { 'if-match': String(created.version) } };
      },
    },
    {
      name: 'PATCH /api/posts/:slug {status: scheduled} of a draft',
      expected: { anonymous: 401, contributor: 403, author: 403, editor: 200, admin: 200 },
      request: async () => {
        const created = await draftPost();
        return { method: 'PATCH', url: `/api/posts/${created.slug}`, payload: { status: 'scheduled' }, headers: { 'if-match': String(created.version) } };
      },
    },
    {
      name: 'PATCH /api/posts/:slug {status: draft} of a live post',
      expected: { anonymous: 401, contributor: 403, author: 403, editor: 409, admin: 409 },
      request: async () => {
        const created = await createPost(t, { title: `Live roles ${++n}`, status: 'live' });
        return { method: 'PATCH', url: `/api/posts/${created.slug}`, payload: { status: 'draft' }, headers: { 'if-match': String(created.version) } };
      },
    },
    {
      name: 'GET /api/posts/:slug of a draft',
      expected: { anonymous: 404, contributor: 200, author: 200, editor: 200, admin: 200 },
      request: async () => ({ method: 'GET', url: `/api/posts/${(await draftPost()).slug}` }),
    },
    {
      name: 'POST /api/posts/:slug/entries into a draft',
      expected: { anonymous: 401, contributor: 403, author: 201, editor: 201, admin: 201 },
      request: async () => ({ method: 'POST', url: `/api/posts/${(await draftPost()).slug}/entries`, payload: { body: 'Prepared' } }),
    },
    {
      name: 'POST /api/posts/:slug/entries {state: draft} into a draft',
      expected: { anonymous: 401, contributor: 201, author: 201, editor: 201, admin: 201 },
      request: async () => ({ method: 'POST', url: `/api/posts/${(await draftPost()).slug}/entries`, payload: { body: 'Prepared', state: 'draft' } }),
    },
  ];

  itsRoleMatrix(() => t, actions, headersOf);
});

describe('the draft post gate (services/draft-post-gate.ts)', () => {
  it('sends a draft post\'s changes to the desks only, a public post\'s to both, and a failing desk never stops readers\' delivery', async () => {
    const { DraftPostGate } = await import('../services/draft-post-gate.js');
    const errors: string[] = [];
    const gate = new DraftPostGate((postId) => postId === 1, { error: (_details, message) => errors.push(message) });
    const readers: number[] = [];
    const desks: number[] = [];
    const publisher = gate.wrap({ publish: (change) => readers.push(change.postId) });
    const change = (postId: number) => ({ postId, seq: 1, json: '{}', change: { seq: 1, type: 'entry.deleted' as const, entry: { id: 1, postId, version: 1, deletedAt: 'now' } } });
    publisher.publish(change(1));
    gate.followWith({ change: (logged) => desks.push(logged.postId) });
    publisher.publish(change(1));
    publisher.publish(change(2));
    expect(readers).toEqual([2]);
    expect(desks).toEqual([1, 2]);
    gate.followWith({ change: () => { throw new Error('desk down'); } });
    publisher.publish(change(2));
    expect(readers).toEqual([2, 2]);
    expect(errors).toHaveLength(1);
  });
});
