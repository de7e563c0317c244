import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { ChangeLog } from '../store/changes.js';
import { createPost, createTestApp, postEntry } from './helpers.js';

/**
 * The change log has one writer (server/store/changes.ts). Every other module goes through
 * ChangeLog.append, so `seq` is assigned, the actor recorded and the JSON serialized in one place.
 */
const SERVER = join(import.meta.dirname, '..');
const WRITES_THE_LOG = [/\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+changes\b/i, /\blast_seq\s*=\s*last_seq\b/i];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the change log', () => {
  it('is written by server/store/changes.ts alone', () => {
    const writers = sourceFiles(SERVER).filter((file) => WRITES_THE_LOG.some((pattern) => pattern.test(readFileSync(file, 'utf8'))));
    expect(writers.map((file) => relative(SERVER, file))).toEqual(['store/changes.ts']);
  });

  it('refuses to append outside the transaction of a mutation', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    db.prepare("INSERT INTO posts (slug, title, description, status, timezone, tags, categories, created_at, updated_at) VALUES ('p', 'P', '', 'live', 'UTC', '[]', '[]', 'now', 'now')").run();
    const log = new ChangeLog(db);
    const post = { id: 1 } as never;
    expect(() => log.append(1, { type: 'post.updated', post }, null, 'now')).toThrow(/inside the transaction/);
    db.close();
  });

  it('numbers changes 1, 2, 3… per post, records the actor, and stores the JSON catch-up serves', async () => {
    const t = await createTestApp();
    try {
      const { slug } = await createPost(t);
      await postEntry(t, slug, 'one');
      await postEntry(t, slug, 'two');
      const post = t.app.stores.posts.bySlug(slug)!;
      const rows = t.app.stores.db.prepare('SELECT seq, payload, actor_id FROM changes WHERE post_id = ? ORDER BY seq').all(post.id) as Row[];
      expect(rows.map((row) => row.seq)).toEqual([1, 2]);
      expect(rows.every((row) => row.actor_id !== null)).toBe(true);
      const caughtUp = await t.app.inject({ url: `/api/posts/${slug}/changes?since=0` });
      expect(caughtUp.json().changes.map((change: unknown) => JSON.stringify(change))).toEqual(rows.map((row) => row.payload));
      expect(post.lastSeq).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('records who imported an archive', async () => {
    const t = await createTestApp();
    try {
      const markdown = '---\ntitle: Imported keynote\n---\n\nFirst entry.\n\nSecond entry.\n';
      const response = await t.app.inject({ method: 'POST', url: '/api/import?filename=2026-03-14-keynote.md', headers: { ...t.auth('editor'), 'content-type': 'text/markdown' }, payload: markdown });
      expect(response.statusCode).toBe(201);
      const editor = t.app.stores.tokens.authenticate(t.tokens.editor, new Date().toISOString())!;
      const post = t.app.stores.posts.bySlug(response.json().slug)!;
      const rows = t.app.stores.db.prepare('SELECT seq, payload, actor_id FROM changes WHERE post_id = ? ORDER BY seq').all(post.id) as Row[];
      expect(rows).toHaveLength(2);
      expect(rows.map((row) => row.actor_id)).toEqual([editor.id, editor.id]);
    } finally {
      await t.close();
    }
  });
});

type Row = { seq: number; payload: string; actor_id: number | null };
