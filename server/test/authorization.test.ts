import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Security review findings on who may do what (issue 13: M5, L1, L2), each written as the
 * attack a low-privilege author tried.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const write = (who: 'author' | 'author2' | 'editor', method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers: { ...t.auth(who), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

describe('posts belong to the desk (M5)', () => {
  it('an author cannot create a post', async () => {
    const response = await write('author', 'POST', '/api/posts', { title: 'My own keynote' });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(t.app.stores.posts.bySlug('my-own-keynote')).toBeUndefined();
  });

  it("a renamed post's former slug keeps redirecting unless an editor reclaims it", async () => {
    const post = await createPost(t, { title: 'Keynote' });
    expect((await write('editor', 'PATCH', '/api/posts/keynote', { slug: 'keynote-2026' }, { 'if-match': String(post.version) })).statusCode).toBe(200);
    const taken = await write('editor', 'POST', '/api/posts', { title: 'Keynote' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ type: '/problems/slug-redirects', redirectsTo: 'keynote-2026' });
    expect((await t.app.inject({ url: '/posts/keynote' })).headers.location).toBe('/posts/keynote-2026');
    // Renaming another post onto it is the same takeover.
    const other = await createPost(t, { title: 'Other' });
    expect((await write('editor', 'PATCH', '/api/posts/other', { slug: 'keynote' }, { 'if-match': String(other.version) })).statusCode).toBe(409);
    // The post that owned it may take its old slug back; an editor may reclaim it on purpose.
    expect((await write('editor', 'POST', '/api/posts', { title: 'Keynote', reclaimSlug: true })).statusCode).toBe(201);
    expect((await t.app.inject({ url: '/posts/keynote' })).statusCode).toBe(200);
  });
});

describe('shown times (L1)', () => {
  it('an author cannot back-date an entry on create beyond the time it was typed (typed-time.test.ts), as PATCH already refuses', async () => {
    const { slug } = await createPost(t);
    const response = await write('author', 'POST', `/api/posts/${slug}/entries`, { body: 'Back-dated', createdAt: '2020-01-01T00:00:00Z' });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ type: '/problems/typed-time-out-of-range' });
    expect((await write('editor', 'POST', `/api/posts/${slug}/entries`, { body: 'Corrected', createdAt: '2020-01-01T00:00:00Z' })).statusCode).toBe(201);
  });

  it('refuses times outside the years 0000–9999 in UTC, so cursors keep working', async () => {
    const { slug } = await createPost(t);
    for (const createdAt of ['9999-12-31T23:59:59-23:59', '0000-01-01T00:00:00+01:00']) {
      const response = await write('editor', 'POST', `/api/posts/${slug}/entries`, { body: 'Far away', createdAt });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0]).toMatchObject({ field: 'body.createdAt' });
    }
    expect(t.app.stores.posts.bySlug(slug)!.lastSeq).toBe(0);
  });
});

describe('only editors undo what an editor did (L2)', () => {
  it("an author cannot replace an editor's pin, nor unpin their own entry an editor pinned", async () => {
    const { slug } = await createPost(t);
    const editorsChoice = (await postEntry(t, slug, 'Pinned by the desk', 'author2')).json() as { id: number };
    const mine = (await postEntry(t, slug, 'Mine', 'author')).json() as { id: number };
    expect((await write('editor', 'PUT', `/api/entries/${editorsChoice.id}/pin`)).statusCode).toBe(200);
    const replace = await write('author', 'PUT', `/api/entries/${mine.id}/pin`);
    expect(replace.statusCode).toBe(403);
    expect(t.app.stores.entries.byId(editorsChoice.id)!.pinned).toBe(true);
    expect((await write('editor', 'PUT', `/api/entries/${mine.id}/pin`)).statusCode).toBe(200);
    expect((await write('author', 'DELETE', `/api/entries/${mine.id}/pin`)).statusCode).toBe(403);
    expect(t.app.stores.entries.byId(mine.id)!.pinned).toBe(true);
  });

  it('an author may still pin and unpin their own entries when no editor was involved', async () => {
    const { slug } = await createPost(t);
    const mine = (await postEntry(t, slug, 'Mine', 'author')).json() as { id: number };
    expect((await write('author', 'PUT', `/api/entries/${mine.id}/pin`)).statusCode).toBe(200);
    expect((await write('author', 'DELETE', `/api/entries/${mine.id}/pin`)).statusCode).toBe(200);
  });

  it('an author cannot restore their entry after an editor deleted it', async () => {
    const { slug } = await createPost(t);
    const mine = (await postEntry(t, slug, 'Wrong figure', 'author')).json() as { id: number; version: number };
    expect((await write('editor', 'DELETE', `/api/entries/${mine.id}`, undefined, { 'if-match': String(mine.version) })).statusCode).toBe(204);
    const deleted = t.app.stores.entries.byId(mine.id)!;
    const restore = await write('author', 'POST', `/api/entries/${mine.id}/restore`, undefined, { 'if-match': String(deleted.version) });
    expect(restore.statusCode).toBe(403);
    expect(t.app.stores.entries.byId(mine.id)!.deletedAt).not.toBeNull();
    expect((await write('editor', 'POST', `/api/entries/${mine.id}/restore`, undefined, { 'if-match': String(deleted.version) })).statusCode).toBe(200);
  });
});

describe('deleting a post (L4)', () => {
  it('is for admins, with If-Match; afterwards no page, feed, API, catch-up or list finds it, and its slug is free', async () => {
    const post = await createPost(t, { title: 'Wrong event' });
    const entry = (await postEntry(t, 'wrong-event', 'A secret detail')).json() as { id: number };
    expect((await write('editor', 'DELETE', '/api/posts/wrong-event', undefined, { 'if-match': '1' })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/posts/wrong-event', headers: t.auth('admin') })).statusCode).toBe(428);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/posts/wrong-event', headers: { ...t.auth('admin'), 'if-match': '7' } })).statusCode).toBe(412);
    const deleted = await t.app.inject({ method: 'DELETE', url: '/api/posts/wrong-event', headers: { ...t.auth('admin'), 'if-match': String(post.version) } });
    expect(deleted.statusCode).toBe(204);
    for (const url of ['/posts/wrong-event', '/posts/wrong-event/embed', '/posts/wrong-event/feed.atom', '/posts/wrong-event.md', '/api/posts/wrong-event', '/api/posts/wrong-event/changes?since=0']) {
      expect((await t.app.inject(url)).statusCode, url).toBe(404);
    }
    expect(((await t.app.inject('/api/posts')).json() as { posts: { id: number }[] }).posts.map((p) => p.id)).not.toContain(post.id);
    expect(t.app.stores.entries.byId(entry.id)!.deletedAt).not.toBeNull();
    // The change log retracted the entry before the post went: nothing of it stays readable.
    const rows = t.app.stores.db.prepare('SELECT payload FROM changes WHERE post_id = ?').all(post.id) as { payload: string }[];
    expect(rows.map((row) => row.payload).join('')).not.toContain('secret');
    expect(t.app.stores.audit.recent(5).map((record) => record.action)).toContain('post.deleted');
    // The slug can be used again.
    expect((await write('editor', 'POST', '/api/posts', { title: 'Wrong event' })).statusCode).toBe(201);
  });
});
