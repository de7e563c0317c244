import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';
import type { Change } from '../../contract/index.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function changes(slug: string, since = 0): Promise<Change[]> {
  return (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/changes?since=${since}` })).json().changes;
}

describe('revisions and history', () => {
  it('lists every version with its author, action and shown time', async () => {
    const { slug } = await createPost(t);
    const entry = (await postEntry(t, slug, 'Teh demo')).json();
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('editor'), 'if-match': '1' }, payload: { body: 'The demo' } });
    expect(edit.statusCode).toBe(200);
    const response = await t.app.inject({ method: 'GET', url: `/api/entries/${entry.id}/revisions`, headers: t.auth('author') });
    expect(response.statusCode).toBe(200);
    const { revisions } = response.json();
    expect(revisions).toMatchObject([
      { version: 1, action: 'created', body: 'Teh demo', actor: { name: 'Ada Author' }, shownAt: entry.createdAt },
      { version: 2, action: 'updated', body: 'The demo', actor: { name: 'Eve Editor' } },
    ]);
    expect((await t.app.inject({ method: 'GET', url: `/api/entries/${entry.id}/revisions` })).statusCode).toBe(401);
  });

  it("gives each version's body as readers saw it (rendered HTML), so the desk can diff the text", async () => {
    const { slug } = await createPost(t);
    const entry = (await postEntry(t, slug, 'The price: **$3,499**')).json();
    await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('editor'), 'if-match': '1' }, payload: { body: 'The price: $2,999' } });
    await t.app.inject({ method: 'PUT', url: `/api/entries/${entry.id}/pin`, headers: t.auth('editor') });
    const { entry: current, revisions } = (await t.app.inject({ method: 'GET', url: `/api/entries/${entry.id}/revisions`, headers: t.auth('author') })).json();
    expect(revisions.map((revision: { action: string; html: string }) => [revision.action, revision.html])).toEqual([
      ['created', '<p>The price: <strong>$3,499</strong></p>\n'],
      ['updated', '<p>The price: $2,999</p>\n'],
      ['pinned', '<p>The price: $2,999</p>\n'],
    ]);
    expect(revisions[2].html).toBe(current.html);
  });

  it('renders old versions through the sanitizer: a script in an old body never comes back as HTML', async () => {
    const { slug } = await createPost(t);
    const entry = (await postEntry(t, slug, 'Hi <script>alert(1)</script><img src=x onerror=alert(2)>')).json();
    await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('editor'), 'if-match': '1' }, payload: { body: 'Hi' } });
    const { revisions } = (await t.app.inject({ method: 'GET', url: `/api/entries/${entry.id}/revisions`, headers: t.auth('editor') })).json();
    expect(revisions[0].html).not.toMatch(/<script|onerror/i);
    expect(revisions[0].body).toContain('<script>');
  });

  it('a stale edit gets 412 with the other version and changes nothing', async () => {
    const { slug } = await createPost(t);
    const entry = (await postEntry(t, slug, 'Original')).json();
    await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('editor'), 'if-match': '1' }, payload: { body: 'First editor' } });
    const stale = await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('admin'), 'if-match': '1' }, payload: { body: 'Second editor' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().entry).toMatchObject({ body: 'First editor', version: 2 });
    expect((await t.app.inject({ method: 'GET', url: `/api/entries/${entry.id}` })).json().body).toBe('First editor');
  });

  it('only editors correct the shown time', async () => {
    const { slug } = await createPost(t);
    const entry = (await postEntry(t, slug, 'Late')).json();
    const createdAt = '2026-03-14T09:40:00.000Z';
    const byAuthor = await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { createdAt } });
    expect(byAuthor.statusCode).toBe(403);
    const byEditor = await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('editor'), 'if-match': '1' }, payload: { createdAt } });
    expect(byEditor.json()).toMatchObject({ createdAt, version: 2 });
  });
});

describe('delete and restore', () => {
  it('restores a deleted entry as entry.updated with a new version', async () => {
    const { slug } = await createPost(t);
    const entry = (await postEntry(t, slug, 'Oops')).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/entries/${entry.id}`, headers: { ...t.auth('editor'), 'if-match': '1' } })).statusCode).toBe(204);
    const deleted = (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/deleted`, headers: t.auth('editor') })).json().entries;
    expect(deleted).toMatchObject([{ id: entry.id, version: 2 }]);
    expect(deleted[0].deletedAt).toBeTruthy();

    expect((await t.app.inject({ method: 'POST', url: `/api/entries/${entry.id}/restore`, headers: t.auth('editor') })).statusCode).toBe(428);
    const restored = await t.app.inject({ method: 'POST', url: `/api/entries/${entry.id}/restore`, headers: { ...t.auth('editor'), 'if-match': '2' } });
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ id: entry.id, body: 'Oops', version: 3 });
    // The log shows the entry's latest state at every earlier seq (a retraction retracts; see retractions.test.ts).
    expect((await changes(slug)).map((change) => change.type)).toEqual(['entry.created', 'entry.updated', 'entry.updated']);
    expect((await t.app.inject({ method: 'GET', url: `/api/posts/${slug}` })).json().entries.map((e: { id: number }) => e.id)).toEqual([entry.id]);
    const again = await t.app.inject({ method: 'POST', url: `/api/entries/${entry.id}/restore`, headers: { ...t.auth('editor'), 'if-match': '3' } });
    expect(again.statusCode).toBe(409);
    const history = (await t.app.inject({ method: 'GET', url: `/api/entries/${entry.id}/revisions`, headers: t.auth('editor') })).json().revisions;
    expect(history.map((r: { action: string }) => r.action)).toEqual(['created', 'deleted', 'restored']);
  });

  it("authors restore only their own entries", async () => {
    const { slug } = await createPost(t);
    const entry = (await postEntry(t, slug, 'Mine', 'author')).json();
    await t.app.inject({ method: 'DELETE', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': '1' } });
    expect((await t.app.inject({ method: 'POST', url: `/api/entries/${entry.id}/restore`, headers: { ...t.auth('author2'), 'if-match': '2' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/entries/${entry.id}/restore`, headers: { ...t.auth('author'), 'if-match': '2' } })).statusCode).toBe(200);
  });
});

describe('pin', () => {
  it('keeps one pinned entry per post: pinning B unpins A with consecutive seqs', async () => {
    const { slug } = await createPost(t);
    const a = (await postEntry(t, slug, 'A')).json();
    const b = (await postEntry(t, slug, 'B')).json();
    const pin = (id: number) => t.app.inject({ method: 'PUT', url: `/api/entries/${id}/pin`, headers: t.auth('editor') });
    expect((await pin(a.id)).json()).toMatchObject({ pinned: true, version: 2 });
    const before = (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}` })).json().lastSeq as number;
    expect((await pin(b.id)).json()).toMatchObject({ pinned: true });
    const after = await changes(slug, before);
    expect(after).toMatchObject([
      { seq: before + 1, type: 'entry.updated', entry: { id: a.id, pinned: false } },
      { seq: before + 2, type: 'entry.updated', entry: { id: b.id, pinned: true } },
    ]);
    const entries = (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}` })).json().entries as { id: number; pinned: boolean }[];
    expect(entries.filter((entry) => entry.pinned).map((entry) => entry.id)).toEqual([b.id]);
    const unpin = await t.app.inject({ method: 'DELETE', url: `/api/entries/${b.id}/pin`, headers: t.auth('editor') });
    expect(unpin.json()).toMatchObject({ pinned: false });
    // Authors pin their own entries (the entries above are Ada's), not other people's.
    expect((await t.app.inject({ method: 'PUT', url: `/api/entries/${a.id}/pin`, headers: t.auth('author2') })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: `/api/entries/${a.id}/pin`, headers: t.auth('author') })).json()).toMatchObject({ pinned: true });
  });
});

describe('post settings', () => {
  it('renames the slug; the old one redirects with 301', async () => {
    const post = await createPost(t, { title: 'Keynote' });
    const renamed = await t.app.inject({ method: 'PATCH', url: '/api/posts/keynote', headers: { ...t.auth('editor'), 'if-match': String(post.version) }, payload: { slug: 'big-keynote', title: 'Big keynote' } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ slug: 'big-keynote', title: 'Big keynote' });
    const old = await t.app.inject({ method: 'GET', url: '/posts/keynote' });
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/posts/big-keynote');
    expect((await t.app.inject({ method: 'GET', url: '/posts/big-keynote' })).statusCode).toBe(200);
    // A reader page opened before the rename still catches up by its old slug.
    const catchUp = await t.app.inject({ method: 'GET', url: '/api/posts/keynote/changes?since=0' });
    expect(catchUp.json().changes.map((change: { type: string }) => change.type)).toEqual(['post.updated']);
    // An editor may reclaim the old slug on purpose; then it is no longer a redirect.
    await createPost(t, { title: 'Keynote', reclaimSlug: true });
    expect((await t.app.inject({ method: 'GET', url: '/posts/keynote' })).statusCode).toBe(200);
    const clash = await t.app.inject({ method: 'PATCH', url: '/api/posts/big-keynote', headers: { ...t.auth('editor'), 'if-match': '2' }, payload: { slug: 'keynote' } });
    expect(clash.statusCode).toBe(409);
  });

  it('ends and reopens a post, publishing post.updated', async () => {
    const post = await createPost(t);
    const ended = await t.app.inject({ method: 'PATCH', url: `/api/posts/${post.slug}`, headers: { ...t.auth('editor'), 'if-match': '1' }, payload: { status: 'ended' } });
    expect(ended.json()).toMatchObject({ status: 'ended' });
    expect(ended.json().endedAt).toBeTruthy();
    const reopened = await t.app.inject({ method: 'PATCH', url: `/api/posts/${post.slug}`, headers: { ...t.auth('editor'), 'if-match': '2' }, payload: { status: 'live' } });
    expect(reopened.json()).toMatchObject({ status: 'live', endedAt: null });
    expect((await changes(post.slug)).map((change) => change.type)).toEqual(['post.updated', 'post.updated']);
  });
});

describe('preview', () => {
  it('renders with the same sanitizing pipeline as entries', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/preview', headers: t.auth('author'), payload: { body: '**bold** <script>alert(1)</script>' } });
    expect(response.statusCode).toBe(200);
    expect(response.json().html).toContain('<strong>bold</strong>');
    expect(response.json().html).not.toContain('<script');
    expect((await t.app.inject({ method: 'POST', url: '/api/preview', payload: { body: 'x' } })).statusCode).toBe(401);
  });
});
