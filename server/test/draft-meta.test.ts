import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change, Draft, Entry } from '../../contract/index.js';
import { createPost, createTestApp, type TestApp, until } from './helpers.js';

/**
 * Drafts carry the entry fields (issue 17): a draft's headline, co-authors, location, tags and
 * claim label go onto the entry in the transaction that publishes it, so every public surface
 * (API, page, JSON-LD, Atom, the change log, the reader socket) has them from the entry's very
 * first change: never a bare entry that an edit completes later. However it is published: an
 * editor's approval, the scheduler's timer, its author's Publish. Refused fields lose nothing
 * already saved; who may set what follows the entries' rules.
 */

type Who = 'anonymous' | 'contributor' | 'contributor2' | 'author' | 'author2' | 'editor' | 'admin';

let t: TestApp;
let url: string;
const ids: Partial<Record<Who | 'colleague' | 'disabled', number>> = {};
const tokens: Partial<Record<Who, string>> = {};
let posts = 0;
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const now = new Date().toISOString();
  const make = (who: Who | 'colleague' | 'disabled', name: string, role: 'contributor' | 'author' | 'editor' | 'admin') => {
    const created = t.app.stores.tokens.create(name, role, now);
    ids[who] = created.userId;
    if (who !== 'colleague' && who !== 'disabled') tokens[who] = created.token;
  };
  make('contributor', 'Cora Contributor', 'contributor');
  make('contributor2', 'Carl Contributor', 'contributor');
  make('author', 'Ada Writer', 'author');
  make('author2', 'Bob Writer', 'author');
  make('editor', 'Eve Desk', 'editor');
  make('admin', 'Al Root', 'admin');
  make('colleague', 'Grace Photographer', 'author');
  make('disabled', 'Gone Person', 'author');
  t.app.stores.db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?').run(now, ids.disabled);
});
afterAll(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await t.close();
});

const as = (who: Who): Record<string, string> => (who === 'anonymous' ? {} : { authorization: `Bearer ${tokens[who]}` });
const freshPost = async () => (await createPost(t, { title: `Meta ${++posts}`, status: 'live' })).slug;

async function saveDraft(slug: string, who: Who, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/api/posts/${slug}/drafts`, headers: as(who), payload });
}
async function act(who: Who, method: 'POST' | 'PATCH', path: string, version: number, payload?: Record<string, unknown>) {
  return t.app.inject({ method, url: path, headers: { ...as(who), 'if-match': String(version) }, ...(payload === undefined ? {} : { payload }) });
}
async function changes(slug: string): Promise<Change[]> {
  return (await t.app.inject(`/api/posts/${slug}/changes?since=0`)).json<{ changes: Change[] }>().changes;
}

/** A reader's socket on the post: every change it is sent, in order. */
async function readerSocket(slug: string): Promise<Change[]> {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const got: Change[] = [];
  socket.on('change', (change: Change) => got.push(change));
  await new Promise<void>((resolve, reject) => socket.emit('subscribe', { slug, since: 0 }, (ack: { ok: boolean }) => (ack.ok ? resolve() : reject(new Error('subscribe failed')))));
  return got;
}

/** The fields every surface must show, from the entry's first change. */
const META = (coAuthorId: number) => ({
  headline: 'Phone ships in March',
  authors: [ids.contributor!, coAuthorId],
  location: 'Cupertino',
  tags: ['#Keynote', 'Hardware'],
  claim: 'unconfirmed',
});

/** Checks every public surface of the post for the one published entry and its fields. */
async function expectPublishedWithMeta(slug: string, entry: Entry, byline: string, coAuthor: string, socketEvents: Change[]) {
  expect(entry).toMatchObject({ headline: 'Phone ships in March', location: 'Cupertino', tags: ['keynote', 'hardware'], claim: 'unconfirmed', correction: null, version: 1 });
  expect(entry.authors?.map((person) => person.name)).toEqual([byline, coAuthor]);

  // The change log holds one change, the entry.created, already complete.
  const log = await changes(slug);
  expect(log.map((change) => change.type)).toEqual(['entry.created']);
  const created = log[0]!;
  if (created.type !== 'entry.created') throw new Error('expected entry.created');
  expect(created.entry).toMatchObject({ headline: 'Phone ships in March', location: 'Cupertino', tags: ['keynote', 'hardware'], claim: 'unconfirmed' });
  expect(created.entry.authors?.map((person) => person.name)).toEqual([byline, coAuthor]);

  // The reader socket's first event is that same complete entry, and no edit follows.
  await until(() => socketEvents.length >= 1, 'the socket event');
  expect(socketEvents[0]).toMatchObject({ type: 'entry.created', entry: { id: entry.id, headline: 'Phone ships in March', location: 'Cupertino', tags: ['keynote', 'hardware'] } });
  expect(socketEvents.map((change) => change.type)).toEqual(['entry.created']);

  // API, page, JSON-LD, Atom.
  const api = (await t.app.inject(`/api/entries/${entry.id}`)).json<Entry>();
  expect(api).toMatchObject({ headline: 'Phone ships in March', location: 'Cupertino', tags: ['keynote', 'hardware'], claim: 'unconfirmed' });
  const page = (await t.app.inject(`/posts/${slug}`)).body;
  expect(page).toContain('<h3 class="entry-headline">Phone ships in March</h3>');
  expect(page).toContain(`<span class="author">${coAuthor}</span>`);
  expect(page).toContain('<span class="location">in Cupertino</span>');
  expect(page).toContain('data-tag="keynote">#keynote</a>');
  expect(page).toContain('data-claim="unconfirmed"');
  const ld = [...page.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((match) => JSON.parse(match[1]!) as { liveBlogUpdate?: { headline: string; author?: { name: string }[] }[] });
  const update = ld.flatMap((doc) => doc.liveBlogUpdate ?? [])[0];
  expect(update?.headline).toBe('Phone ships in March');
  expect(update?.author?.map((person) => person.name)).toEqual([byline, coAuthor]);
  const atom = (await t.app.inject(`/posts/${slug}/feed.atom`)).body;
  expect(atom).toContain('<title>Phone ships in March</title>');
}

describe('a draft\u2019s fields reach readers with the entry, from its first change', () => {
  it('a contributor\u2019s submitted draft, approved by an editor', async () => {
    const slug = await freshPost();
    const socketEvents = await readerSocket(slug);
    const saved = await saveDraft(slug, 'contributor', { body: 'The new phone ships in March.', state: 'submitted', ...META(ids.colleague!) });
    expect(saved.statusCode, saved.body).toBe(201);
    const draft = saved.json<Draft>();
    expect(draft).toMatchObject({ state: 'submitted', headline: 'Phone ships in March', location: 'Cupertino', tags: ['keynote', 'hardware'], claim: 'unconfirmed' });
    expect(draft.authors.map((person) => person.name)).toEqual(['Cora Contributor', 'Grace Photographer']);
    // Nothing of it is public before the approval.
    expect((await t.app.inject(`/api/posts/${slug}/changes?since=0`)).body).not.toContain('Phone ships in March');
    expect((await t.app.inject(`/posts/${slug}`)).body).not.toContain('Phone ships in March');

    // The editor's list shows the fields (the review queue's headline and co-authors).
    const list = await t.app.inject({ url: `/api/posts/${slug}/drafts`, headers: as('editor') });
    expect(list.statusCode, list.body).toBe(200);
    const listed = list.json<{ drafts: Draft[] }>().drafts[0]!;
    expect(listed).toMatchObject({ headline: 'Phone ships in March', authors: [{ name: 'Cora Contributor' }, { name: 'Grace Photographer' }] });

    const approved = await act('editor', 'POST', `/api/drafts/${draft.id}/approve`, draft.version);
    expect(approved.statusCode, approved.body).toBe(201);
    await expectPublishedWithMeta(slug, approved.json<Entry>(), 'Cora Contributor', 'Grace Photographer', socketEvents);
    // The first revision has them too.
    const revisions = (await t.app.inject({ url: `/api/entries/${approved.json<Entry>().id}/revisions`, headers: as('editor') })).json<{ revisions: { headline?: string | null; tags?: string[] }[] }>().revisions;
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ headline: 'Phone ships in March', tags: ['keynote', 'hardware'] });
  });

  it('a scheduled draft published by the timer', async () => {
    const slug = await freshPost();
    const socketEvents = await readerSocket(slug);
    // An editor schedules the contributor's draft after setting its fields (the editor keeps the byline the contributor's).
    const saved = (await saveDraft(slug, 'contributor', { body: 'Embargo: the phone ships in March.' })).json<Draft>();
    const at = new Date(Date.now() + 60_000);
    const scheduled = await act('editor', 'PATCH', `/api/drafts/${saved.id}`, saved.version, { ...META(ids.colleague!), state: 'scheduled', publishAt: at.toISOString() });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    expect(t.app.drafts.publishDue(new Date(at.getTime() - 1))).toEqual([]);
    const [entry] = t.app.drafts.publishDue(at);
    expect(entry?.createdAt).toBe(at.toISOString());
    await expectPublishedWithMeta(slug, entry!, 'Cora Contributor', 'Grace Photographer', socketEvents);
  });

  it('the server\u2019s own timer publishes a scheduled draft with its fields', async () => {
    const slug = await freshPost();
    const saved = await saveDraft(slug, 'author', { body: 'Timer with a headline', state: 'scheduled', publishAt: new Date(Date.now() + 1000).toISOString(), headline: 'On the dot', tags: ['embargo'] });
    expect(saved.statusCode, saved.body).toBe(201);
    await until(async () => (await changes(slug)).length === 1, 'the scheduled entry');
    expect((await changes(slug))[0]).toMatchObject({ type: 'entry.created', entry: { headline: 'On the dot', tags: ['embargo'] } });
  });

  it('a draft published by its author', async () => {
    const slug = await freshPost();
    const socketEvents = await readerSocket(slug);
    const saved = await saveDraft(slug, 'author', { body: 'Written at the desk.', ...META(ids.colleague!), authors: [ids.author!, ids.colleague!] });
    expect(saved.statusCode, saved.body).toBe(201);
    const published = await act('author', 'POST', `/api/drafts/${saved.json<Draft>().id}/publish`, 1);
    expect(published.statusCode, published.body).toBe(201);
    await expectPublishedWithMeta(slug, published.json<Entry>(), 'Ada Writer', 'Grace Photographer', socketEvents);
  });

  it('saves the fields through the entries route too (state "draft")', async () => {
    const slug = await freshPost();
    const response = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: as('contributor'), payload: { body: 'Via entries', state: 'draft', headline: 'Via the entries route', tags: ['x'] } });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<Draft>()).toMatchObject({ state: 'draft', headline: 'Via the entries route', tags: ['x'] });
  });
});

describe('a draft\u2019s fields stay private until it is published', () => {
  it('a rejected draft\u2019s headline, tag and location reach no public surface', async () => {
    const slug = await freshPost();
    const submitted = (await saveDraft(slug, 'contributor', { body: 'Rumour', state: 'submitted', headline: 'Okapiheadline', tags: ['okapitag'], location: 'Okapiville' })).json<Draft>();
    expect((await act('editor', 'POST', `/api/drafts/${submitted.id}/reject`, submitted.version, { note: 'No source' })).statusCode).toBe(200);
    const get = async (path: string) => (await t.app.inject(path)).body;
    const surfaces = {
      page: await get(`/posts/${slug}`),
      api: await get(`/api/posts/${slug}`),
      entries: await get(`/api/posts/${slug}/entries`),
      changes: await get(`/api/posts/${slug}/changes?since=0`),
      atom: await get(`/posts/${slug}/feed.atom`),
      markdown: await get(`/posts/${slug}.md`),
      json: JSON.stringify(t.app.services.archives.exportJson(slug)),
      search: await get(`/api/posts/${slug}/search?q=okapiheadline`),
    };
    for (const [surface, text] of Object.entries(surfaces)) {
      for (const secret of ['Okapiheadline', 'okapitag', 'Okapiville']) expect(text, `${surface}: ${secret}`).not.toContain(secret);
    }
    // The reader page filtered by its tag (which echoes the tag asked for) has no entry with it.
    expect(await get(`/posts/${slug}?tag=okapitag`)).toContain('No entries with this tag yet.');
  });
});

describe('refused fields on a draft', () => {
  it('answers problem+json and loses nothing already saved', async () => {
    const slug = await freshPost();
    const saved = (await saveDraft(slug, 'contributor', { body: 'Kept text', headline: 'Kept headline', tags: ['kept'], authors: [ids.contributor!, ids.colleague!] })).json<Draft>();
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ correction: { note: 'Was wrong' } }, 422, 'correction-on-draft'],
      [{ authors: [ids.contributor!, 999_999] }, 422, 'unknown-author'],
      [{ authors: [ids.contributor!, ids.disabled!] }, 422, 'unknown-author'],
      [{ authors: [ids.colleague!, ids.contributor!] }, 422, 'draft-byline'],
      [{ headline: 'x'.repeat(201) }, 400, 'validation'],
      [{ tags: ['###'] }, 400, 'validation'],
      [{ claim: 'maybe' }, 400, 'validation'],
    ];
    for (const [payload, status, code] of refusals) {
      const response = await act('contributor', 'PATCH', `/api/drafts/${saved.id}`, saved.version, { body: 'Changed text', ...payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ type: expect.stringContaining(code) });
    }
    const after = (await t.app.inject({ url: `/api/drafts/${saved.id}`, headers: as('contributor') })).json<Draft>();
    expect(after).toMatchObject({ version: saved.version, body: 'Kept text', headline: 'Kept headline', tags: ['kept'] });
    expect(after.authors.map((person) => person.id)).toEqual([ids.contributor, ids.colleague]);
    // A new draft with a correction is refused the same way, and nothing is saved.
    const create = await saveDraft(slug, 'editor', { body: 'New', correction: { note: 'No' } });
    expect(create.statusCode).toBe(422);
    expect(create.json()).toMatchObject({ type: expect.stringContaining('correction-on-draft') });
    const listed = (await t.app.inject({ url: `/api/posts/${slug}/drafts`, headers: as('editor') })).json<{ drafts: Draft[] }>().drafts;
    expect(listed.map((draft) => draft.id)).toEqual([saved.id]);
  });
});

describe('who may set which field on a draft (a test per role and action)', () => {
  async function draftBy(who: 'contributor2' | 'author2', state: 'draft' | 'submitted' = 'draft') {
    const slug = await freshPost();
    return (await saveDraft(slug, who, { body: 'Someone else\u2019s', state })).json<Draft>();
  }
  const fields = () => ({ headline: 'A headline', location: 'Berlin', tags: ['t'], claim: 'unconfirmed', authors: [ids.contributor!, ids.colleague!] });

  it('anonymous: 401 on saving a draft with fields', async () => {
    const slug = await freshPost();
    expect((await saveDraft(slug, 'anonymous', { body: 'x', headline: 'y' })).statusCode).toBe(401);
  });

  it('contributor: sets every field on their own draft, and on a new one', async () => {
    const slug = await freshPost();
    const created = await saveDraft(slug, 'contributor', { body: 'Mine', ...fields() });
    expect(created.statusCode, created.body).toBe(201);
    const mine = created.json<Draft>();
    const edited = await act('contributor', 'PATCH', `/api/drafts/${mine.id}`, mine.version, { headline: 'Another', tags: ['u'], location: null, claim: null });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<Draft>()).toMatchObject({ headline: 'Another', tags: ['u'], location: null, claim: null });
  });

  it('contributor: may not confirm or deny a claim (403), nor touch someone else\u2019s draft (404)', async () => {
    const slug = await freshPost();
    expect((await saveDraft(slug, 'contributor', { body: 'Mine', claim: 'confirmed' })).statusCode).toBe(403);
    expect((await saveDraft(slug, 'contributor', { body: 'Mine', claim: 'denied' })).statusCode).toBe(403);
    const theirs = await draftBy('contributor2');
    expect((await act('contributor', 'PATCH', `/api/drafts/${theirs.id}`, theirs.version, { headline: 'Mine now' })).statusCode).toBe(404);
  });

  it('author: sets the fields on a colleague\u2019s draft (the byline stays theirs), not on a submitted one (403), no confirmed claim (403)', async () => {
    const theirs = await draftBy('author2');
    const edited = await act('author', 'PATCH', `/api/drafts/${theirs.id}`, theirs.version, { headline: 'Set by Ada', authors: [ids.author2!, ids.colleague!] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<Draft>().authors.map((person) => person.name)).toEqual(['Bob Writer', 'Grace Photographer']);
    expect((await act('author', 'PATCH', `/api/drafts/${theirs.id}`, 2, { claim: 'confirmed' })).statusCode).toBe(403);
    const submitted = await draftBy('contributor2', 'submitted');
    expect((await act('author', 'PATCH', `/api/drafts/${submitted.id}`, submitted.version, { headline: 'No' })).statusCode).toBe(403);
  });

  it('editor: confirms a claim and sets the fields on a submitted draft; the byline stays its author\u2019s', async () => {
    const submitted = await draftBy('contributor2', 'submitted');
    const edited = await act('editor', 'PATCH', `/api/drafts/${submitted.id}`, submitted.version, { claim: 'confirmed', headline: 'Checked', authors: [ids.contributor2!, ids.colleague!] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<Draft>()).toMatchObject({ state: 'submitted', claim: 'confirmed', headline: 'Checked' });
    const handedAway = await act('editor', 'PATCH', `/api/drafts/${submitted.id}`, 2, { authors: [ids.editor!] });
    expect(handedAway.statusCode).toBe(422);
  });

  it('admin: as an editor, denies a claim on someone\u2019s draft', async () => {
    const theirs = await draftBy('author2');
    const edited = await act('admin', 'PATCH', `/api/drafts/${theirs.id}`, theirs.version, { claim: 'denied', location: 'Paris' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<Draft>()).toMatchObject({ claim: 'denied', location: 'Paris' });
  });

  it('returning a draft keeps its fields for its author', async () => {
    const slug = await freshPost();
    const submitted = (await saveDraft(slug, 'contributor', { body: 'For review', state: 'submitted', headline: 'Keep me', tags: ['kept'] })).json<Draft>();
    const returned = await act('editor', 'POST', `/api/drafts/${submitted.id}/return`, submitted.version, { note: 'Add a source' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json<Draft>()).toMatchObject({ state: 'draft', headline: 'Keep me', tags: ['kept'] });
  });
});
