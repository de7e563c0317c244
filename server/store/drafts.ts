import type { Draft, DraftState } from '../../contract/index.js';
import type { Db } from '../db/connection.js';
import { DRAFT_META_COLUMNS, DRAFT_META_JOINS, draftMetaOf, type DraftMeta, type DraftMetaRow } from './draft-meta.js';

/**
 * SQL for entries that are not public yet (migration 0012's `entry_drafts`): drafts, submitted
 * ones, scheduled ones, rejected ones. A table of their own, apart from `entries`, so that no
 * public read can ever see them by forgetting a filter: the change log, the search index (its
 * triggers are on `entries`), pages, feeds, exports, counts and caches all read `entries`, and
 * only the newsroom's routes and socket read this. Publishing moves a row into `entries`
 * (services/drafts.ts) and deletes it here in the same transaction.
 */

type DraftRow = DraftMetaRow & {
  id: number;
  post_id: number;
  author_id: number;
  author_name: string | null;
  body: string;
  html: string;
  key_event: number;
  state: DraftState;
  publish_at: string | null;
  note: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: number | null;
  updater_name: string | null;
};

const SELECT = `SELECT d.*, a.name AS author_name, u.name AS updater_name, ${DRAFT_META_COLUMNS}
  FROM entry_drafts d JOIN users a ON a.id = d.author_id LEFT JOIN users u ON u.id = d.updated_by ${DRAFT_META_JOINS}`;

function toDraft(row: DraftRow): Draft {
  return {
    id: row.id,
    postId: row.post_id,
    state: row.state,
    body: row.body,
    html: row.html,
    keyEvent: row.key_event === 1,
    author: { id: row.author_id, name: row.author_name ?? '' },
    publishAt: row.publish_at,
    note: row.note,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by === null ? null : { id: row.updated_by, name: row.updater_name ?? '' },
    ...draftMetaOf(row),
  };
}

export type NewDraft = { postId: number; authorId: number; body: string; html: string; keyEvent: boolean; state: DraftState; publishAt: string | null; meta: DraftMeta; now: string };
export type DraftFields = { body: string; html: string; keyEvent: boolean; state: DraftState; publishAt: string | null; note: string | null; meta: DraftMeta };

function metaParams(meta: DraftMeta) {
  return { headline: meta.headline, coAuthors: JSON.stringify(meta.coAuthors), location: meta.location, tags: JSON.stringify(meta.tags), claim: meta.claim };
}

export class DraftStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO entry_drafts (post_id, author_id, body, html, key_event, state, publish_at, created_at, updated_at, updated_by,
          headline, co_authors, location, tags, claim)
        VALUES (@postId, @authorId, @body, @html, @keyEvent, @state, @publishAt, @now, @now, @authorId,
          @headline, @coAuthors, @location, @tags, @claim) RETURNING id`),
      byId: db.prepare(`${SELECT} WHERE d.id = ?`),
      inPost: db.prepare(`${SELECT} WHERE d.post_id = ? ORDER BY d.updated_at DESC, d.id DESC LIMIT ?`),
      update: db.prepare(`UPDATE entry_drafts SET body = @body, html = @html, key_event = @keyEvent, state = @state, publish_at = @publishAt,
        note = @note, headline = @headline, co_authors = @coAuthors, location = @location, tags = @tags, claim = @claim, version = version + 1, updated_at = @now, updated_by = @actorId WHERE id = @id`),
      delete: db.prepare('DELETE FROM entry_drafts WHERE id = ?'),
      due: db.prepare(`SELECT id FROM entry_drafts WHERE state = 'scheduled' AND publish_at <= ? ORDER BY publish_at, id`).pluck(),
      nextDue: db.prepare(`SELECT min(publish_at) FROM entry_drafts WHERE state = 'scheduled'`).pluck(),
    };
  }

  insert(draft: NewDraft): Draft {
    const { meta, ...fields } = draft;
    const { id } = this.statements.insert.get({ ...fields, ...metaParams(meta), keyEvent: draft.keyEvent ? 1 : 0 }) as { id: number };
    return this.byId(id)!;
  }

  byId(id: number): Draft | undefined {
    const row = this.statements.byId.get(id) as DraftRow | undefined;
    return row && toDraft(row);
  }

  /** A post's drafts, most recently saved first. */
  inPost(postId: number, limit = 500): Draft[] {
    return (this.statements.inPost.all(postId, limit) as DraftRow[]).map(toDraft);
  }

  update(id: number, fields: DraftFields, actorId: number, now: string): Draft {
    const { meta, ...rest } = fields;
    this.statements.update.run({ id, ...rest, ...metaParams(meta), keyEvent: fields.keyEvent ? 1 : 0, actorId, now });
    return this.byId(id)!;
  }

  delete(id: number): void {
    this.statements.delete.run(id);
  }

  /** Scheduled drafts whose time has come, earliest first. */
  due(now: string): number[] {
    return this.statements.due.all(now) as number[];
  }

  /** When the next scheduled draft is due, if any is. */
  nextDue(): string | undefined {
    return (this.statements.nextDue.get() as string | null) ?? undefined;
  }
}
