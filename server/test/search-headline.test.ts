import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draft, Entry, SearchResult } from '../../contract/index.js';
import { openDatabase } from '../db/connection.js';
import { migrate, readMigrations } from '../db/migrate.js';
import { createPost, createTestApp, type TestApp } from './helpers.js';

/**
 * Find-in-post finds an entry by its headline and its tags too (migration 0018), follows edits of
 * them, and never answers with a draft's: drafts are not in the index until they are published.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function found(slug: string, q: string): Promise<number[]> {
  const response = await t.app.inject(`/api/posts/${slug}/search?q=${encodeURIComponent(q)}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<SearchResult>().hits.map((hit) => hit.id);
}

describe('search finds headlines and tags', () => {
  it('a headline word finds its entry, a tag too; an edit of the headline replaces the old word', async () => {
    const { slug } = await createPost(t, { title: `Search ${Math.random()}`, status: 'live' });
    const created = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('author'), payload: { body: 'It ships next month.', headline: 'Périscope unveiled', tags: ['hardware'] } });
    expect(created.statusCode, created.body).toBe(201);
    const entry = created.json<Entry>();
    await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('author'), payload: { body: 'Coffee break.' } });
    expect(await found(slug, 'periscope')).toEqual([entry.id]);
    expect(await found(slug, 'hardware')).toEqual([entry.id]);
    expect(await found(slug, 'ships')).toEqual([entry.id]);

    const edited = await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { headline: 'Telescope unveiled', tags: [] } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await found(slug, 'periscope')).toEqual([]);
    expect(await found(slug, 'hardware')).toEqual([]);
    expect(await found(slug, 'telescope')).toEqual([entry.id]);
  });

  it('a draft\u2019s headline is not found until the draft is published', async () => {
    const { slug } = await createPost(t, { title: `Search ${Math.random()}`, status: 'live' });
    const saved = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/drafts`, headers: t.auth('author'), payload: { body: 'Embargoed.', headline: 'Quokka launch', tags: ['secretive'] } });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(await found(slug, 'quokka')).toEqual([]);
    expect(await found(slug, 'secretive')).toEqual([]);
    const published = await t.app.inject({ method: 'POST', url: `/api/drafts/${saved.json<Draft>().id}/publish`, headers: { ...t.auth('author'), 'if-match': '1' } });
    expect(published.statusCode, published.body).toBe(201);
    expect(await found(slug, 'quokka')).toEqual([published.json<Entry>().id]);
  });
});

it('migration 0018 indexes the headlines and tags a database already had, and fills in the latest revision\u2019s fields', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-headline-migration-'));
  try {
    const db = openDatabase(join(dir, 'a.db'));
    const all = readMigrations();
    const at = all.findIndex((migration) => migration.name === 'draft_meta');
    expect(at).toBeGreaterThan(0);
    migrate(db, all.slice(0, at));
    const now = '2026-03-14T09:00:00.000Z';
    db.prepare("INSERT INTO users (id, name, role, created_at) VALUES (1, 'Ada', 'author', ?), (2, 'Grace', 'author', ?)").run(now, now);
    db.prepare("INSERT INTO posts (id, slug, title, status, created_at, updated_at) VALUES (1, 'p', 'P', 'live', ?, ?)").run(now, now);
    db.prepare(`INSERT INTO entries (id, post_id, author_id, body, html, created_at, updated_at, version, headline, tags, co_authors)
      VALUES (1, 1, 1, 'Body text', '<p>Body text</p>', ?, ?, 2, 'Walrus headline', '["tusks"]', '[2]')`).run(now, now);
    const revision = db.prepare("INSERT INTO entry_revisions (entry_id, version, action, body, key_event, created_at) VALUES (1, ?, ?, 'Body text', 0, ?)");
    revision.run(1, 'created', now);
    revision.run(2, 'updated', now);

    migrate(db, all);
    expect(db.prepare("SELECT rowid FROM entry_search WHERE entry_search MATCH 'walrus'").all()).toEqual([{ rowid: 1 }]);
    expect(db.prepare("SELECT rowid FROM entry_search WHERE entry_search MATCH 'tusks'").all()).toEqual([{ rowid: 1 }]);
    expect(db.prepare('SELECT r.version, m.headline, m.tags, m.authors FROM entry_revision_meta m JOIN entry_revisions r ON r.id = m.revision_id').all()).toEqual([
      { version: 2, headline: 'Walrus headline', tags: '["tusks"]', authors: '[1,2]' },
    ]);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
