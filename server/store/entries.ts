import type { Entry, EntryTombstone, RevisionAction, Role, StoredEntry, StoredRevision } from '../../contract/index.js';
import type { Db } from '../db/connection.js';
import type { EntryCursor } from '../domain/cursor.js';
import { BYLINE_NAME, META_COLUMNS, META_JOINS, metaOf, type MetaRow } from './entry-meta.js';
import { RevisionMetaStore } from './revision-meta.js';

type EntryRow = MetaRow & {
  id: number;
  post_id: number;
  author_id: number | null;
  author_name: string | null;
  body: string;
  html: string;
  key_event: number;
  pinned: number;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  edited: number;
};



/**
 * `edited`: the body differs from the one first published. Pinning, key moments, restores and
 * time corrections bump the version but are not edits a reader should be told about.
 */
const SELECT = `SELECT e.*, ${BYLINE_NAME('u', 'p')} AS author_name, ${META_COLUMNS},
  e.body <> COALESCE((SELECT r.body FROM entry_revisions r WHERE r.entry_id = e.id AND r.version = 1), e.body) AS edited
  FROM entries e LEFT JOIN users u ON u.id = e.author_id ${META_JOINS}`;

function toEntry(row: EntryRow): StoredEntry {
  return {
    id: row.id,
    postId: row.post_id,
    body: row.body,
    html: row.html,
    author: row.author_id === null ? null : { id: row.author_id, name: row.author_name ?? '' },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    keyEvent: row.key_event === 1,
    pinned: row.pinned === 1,
    edited: row.edited === 1,
    ...metaOf(row),
    deletedAt: row.deleted_at,
  };
}

/** The public shape of a stored entry (what the API and the socket send). */
export function presentEntry(entry: StoredEntry): Entry {
  const { deletedAt: _deletedAt, ...visible } = entry;
  return visible;
}

/** What readers keep of a deleted entry: enough to remove it, nothing of its content. */
export function tombstoneOf(deleted: StoredEntry, deletedAt: string): EntryTombstone {
  return { id: deleted.id, postId: deleted.postId, version: deleted.version, deletedAt };
}

export type NewEntry = { postId: number; authorId: number | null; body: string; html: string; keyEvent: boolean; createdAt: string; now: string };

/** SQL for entries and their revisions. */
export class EntryStore {
  private readonly statements;
  /** What each revision keeps of the headline, authors, location, tags, claim and correction (migration 0018). */
  private readonly revisionMeta;

  constructor(db: Db) {
    this.revisionMeta = new RevisionMetaStore(db);
    this.statements = {
      insert: db.prepare(`INSERT INTO entries (post_id, author_id, body, html, key_event, created_at, updated_at)
        VALUES (@postId, @authorId, @body, @html, @keyEvent, @createdAt, @now) RETURNING id`),
      byId: db.prepare(`${SELECT} WHERE e.id = ?`),
      latest: db.prepare(`SELECT * FROM (${SELECT} WHERE e.post_id = ? AND e.deleted_at IS NULL
        ORDER BY e.created_at DESC, e.id DESC LIMIT ?) ORDER BY created_at, id`),
      before: db.prepare(`SELECT * FROM (${SELECT} WHERE e.post_id = @postId AND e.deleted_at IS NULL
        AND (e.created_at < @createdAt OR (e.created_at = @createdAt AND e.id < @id))
        ORDER BY e.created_at DESC, e.id DESC LIMIT @limit) ORDER BY created_at, id`),
      first: db.prepare(`${SELECT} WHERE e.post_id = ? AND e.deleted_at IS NULL ORDER BY e.created_at, e.id LIMIT ?`),
      after: db.prepare(`${SELECT} WHERE e.post_id = @postId AND e.deleted_at IS NULL
        AND (e.created_at > @createdAt OR (e.created_at = @createdAt AND e.id > @id))
        ORDER BY e.created_at, e.id LIMIT @limit`),
      anyBefore: db.prepare(`SELECT 1 FROM entries e WHERE e.post_id = @postId AND e.deleted_at IS NULL
        AND (e.created_at < @createdAt OR (e.created_at = @createdAt AND e.id < @id)) LIMIT 1`),
      keyEvents: db.prepare(`${SELECT} WHERE e.post_id = ? AND e.deleted_at IS NULL AND e.key_event = 1
        ORDER BY e.created_at DESC, e.id DESC LIMIT ?`),
      tagged: db.prepare(`${SELECT} WHERE e.post_id = ? AND e.deleted_at IS NULL AND EXISTS (SELECT 1 FROM json_each(e.tags) WHERE value = ?)
        ORDER BY e.created_at DESC, e.id DESC LIMIT ?`),
      pinned: db.prepare(`${SELECT} WHERE e.post_id = ? AND e.deleted_at IS NULL AND e.pinned = 1 ORDER BY e.id DESC LIMIT 1`),
      update: db.prepare(`UPDATE entries SET body = @body, html = @html, key_event = @keyEvent, created_at = @createdAt, version = version + 1, updated_at = @now
        WHERE id = @id`),
      softDelete: db.prepare(`UPDATE entries SET deleted_at = @now, deleted_by = @actorId, version = version + 1, updated_at = @now
        WHERE id = @id`),
      revision: db.prepare(`INSERT INTO entry_revisions (entry_id, version, action, body, key_event, shown_at, actor_id, created_at)
        VALUES (@entryId, @version, @action, @body, @keyEvent, @shownAt, @actorId, @now) RETURNING id`).pluck(),
      revisions: db.prepare(`SELECT r.version, r.action, r.body, r.key_event AS keyEvent, r.shown_at AS shownAt, r.created_at AS createdAt,
        r.actor_id AS actorId, u.name AS actorName
        FROM entry_revisions r LEFT JOIN users u ON u.id = r.actor_id WHERE r.entry_id = ? ORDER BY r.version`),
      lastActorRole: db.prepare(`SELECT u.role FROM entry_revisions r JOIN users u ON u.id = r.actor_id
        WHERE r.entry_id = ? AND r.action = ? ORDER BY r.version DESC LIMIT 1`),
      setPinned: db.prepare('UPDATE entries SET pinned = @pinned, version = version + 1, updated_at = @now WHERE id = @id'),
      pinnedIn: db.prepare(`${SELECT} WHERE e.post_id = ? AND e.pinned = 1 AND e.deleted_at IS NULL`),
      restore: db.prepare(`UPDATE entries SET deleted_at = NULL, deleted_by = NULL, pinned = 0, version = version + 1, updated_at = @now
        WHERE id = @id`),
      deleted: db.prepare(`${SELECT} WHERE e.post_id = ? AND e.deleted_at IS NOT NULL ORDER BY e.deleted_at DESC, e.id DESC LIMIT ?`),
    };
  }

  insert(entry: NewEntry): StoredEntry {
    const { id } = this.statements.insert.get({ ...entry, keyEvent: entry.keyEvent ? 1 : 0 }) as { id: number };
    return this.byId(id)!;
  }

  byId(id: number): StoredEntry | undefined {
    const row = this.statements.byId.get(id) as EntryRow | undefined;
    return row && toEntry(row);
  }

  /** The newest `limit` visible entries of a post, oldest first. */
  latest(postId: number, limit: number): StoredEntry[] {
    return (this.statements.latest.all(postId, limit) as EntryRow[]).map(toEntry);
  }

  /** The `limit` visible entries just before `cursor`, oldest first. */
  before(postId: number, cursor: EntryCursor, limit: number): StoredEntry[] {
    return (this.statements.before.all({ postId, ...cursor, limit }) as EntryRow[]).map(toEntry);
  }

  /** The oldest `limit` visible entries of a post (an ended post opens at its start), oldest first. */
  first(postId: number, limit: number): StoredEntry[] {
    return (this.statements.first.all(postId, limit) as EntryRow[]).map(toEntry);
  }

  /** The `limit` visible entries just after `cursor`, oldest first ("Load later entries"). */
  after(postId: number, cursor: EntryCursor, limit: number): StoredEntry[] {
    return (this.statements.after.all({ postId, ...cursor, limit }) as EntryRow[]).map(toEntry);
  }

  /** Whether any visible entry comes before `cursor`. */
  anyBefore(postId: number, cursor: EntryCursor): boolean {
    return this.statements.anyBefore.get({ postId, ...cursor }) !== undefined;
  }

  /** The newest key moments of a post, newest first. */
  keyEvents(postId: number, limit: number): StoredEntry[] {
    return (this.statements.keyEvents.all(postId, limit) as EntryRow[]).map(toEntry);
  }

  /** The newest entries of a post with this tag (issue 17), newest first. */
  tagged(postId: number, tag: string, limit: number): StoredEntry[] {
    return (this.statements.tagged.all(postId, tag, limit) as EntryRow[]).map(toEntry);
  }

  pinned(postId: number): StoredEntry | undefined {
    const row = this.statements.pinned.get(postId) as EntryRow | undefined;
    return row && toEntry(row);
  }

  update(id: number, fields: { body: string; html: string; keyEvent: boolean; createdAt: string }, now: string): StoredEntry {
    this.statements.update.run({ id, ...fields, keyEvent: fields.keyEvent ? 1 : 0, now });
    return this.byId(id)!;
  }

  softDelete(id: number, actorId: number | null, now: string): StoredEntry {
    this.statements.softDelete.run({ id, actorId, now });
    return this.byId(id)!;
  }

  recordRevision(entry: StoredEntry, action: RevisionAction, actorId: number | null, now: string): void {
    const revisionId = this.statements.revision.get({
      entryId: entry.id,
      version: entry.version,
      action,
      body: entry.body,
      keyEvent: entry.keyEvent ? 1 : 0,
      shownAt: entry.createdAt,
      actorId,
      now,
    }) as number;
    this.revisionMeta.record(revisionId, entry);
  }

  /** Every saved version of an entry, oldest first, with its fields when it kept them (0018 on). */
  revisions(entryId: number): StoredRevision[] {
    const rows = this.statements.revisions.all(entryId) as (Omit<StoredRevision, 'keyEvent' | 'actor'> & { keyEvent: number; actorId: number | null; actorName: string | null })[];
    const meta = this.revisionMeta.ofEntry(entryId);
    return rows.map(({ actorId, actorName, keyEvent, ...rest }) => ({
      ...rest,
      keyEvent: keyEvent === 1,
      actor: actorId === null ? null : { id: actorId, name: actorName ?? '' },
      ...meta.get(rest.version),
    }));
  }

  /** The role of whoever last did `action` to the entry (who pinned it, who deleted it). */
  lastActorRole(id: number, action: RevisionAction): Role | undefined {
    return (this.statements.lastActorRole.get(id, action) as { role: Role } | undefined)?.role;
  }

  setPinned(id: number, pinned: boolean, now: string): StoredEntry {
    this.statements.setPinned.run({ id, pinned: pinned ? 1 : 0, now });
    return this.byId(id)!;
  }

  /** The post's pinned entry, if any (at most one: a unique index guarantees it). */
  pinnedIn(postId: number): StoredEntry | undefined {
    const row = this.statements.pinnedIn.get(postId) as EntryRow | undefined;
    return row && toEntry(row);
  }

  /** Brings a deleted entry back, unpinned (another entry may have been pinned meanwhile). */
  restore(id: number, now: string): StoredEntry {
    this.statements.restore.run({ id, now });
    return this.byId(id)!;
  }

  /** The most recently deleted entries of a post. */
  deletedIn(postId: number, limit: number): StoredEntry[] {
    return (this.statements.deleted.all(postId, limit) as EntryRow[]).map(toEntry);
  }
}
