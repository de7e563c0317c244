import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change, SubscribeAck } from '../../contract/index.js';
import { openDatabase } from '../db/connection.js';
import { migrate, readMigrations } from '../db/migrate.js';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Security review H4: a retraction retracts. Deleted and edited-away text must not come back
 * through any public path that replays history: HTTP catch-up, socket replays, exports.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const SECRET = 'the unannounced price is $999';

async function catchUp(slug: string): Promise<{ changes: Change[]; lastSeq: number }> {
  return (await t.app.inject({ url: `/api/posts/${slug}/changes?since=0` })).json();
}

async function socketReplay(slug: string): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const socket = connect(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`, { transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    const replayed = new Promise<Change[]>((resolve) => socket.once('changes', resolve));
    const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('subscribe', { slug, since: 0, batch: true }, resolve));
    expect(ack.ok).toBe(true);
    return JSON.stringify(await replayed);
  } finally {
    socket.close();
  }
}

/** What a reader who missed everything ends with after applying the whole log in order. */
function pageAfter(changes: Change[]): Map<number, string> {
  const page = new Map<number, string>();
  for (const change of changes) {
    if (change.type === 'entry.deleted') page.delete(change.entry.id);
    else if (change.type !== 'post.updated') page.set(change.entry.id, change.entry.body);
  }
  return page;
}

describe('a retraction retracts (H4)', () => {
  it('a deleted entry leaves only tombstones in catch-up and socket replays', async () => {
    const { slug } = await createPost(t);
    const leaked = (await postEntry(t, slug, SECRET)).json() as { id: number; version: number };
    await t.app.inject({ method: 'PUT', url: `/api/entries/${leaked.id}/pin`, headers: t.auth('author') });
    const kept = (await postEntry(t, slug, 'The keynote starts')).json() as { id: number };
    const current = t.app.stores.entries.byId(leaked.id)!;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/entries/${leaked.id}`, headers: { ...t.auth('editor'), 'if-match': String(current.version) } })).statusCode).toBe(204);

    const log = await catchUp(slug);
    expect(JSON.stringify(log)).not.toContain('$999');
    expect(log.changes.map((change) => change.seq)).toEqual([1, 2, 3, 4]);
    expect(log.lastSeq).toBe(4);
    expect([...pageAfter(log.changes)]).toEqual([[kept.id, 'The keynote starts']]);
    expect(await socketReplay(slug)).not.toContain('$999');
    // The newsroom keeps the history.
    const history = (await t.app.inject({ url: `/api/entries/${leaked.id}/revisions`, headers: t.auth('editor') })).json();
    expect(JSON.stringify(history)).toContain('$999');
  });

  it('an edit leaves only the corrected text', async () => {
    const { slug } = await createPost(t);
    const entry = (await postEntry(t, slug, SECRET)).json() as { id: number; version: number };
    const fixed = await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { body: 'The price is announced at noon.' } });
    expect(fixed.statusCode).toBe(200);
    const log = await catchUp(slug);
    expect(JSON.stringify(log)).not.toContain('$999');
    expect(log.changes.map((change) => [change.seq, change.type])).toEqual([
      [1, 'entry.created'],
      [2, 'entry.updated'],
    ]);
    expect([...pageAfter(log.changes)]).toEqual([[entry.id, 'The price is announced at noon.']]);
    expect(await socketReplay(slug)).not.toContain('$999');
    // The JSON archive (an export of every row) carries the redacted log too.
    expect(JSON.stringify(t.app.services.archives.exportJson(slug).changes)).not.toContain('$999');
  });

  it('the migration redacts rows written before it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liveline-retraction-migration-'));
    try {
      const db = openDatabase(join(dir, 'old.db'));
      const all = readMigrations();
      migrate(db, all.slice(0, all.findIndex((migration) => migration.name === 'retractions')));
      const now = '2026-03-14T09:00:00.000Z';
      db.prepare("INSERT INTO posts (id, slug, title, status, last_seq, created_at, updated_at) VALUES (1, 'p', 'P', 'live', 3, ?, ?)").run(now, now);
      const entry = (body: string, version: number) => ({ id: 7, postId: 1, body, html: `<p>${body}</p>`, author: null, createdAt: now, updatedAt: now, version, keyEvent: false, pinned: false, edited: version > 1 });
      const rows: Change[] = [
        { seq: 1, type: 'entry.created', entry: entry(SECRET, 1) },
        { seq: 2, type: 'entry.updated', entry: entry('Corrected', 2) },
        { seq: 3, type: 'entry.deleted', entry: { id: 7, postId: 1, version: 3, deletedAt: now } },
      ];
      for (const row of rows) db.prepare('INSERT INTO changes (post_id, seq, type, payload, created_at) VALUES (1, ?, ?, ?, ?)').run(row.seq, row.type, JSON.stringify(row), now);
      migrate(db, all);
      const after = db.prepare('SELECT seq, type, payload FROM changes ORDER BY seq').all() as { seq: number; type: string; payload: string }[];
      expect(after.map((row) => [row.seq, row.type, (JSON.parse(row.payload) as Change).seq, (JSON.parse(row.payload) as Change).type])).toEqual([
        [1, 'entry.deleted', 1, 'entry.deleted'],
        [2, 'entry.deleted', 2, 'entry.deleted'],
        [3, 'entry.deleted', 3, 'entry.deleted'],
      ]);
      expect(after.map((row) => row.payload).join('')).not.toContain('$999');
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
