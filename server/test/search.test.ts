import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../contract/index.js';
import { openDatabase } from '../db/connection.js';
import { migrate, readMigrations } from '../db/migrate.js';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Find-in-post (issue 14): `GET /api/posts/:slug/search` finds the words readers see in a post's
 * live entries, case- and accent-insensitively, the last word as a prefix; and the entries
 * listing's `at=` jumps to a time. The index is kept by triggers, so every write path counts.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const search = async (slug: string, q: string, extra = '') => {
  const response = await t.app.inject(`/api/posts/${slug}/search?q=${encodeURIComponent(q)}${extra}`);
  expect(response.statusCode).toBe(200);
  return response.json() as SearchResult;
};
/** The matching entries' ids, newest first. */
const ids = async (slug: string, q: string) => (await search(slug, q)).hits.map((hit) => hit.id);
const id = async (slug: string, body: string) => (await postEntry(t, slug, body)).json().id as number;

function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, field?: string) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const problem = response.json() as { status: number; detail: string; errors?: { field: string }[] };
  expect(problem.status).toBe(status);
  expect(problem.detail).toBeTruthy();
  if (field) expect(problem.errors?.map((error) => error.field)).toContain(field);
}

describe('find-in-post', () => {
  it('finds the text readers see, whatever the case and accents, the last word as a prefix', async () => {
    const { slug } = await createPost(t);
    const creme = await id(slug, 'The **Crème brûlée** stand at the Café is open');
    const cook = await id(slug, 'TIM COOK walks on stage');
    await id(slug, 'Nothing to see here');

    expect(await ids(slug, 'creme BRULEE')).toEqual([creme]);
    expect(await ids(slug, 'café')).toEqual([creme]);
    expect(await ids(slug, 'tim co')).toEqual([cook]); // typing: "co" is a prefix
    expect(await ids(slug, 'tim co ')).toEqual([]); // a space after it: the word "co" is complete
    expect(await ids(slug, 'cook stage')).toEqual([cook]); // every word, in any order
    expect(await ids(slug, 'cook creme')).toEqual([]);

    // The excerpt is the readable text, the matched words marked.
    const [hit] = (await search(slug, 'brul')).hits;
    expect(hit!.excerpt).toEqual([
      { text: 'The Crème ', match: false },
      { text: 'brûlée', match: true },
      { text: ' stand at the Café is open', match: false },
    ]);
  });

  it('never matches Markdown syntax, HTML tags or link addresses, only what readers read', async () => {
    const { slug } = await createPost(t);
    const link = await id(slug, 'Read [the announcement](https://example.com/secret-path?utm=tracking) now, **bold** move');
    for (const q of ['secret', 'example', 'https', 'utm', 'strong', 'href', 'noopener', 'rel', 'p']) expect(await ids(slug, q), q).toEqual([]);
    expect(await ids(slug, 'announcement bold')).toEqual([link]);
    // Inline markup inside a word keeps the word whole, as the reader sees it.
    const glued = await id(slug, 'super*cali*fragilistic');
    expect(await ids(slug, 'supercalifragilistic')).toEqual([glued]);
  });

  it('finds live entries of this post only: deleted ones go, restored ones return, edits replace the old words', async () => {
    const { slug } = await createPost(t);
    const other = await createPost(t, { title: 'Another keynote' });
    const entry = await id(slug, 'The unicorn has landed');
    await postEntry(t, other.slug, 'Another unicorn elsewhere');
    expect(await ids(slug, 'unicorn')).toEqual([entry]);

    const url = `/api/entries/${entry}`;
    expect((await t.app.inject({ method: 'DELETE', url, headers: { ...t.auth('author'), 'if-match': '1' } })).statusCode).toBe(204);
    expect(await ids(slug, 'unicorn')).toEqual([]);
    expect((await t.app.inject({ method: 'POST', url: `${url}/restore`, headers: { ...t.auth('editor'), 'if-match': '2' } })).statusCode).toBe(200);
    expect(await ids(slug, 'unicorn')).toEqual([entry]);

    const edited = await t.app.inject({ method: 'PATCH', url, headers: { ...t.auth('editor'), 'if-match': '3' }, payload: { body: 'The pegasus has landed' } });
    expect(edited.statusCode).toBe(200);
    expect(await ids(slug, 'unicorn')).toEqual([]);
    expect(await ids(slug, 'pegasus')).toEqual([entry]);
    // A pin changes the version but not the text: still found once.
    expect((await t.app.inject({ method: 'PUT', url: `${url}/pin`, headers: t.auth('editor') })).statusCode).toBe(200);
    expect(await ids(slug, 'pegasus')).toEqual([entry]);

    // A deleted post answers nothing, like its entries listing.
    const post = (await t.app.inject(`/api/posts/${slug}`)).json().post as { version: number };
    expect((await t.app.inject({ method: 'DELETE', url: `/api/posts/${slug}`, headers: { ...t.auth('admin'), 'if-match': String(post.version) } })).statusCode).toBe(204);
    expectProblem(await t.app.inject(`/api/posts/${slug}/search?q=pegasus`), 404);
    expect(t.app.stores.db.prepare("SELECT count(*) AS n FROM entry_search WHERE entry_search MATCH 'pegasus'").get()).toEqual({ n: 0 });
  });

  it('answers newest first within limit, says when there are more, and gives each hit a cursor to the page that ends with it', async () => {
    const { slug } = await createPost(t);
    const all: number[] = [];
    for (let i = 1; i <= 12; i++) all.push(await id(slug, i % 3 === 0 ? `Goal number ${i}` : `Corner kick ${i}`));
    const goals = all.filter((_, index) => (index + 1) % 3 === 0).reverse();
    const page = await search(slug, 'goal', '&limit=3');
    expect(page.hits.map((hit) => hit.id)).toEqual(goals.slice(0, 3));
    expect(page.more).toBe(true);
    expect((await search(slug, 'goal', '&limit=4')).more).toBe(false);

    const hit = page.hits[2]!; // "Goal number 6"
    const around = (await t.app.inject(`/api/posts/${slug}/entries?before=${hit.cursor}&limit=3`)).json();
    expect(around.entries.map((entry: { body: string }) => entry.body)).toEqual(['Corner kick 4', 'Corner kick 5', 'Goal number 6']);
  });

  it('takes any text as words: FTS5 syntax in a query is just text', async () => {
    const { slug } = await createPost(t);
    const entry = await id(slug, 'Price: "one more thing" (NEAR the end) AND OR NOT');
    for (const q of ['"one more', 'NEAR(', 'AND OR NOT', 'thing*', 'price:', '^price', 'one-more', '(the end)']) {
      expect(await ids(slug, q), q).toEqual([entry]);
    }
    expect(await ids(slug, 'don"t')).toEqual([]);
  });

  it('answers problem+json for a missing, empty, wordless or too long query and a bad limit; 404 for an unknown post', async () => {
    const { slug } = await createPost(t);
    const base = `/api/posts/${slug}/search`;
    expectProblem(await t.app.inject(base), 400, 'querystring.q');
    expectProblem(await t.app.inject(`${base}?q=`), 400, 'querystring.q');
    expectProblem(await t.app.inject(`${base}?q=${encodeURIComponent('  !!! — ')}`), 400, 'querystring.q');
    expectProblem(await t.app.inject(`${base}?q=${'a'.repeat(201)}`), 400, 'querystring.q');
    expectProblem(await t.app.inject(`${base}?q=${encodeURIComponent(Array.from({ length: 13 }, (_, i) => `w${i}`).join(' '))}`), 400, 'querystring.q');
    for (const limit of ['0', '51', 'ten', '2.5']) expectProblem(await t.app.inject(`${base}?q=cook&limit=${limit}`), 400, 'querystring.limit');
    expectProblem(await t.app.inject('/api/posts/no-such-post/search?q=cook'), 404);
    expect((await t.app.inject(`${base}?q=${'a'.repeat(200)}`)).statusCode).toBe(200);
  });

  it('is cached like the public reads: a repeated search before any change is a 304, a new entry changes the answer', async () => {
    const { slug } = await createPost(t);
    await postEntry(t, slug, 'Keynote starts');
    const first = await t.app.inject(`/api/posts/${slug}/search?q=keynote`);
    expect(first.headers['cache-control']).toMatch(/^public/);
    const etag = String(first.headers.etag);
    expect((await t.app.inject({ url: `/api/posts/${slug}/search?q=keynote`, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    await postEntry(t, slug, 'Keynote ends');
    const second = await t.app.inject({ url: `/api/posts/${slug}/search?q=keynote`, headers: { 'if-none-match': etag } });
    expect(second.statusCode).toBe(200);
    expect(second.json().hits).toHaveLength(2);
  });

  it('indexes imported entries too: a Markdown import and a JSON archive restored into another database', async () => {
    const imported = await t.app.services.archives.importFile('zeppelin.md', '---\ntitle: Airship day\ndate: 2026-03-14\n---\n\nThe zeppelin rises.\n\nIt drifts away.\n', null);
    expect((await search(imported.slug, 'zeppelin')).hits).toHaveLength(1);

    const archive = JSON.parse(JSON.stringify(t.app.services.archives.exportJson(imported.slug))) as unknown;
    const target = await createTestApp();
    try {
      target.app.stores.db.exec('DELETE FROM api_tokens; DELETE FROM users;');
      await target.app.services.archives.importJson('airship.json', archive);
      const restored = await target.app.inject(`/api/posts/${imported.slug}/search?q=drifts`);
      expect(restored.json().hits).toHaveLength(1);
    } finally {
      await target.close();
    }
  });
});

describe('jump to a time: entries?at=', () => {
  it('answers the page that ends with the last entry at or before the instant', async () => {
    const { slug } = await createPost(t);
    for (const [minute, body] of [
      ['09:00', 'Doors open'],
      ['09:10', 'Keynote starts'],
      ['09:10', 'Same minute, later id'],
      ['09:30', 'Demo'],
    ] as const) {
      const response = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('editor'), payload: { body, createdAt: `2026-03-14T${minute}:00.000Z` } });
      expect(response.statusCode).toBe(201);
    }
    const at = async (instant: string, limit = 2) => (await t.app.inject(`/api/posts/${slug}/entries?at=${encodeURIComponent(instant)}&limit=${limit}`)).json() as { entries: { body: string }[]; nextCursor: string | null };
    expect((await at('2026-03-14T09:20:00Z')).entries.map((entry) => entry.body)).toEqual(['Keynote starts', 'Same minute, later id']);
    // Exactly at an entry's time: that entry (and the later id of the same instant).
    expect((await at('2026-03-14T09:10:00Z')).entries.map((entry) => entry.body)).toEqual(['Keynote starts', 'Same minute, later id']);
    // An offset is the same instant: 10:05 in Berlin is 09:05 UTC.
    expect((await at('2026-03-14T10:05:00+01:00', 1)).entries.map((entry) => entry.body)).toEqual(['Doors open']);
    const page = await at('2026-03-14T09:20:00Z');
    expect(page.nextCursor).not.toBeNull();
    const earlier = (await t.app.inject(`/api/posts/${slug}/entries?before=${page.nextCursor}`)).json();
    expect(earlier.entries.map((entry: { body: string }) => entry.body)).toEqual(['Doors open']);
    // Before the first entry: nothing; after the last: the latest.
    expect(await at('2026-03-14T08:00:00Z')).toEqual({ entries: [], nextCursor: null, lastSeq: 4 });
    expect((await at('2030-01-01T00:00:00Z', 1)).entries.map((entry) => entry.body)).toEqual(['Demo']);
  });

  it('refuses a bad instant, and at together with before', async () => {
    const { slug } = await createPost(t);
    const base = `/api/posts/${slug}/entries`;
    expectProblem(await t.app.inject(`${base}?at=yesterday`), 400, 'querystring.at');
    expectProblem(await t.app.inject(`${base}?at=2026-03-14T09:00:00`), 400, 'querystring.at'); // no offset: which zone?
    const cursor = (await t.app.inject(`${base}?limit=1`)).json().nextCursor ?? 'x';
    expectProblem(await t.app.inject(`${base}?at=2026-03-14T09:00:00Z&before=${cursor}`), 400, 'querystring.at');
  });
});

it('migration 0008 indexes the entries a database already had', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-search-migration-'));
  try {
    const db = openDatabase(join(dir, 'a.db'));
    const all = readMigrations();
    const search = all.findIndex((migration) => migration.name === 'entry_search');
    expect(search).toBeGreaterThan(0);
    migrate(db, all.slice(0, search));
    const now = '2026-03-14T09:00:00.000Z';
    db.prepare("INSERT INTO posts (id, slug, title, status, created_at, updated_at) VALUES (1, 'p', 'P', 'live', ?, ?)").run(now, now);
    const insert = db.prepare('INSERT INTO entries (id, post_id, body, html, created_at, updated_at, deleted_at) VALUES (?, 1, ?, ?, ?, ?, ?)');
    insert.run(1, 'The *walrus* speaks', '<p>The <em>walrus</em> speaks</p>', now, now, null);
    insert.run(2, 'A deleted walrus', '<p>A deleted walrus</p>', now, now, now);

    migrate(db, all);
    expect(db.prepare("SELECT rowid, text FROM entry_search WHERE entry_search MATCH 'walrus'").all()).toEqual([{ rowid: 1, text: 'The walrus speaks' }]);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
