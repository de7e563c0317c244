import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Disk full and read-only storage, simulated on the server's own connection, portably and
 * without root or special mounts:
 * - disk full: `PRAGMA max_page_count` caps the file at its current size, so the next write that
 *   needs a page fails with SQLITE_FULL, exactly what a full disk produces;
 * - read-only: `PRAGMA query_only` makes every write fail with SQLITE_READONLY, what a file or
 *   mount that turned read-only produces (chmod does not work here: the file is already open,
 *   and tests may run as root, who ignores permissions).
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function logCapture(): { stream: Writable; lines: () => { level: number; msg: string; sqliteCode?: string }[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

function counts(t: TestApp): Record<string, number> {
  const db = t.app.stores.db;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { entries: count('entries'), revisions: count('entry_revisions'), changes: count('changes'), idempotency: count('idempotency_keys') };
}

async function expectReadsWork(t: TestApp, slug: string, entries: number): Promise<void> {
  const api = await t.app.inject({ url: `/api/posts/${slug}` });
  expect(api.statusCode).toBe(200);
  expect(api.json().entries).toHaveLength(entries);
  const page = await t.app.inject({ url: `/posts/${slug}` });
  expect(page.statusCode).toBe(200);
  expect(page.body.match(/data-entry-id=/g) ?? []).toHaveLength(entries);
  expect((await t.app.inject({ url: `/api/posts/${slug}/changes?since=0` })).statusCode).toBe(200);
  expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
}

function expectContiguous(t: TestApp, postId: number): void {
  const seqs = (t.app.stores.db.prepare('SELECT seq FROM changes WHERE post_id = ? ORDER BY seq').all(postId) as { seq: number }[]).map((row) => row.seq);
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
}

describe('disk full', () => {
  it('answers writes with 503 and a clear log line, keeps reads working, writes nothing half-way', async () => {
    const logs = logCapture();
    t = await createTestApp({ LOG_LEVEL: 'error' }, { logger: true, logStream: logs.stream });
    const { slug, id } = await createPost(t);
    expect((await postEntry(t, slug, 'before the disk filled')).statusCode).toBe(201);

    const db = t.app.stores.db;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    // Free space inside existing pages may take a few more entries; then the disk is "full".
    let accepted = 1;
    let refused: Awaited<ReturnType<typeof postEntry>> | undefined;
    for (let i = 0; i < 500 && !refused; i++) {
      const response = await postEntry(t, slug, `filler ${i} ${'x'.repeat(2000)}`, 'author', { 'idempotency-key': `fill-${i}` });
      if (response.statusCode === 201) accepted += 1;
      else refused = response;
    }
    expect(refused?.statusCode).toBe(503);
    expect(refused?.headers['retry-after']).toBe('30');
    expect(refused?.json()).toMatchObject({ type: '/problems/storage-unavailable', status: 503 });
    expect(logs.lines().some((line) => line.level === 50 && line.sqliteCode === 'SQLITE_FULL' && /disk is full/.test(line.msg))).toBe(true);

    // Nothing half-written: every table agrees with the accepted entries.
    expect(counts(t)).toEqual({ entries: accepted, revisions: accepted, changes: accepted, idempotency: accepted - 1 });
    expectContiguous(t, id);
    await expectReadsWork(t, slug, Math.min(accepted, 50));

    // Space comes back: writes work again, and the seq stays contiguous.
    db.pragma('max_page_count = 1073741823');
    expect((await postEntry(t, slug, 'after the disk was freed')).statusCode).toBe(201);
    expectContiguous(t, id);
  });
});

describe('read-only database', () => {
  it('answers every kind of write with 503 while reads keep working', async () => {
    t = await createTestApp();
    const { slug, id } = await createPost(t);
    const entry = (await postEntry(t, slug, 'written before')).json();
    const before = counts(t);

    t.app.stores.db.pragma('query_only = ON');
    const writes = [
      await postEntry(t, slug, 'refused', 'author', { 'idempotency-key': 'ro-1' }),
      await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { body: 'edited' } }),
      await t.app.inject({ method: 'DELETE', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': '1' } }),
      await t.app.inject({ method: 'POST', url: '/api/posts', headers: t.auth('editor'), payload: { title: 'Another' } }),
      await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': '1' }, payload: { status: 'live' } }),
    ];
    for (const response of writes) {
      expect(response.statusCode, response.body).toBe(503);
      expect(response.json()).toMatchObject({ type: '/problems/storage-unavailable' });
    }
    expect(counts(t)).toEqual(before);
    await expectReadsWork(t, slug, 1);

    t.app.stores.db.pragma('query_only = OFF');
    expect((await postEntry(t, slug, 'writable again', 'author', { 'idempotency-key': 'ro-1' })).statusCode).toBe(201);
    expectContiguous(t, id);
  });
});
