import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change, Draft, Entry } from '../../contract/index.js';
import { createPost, createTestApp, postEntry, type TestApp, until } from './helpers.js';

/**
 * Entries before they are public (issue 17): drafts shared with the newsroom, a contributor's
 * submission and the editor's review, scheduled entries, and that nothing of a draft reaches a
 * public surface: the page, the API, the change log, a socket replay, the Atom feed, the JSON and
 * Markdown exports, search.
 */

let t: TestApp;
let url: string;
let contributor: string;
let posts = 0;
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  contributor = t.app.stores.tokens.create('Cora Contributor', 'contributor', new Date().toISOString()).token;
});
afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await t.close();
});

type Who = 'author' | 'author2' | 'editor' | 'admin' | 'contributor';
const as = (who: Who) => (who === 'contributor' ? { authorization: `Bearer ${contributor}` } : t.auth(who));

async function draft(slug: string, body: string, who: Who = 'author', extra: Record<string, unknown> = {}): Promise<Draft> {
  const response = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: as(who), payload: { body, state: 'draft', ...extra } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function act(who: Who, method: 'POST' | 'PATCH' | 'DELETE', path: string, version: number, payload?: Record<string, unknown>) {
  return t.app.inject({ method, url: path, headers: { ...as(who), 'if-match': String(version) }, ...(payload === undefined ? {} : { payload }) });
}

async function changes(slug: string): Promise<Change[]> {
  return (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/changes?since=0` })).json<{ changes: Change[] }>().changes;
}

/** Everything public a reader (or a feed reader, a crawler, an archive) can get of a post. */
async function publicSurfaces(slug: string): Promise<Record<string, string>> {
  const get = async (path: string) => (await t.app.inject({ method: 'GET', url: path })).body;
  const replay = await new Promise<string>((resolve, reject) => {
    const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    const got: unknown[] = [];
    socket.on('change', (change: unknown) => got.push(change));
    socket.on('changes', (batch: unknown) => got.push(batch));
    socket.emit('subscribe', { slug, since: 0 }, (ack: { ok: boolean; lastSeq: number }) => {
      if (!ack.ok) return reject(new Error('subscribe failed'));
      // The replay is sent before the ack: whatever came, came.
      resolve(JSON.stringify(got));
      socket.close();
    });
  });
  return {
    page: await get(`/posts/${slug}`),
    api: await get(`/api/posts/${slug}`),
    entries: await get(`/api/posts/${slug}/entries`),
    changes: await get(`/api/posts/${slug}/changes?since=0`),
    replay,
    atom: await get(`/posts/${slug}/feed.atom`),
    siteAtom: await get('/feed.atom'),
    markdown: await get(`/posts/${slug}.md`),
    json: JSON.stringify(t.app.services.archives.exportJson(slug)),
    search: await get(`/api/posts/${slug}/search?q=zebracorn`),
    embed: await get(`/posts/${slug}/embed`),
    home: await get('/'),
  };
}

describe('drafts shared with the newsroom', () => {
  it('saves a draft that no reader sees, and a colleague publishes it under its author\u2019s byline, as one entry.created', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    const saved = await draft(slug, 'Draft about the zebracorn', 'author');
    expect(saved).toMatchObject({ state: 'draft', html: '<p>Draft about the zebracorn</p>\n', version: 1 });
    expect(saved.author.name).toBe('Ada Author');

    // The newsroom sees it, everyone's; readers see nothing of it anywhere.
    const list = await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/drafts`, headers: as('author2') });
    expect(list.json<{ drafts: Draft[] }>().drafts.map((d) => d.id)).toEqual([saved.id]);
    expect(list.headers['cache-control']).toMatch(/no-store/);
    for (const [surface, text] of Object.entries(await publicSurfaces(slug))) expect(text, surface).not.toContain('zebracorn');
    expect((await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/drafts` })).statusCode).toBe(401);

    // Bob edits Ada's draft and publishes it: the entry is Ada's.
    const edited = await act('author2', 'PATCH', `/api/drafts/${saved.id}`, 1, { body: 'The zebracorn has landed' });
    expect(edited.json()).toMatchObject({ version: 2, author: { name: 'Ada Author' }, updatedBy: { name: 'Bob Author' } });
    const published = await act('author2', 'POST', `/api/drafts/${saved.id}/publish`, 2);
    expect(published.statusCode, published.body).toBe(201);
    const entry = published.json<Entry>();
    expect(entry).toMatchObject({ body: 'The zebracorn has landed', author: { name: 'Ada Author' }, version: 1 });
    expect((await changes(slug)).map((c) => [c.type, c.type === 'post.updated' ? 0 : c.entry.id])).toEqual([['entry.created', entry.id]]);
    // It is no draft any more; publishing twice does not publish twice.
    expect((await t.app.inject({ method: 'GET', url: `/api/drafts/${saved.id}`, headers: as('author') })).statusCode).toBe(404);
    expect((await act('author2', 'POST', `/api/drafts/${saved.id}/publish`, 2)).statusCode).toBe(404);
    expect(await changes(slug)).toHaveLength(1);
  });

  it('keeps the old POST: without state an entry is published as before', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    const response = await postEntry(t, slug, 'Straight out');
    expect(response.statusCode).toBe(201);
    expect(response.json()).not.toHaveProperty('state');
    expect(await changes(slug)).toHaveLength(1);
  });

  it('refuses a scheduled state without a time, and a time without the scheduled state (problem+json)', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    for (const payload of [{ body: 'x', state: 'scheduled' }, { body: 'x', state: 'draft', publishAt: new Date().toISOString() }]) {
      const response = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: as('author'), payload });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});

describe('contributors and the review queue', () => {
  it('lets a contributor draft and submit but never publish (403 problem+json)', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    const refused = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: as('contributor'), payload: { body: 'Publish me' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.json()).toMatchObject({ status: 403, detail: expect.stringMatching(/Contributors cannot publish/) });

    const mine = await draft(slug, 'From the hall', 'contributor');
    expect((await act('contributor', 'POST', `/api/drafts/${mine.id}/publish`, 1)).statusCode).toBe(403);
    // Nor may an author publish it for them: that is an editor's approval.
    expect((await act('author', 'POST', `/api/drafts/${mine.id}/publish`, 1)).statusCode).toBe(403);
    const scheduled = await act('contributor', 'PATCH', `/api/drafts/${mine.id}`, 1, { state: 'scheduled', publishAt: new Date(Date.now() + 60_000).toISOString() });
    expect(scheduled.statusCode).toBe(403);
    expect(await changes(slug)).toEqual([]);
  });

  it('a contributor sees only their own drafts', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    await draft(slug, 'An author draft', 'author');
    const own = await draft(slug, 'A contributor draft', 'contributor');
    const list = await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/drafts`, headers: as('contributor') });
    expect(list.json<{ drafts: Draft[] }>().drafts.map((d) => d.body)).toEqual(['A contributor draft']);
    const others = (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/drafts`, headers: as('author') })).json<{ drafts: Draft[] }>().drafts;
    expect(others.map((d) => d.body).sort()).toEqual(['A contributor draft', 'An author draft']);
    const authorDraft = others.find((d) => d.body === 'An author draft')!;
    expect((await t.app.inject({ method: 'GET', url: `/api/drafts/${authorDraft.id}`, headers: as('contributor') })).statusCode).toBe(404);
    expect(own.author.name).toBe('Cora Contributor');
  });

  it('submit → return with a note → resubmit → approve: published once, credited to the contributor, every step audited', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    const submitted = (await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: as('contributor'), payload: { body: 'Speaker on stage', state: 'submitted' } })).json<Draft>();
    expect(submitted.state).toBe('submitted');
    // An author may not review.
    expect((await act('author', 'POST', `/api/drafts/${submitted.id}/approve`, 1)).statusCode).toBe(403);

    const returned = await act('editor', 'POST', `/api/drafts/${submitted.id}/return`, 1, { note: 'Name the speaker' });
    expect(returned.json()).toMatchObject({ state: 'draft', note: 'Name the speaker', version: 2 });
    const mine = (await t.app.inject({ method: 'GET', url: `/api/drafts/${submitted.id}`, headers: as('contributor') })).json<Draft>();
    expect(mine.note).toBe('Name the speaker');
    // A returned draft cannot be approved until it is submitted again.
    expect((await act('editor', 'POST', `/api/drafts/${submitted.id}/approve`, 2)).statusCode).toBe(409);

    const again = await act('contributor', 'PATCH', `/api/drafts/${submitted.id}`, 2, { body: 'Jane Doe on stage', state: 'submitted' });
    expect(again.json()).toMatchObject({ state: 'submitted', note: null, version: 3 });
    const approved = await act('editor', 'POST', `/api/drafts/${submitted.id}/approve`, 3);
    expect(approved.statusCode, approved.body).toBe(201);
    expect(approved.json()).toMatchObject({ body: 'Jane Doe on stage', author: { name: 'Cora Contributor' } });

    const log = await changes(slug);
    expect(log.map((c) => c.type)).toEqual(['entry.created']);
    const actions = t.app.stores.audit
      .recent(50)
      .filter((record) => record.subjectId === submitted.id && record.action.startsWith('draft.'))
      .map((record) => record.action)
      .reverse();
    expect(actions).toEqual(['draft.submitted', 'draft.returned', 'draft.submitted', 'draft.approved']);
  });

  it('a rejected draft never reaches any public surface', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    expect((await postEntry(t, slug, 'A public entry')).statusCode).toBe(201);
    const submitted = (await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: as('contributor'), payload: { body: 'The zebracorn rumour', state: 'submitted' } })).json<Draft>();
    const rejected = await act('editor', 'POST', `/api/drafts/${submitted.id}/reject`, 1, { note: 'Unsourced' });
    expect(rejected.json()).toMatchObject({ state: 'rejected', note: 'Unsourced' });
    // It stays with its author, closed.
    expect((await act('contributor', 'PATCH', `/api/drafts/${submitted.id}`, 2, { body: 'Still the zebracorn' })).statusCode).toBe(403);
    expect((await act('editor', 'POST', `/api/drafts/${submitted.id}/publish`, 2)).statusCode).toBe(403);

    const surfaces = await publicSurfaces(slug);
    expect(surfaces.page).toContain('A public entry');
    expect(surfaces.replay).toContain('A public entry');
    for (const [surface, text] of Object.entries(surfaces)) expect(text, surface).not.toContain('zebracorn');
    const postId = t.app.services.posts.bySlug(slug).id;
    expect(t.app.stores.db.prepare("SELECT count(*) AS n FROM entry_search WHERE entry_search MATCH 'zebracorn' AND post = ?").get(String(postId))).toEqual({ n: 0 });
  });
});

describe('scheduled entries', () => {
  it('publishes at its time, once, showing the time it was scheduled for', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    const at = new Date(Date.now() + 60_000);
    const scheduled = await draft(slug, 'Embargoed announcement', 'author', { state: 'scheduled', publishAt: at.toISOString() });
    expect(scheduled).toMatchObject({ state: 'scheduled', publishAt: at.toISOString() });
    expect(t.app.drafts.publishDue(new Date(at.getTime() - 1))).toEqual([]);
    const [entry] = t.app.drafts.publishDue(at);
    expect(entry).toMatchObject({ body: 'Embargoed announcement', createdAt: at.toISOString(), author: { name: 'Ada Author' } });
    expect(t.app.drafts.publishDue(new Date(at.getTime() + 1000))).toEqual([]);
    expect((await changes(slug)).map((c) => c.type)).toEqual(['entry.created']);
  });

  it('a failure mid-publish rolls the whole publication back: the next tick publishes it, once', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    const at = new Date(Date.now() + 60_000);
    await draft(slug, 'Crash in the middle', 'author', { state: 'scheduled', publishAt: at.toISOString() });
    const changesLog = t.app.stores.changes;
    const append = changesLog.append.bind(changesLog);
    changesLog.append = () => {
      throw new Error('disk gone mid-transaction');
    };
    try {
      expect(() => t.app.drafts.publishDue(at)).toThrow(/disk gone/);
    } finally {
      changesLog.append = append;
    }
    const postId = t.app.services.posts.bySlug(slug).id;
    expect(t.app.stores.db.prepare('SELECT count(*) AS n FROM entries WHERE post_id = ?').get(postId)).toEqual({ n: 0 });
    expect(t.app.drafts.publishDue(at)).toHaveLength(1);
    expect(t.app.drafts.publishDue(at)).toHaveLength(0);
    expect((await changes(slug)).map((c) => c.type)).toEqual(['entry.created']);
  });

  it('the server\u2019s own timer publishes it (a second ahead)', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    await draft(slug, 'Timer', 'editor', { state: 'scheduled', publishAt: new Date(Date.now() + 1000).toISOString() });
    await until(async () => (await changes(slug)).length === 1, 'the scheduled entry');
  });
});

describe('the newsroom socket', () => {
  async function session(role: 'contributor' | 'author' | 'editor' | 'admin') {
    const { loginAs } = await import('./session-helpers.js');
    return loginAs(t, role);
  }
  function desk(cookie: string | undefined): Socket {
    const socket = connect(url, { path: '/newsroom/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, ...(cookie ? { extraHeaders: { cookie } } : {}) });
    sockets.push(socket);
    return socket;
  }

  it('refuses anyone without a session', async () => {
    const socket = desk(undefined);
    const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    expect(error.message).toBe('unauthenticated');
  });

  it('refuses another site\u2019s page using a signed-in browser (cross-site WebSocket hijacking)', async () => {
    const editor = await session('editor');
    const socket = connect(url, { path: '/newsroom/socket.io', transports: ['polling'], reconnection: false, forceNew: true, extraHeaders: { cookie: editor.cookie, origin: 'https://evil.example' } });
    sockets.push(socket);
    await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    expect(socket.connected).toBe(false);
    // The same browser from our own origin is let in.
    const own = connect(url, { path: '/newsroom/socket.io', transports: ['polling'], reconnection: false, forceNew: true, extraHeaders: { cookie: editor.cookie, origin: url } });
    sockets.push(own);
    await new Promise<void>((resolve, reject) => {
      own.on('connect', resolve);
      own.on('connect_error', reject);
    });
  });

  it('drops a desk whose session ended, and takes one demoted to contributor out of everyone\u2019s drafts', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: 'live' });
    const leaving = await session('author');
    const demoted = await session('author');
    const gone = desk(leaving.cookie);
    const stays = desk(demoted.cookie);
    expect((await gone.timeout(5000).emitWithAck('desk:join', { slug })).ok).toBe(true);
    expect((await stays.timeout(5000).emitWithAck('desk:join', { slug })).ok).toBe(true);
    const seen: Draft[] = [];
    stays.on('draft', (d: Draft) => seen.push(d));
    const control = desk((await session('author')).cookie);
    expect((await control.timeout(5000).emitWithAck('desk:join', { slug })).ok).toBe(true);
    const seenByControl: Draft[] = [];
    control.on('draft', (d: Draft) => seenByControl.push(d));
    let reason = '';
    gone.on('disconnect', (why: string) => (reason = why));

    await t.app.inject({ method: 'POST', url: '/logout', headers: leaving.headers });
    const admin = await session('admin');
    t.app.services.users.update({ id: admin.userId, name: 'admin person', role: 'admin' }, demoted.userId, { role: 'contributor' });
    t.app.newsroomSocket.revalidate();
    await until(() => reason === 'io server disconnect', 'the signed-out desk to be dropped');
    await draft(slug, 'A colleague\u2019s draft', 'author2');
    // The draft reaches the desks of authors and up (in the same emit); the demoted one is no longer among them.
    await until(() => seenByControl.length === 1, 'an author desk to get the draft');
    expect(seen).toEqual([]);
  });

  it('tells editors of a submission live, the contributor of the return, and readers nothing (not even a count)', async () => {
    const { slug } = await createPost(t, { title: `Keynote ${++posts}`, status: "live" });
    const editor = await session('editor');
    const writer = await session('contributor');
    const editorDesk = desk(editor.cookie);
    const writerDesk = desk(writer.cookie);
    const seenByEditor: Draft[] = [];
    const seenByWriter: Draft[] = [];
    editorDesk.on('draft', (d: Draft) => seenByEditor.push(d));
    writerDesk.on('draft', (d: Draft) => seenByWriter.push(d));
    const presence: { people: { name: string; typing: boolean }[] }[] = [];
    editorDesk.on('desk.presence', (p: (typeof presence)[number]) => presence.push(p));

    // A reader of the post, on the readers' socket.
    const reader = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(reader);
    const readerEvents: string[] = [];
    const readerPayloads: unknown[] = [];
    const readerCounts: number[] = [];
    reader.onAny((event: string, payload: unknown) => {
      readerEvents.push(event);
      readerPayloads.push(payload);
      if (event === 'presence') readerCounts.push((payload as { readers: number }).readers);
    });
    await reader.timeout(5000).emitWithAck('subscribe', { slug });

    expect(await editorDesk.timeout(5000).emitWithAck('desk:join', { slug })).toEqual({ ok: true, drafts: [] });
    expect((await writerDesk.timeout(5000).emitWithAck('desk:join', { slug })).ok).toBe(true);
    await until(() => presence.at(-1)?.people.length === 2, 'both at the desk');

    writerDesk.emit('desk:typing', { slug, typing: true });
    await until(() => presence.at(-1)?.people.some((p) => p.name === 'contributor person' && p.typing) === true, 'the contributor writing');

    const submitted = (
      await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: writer.headers, payload: { body: 'Queue me', state: 'submitted' } })
    ).json<Draft>();
    await until(() => seenByEditor.some((d) => d.id === submitted.id && d.state === 'submitted'), 'the editor to see the submission');
    await t.app.inject({ method: 'POST', url: `/api/drafts/${submitted.id}/return`, headers: { ...editor.headers, 'if-match': '1' }, payload: { note: 'More detail' } });
    await until(() => seenByWriter.some((d) => d.id === submitted.id && d.note === 'More detail'), 'the contributor to get it back');

    // The reader's count excludes the two desks, and the reader got neither drafts nor who is at the desk.
    await until(() => readerCounts.length > 0, 'a reader count');
    expect(readerCounts.at(-1)).toBe(1);
    expect(readerEvents.filter((event) => event !== 'presence')).toEqual([]);
    expect(JSON.stringify(readerPayloads)).not.toMatch(/Queue me|contributor person|editor person/);
  });
});
