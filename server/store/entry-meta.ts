import type { Byline, Claim, Correction } from '../../contract/index.js';
import type { Db } from '../db/connection.js';

/**
 * SQL for an entry's issue-17 fields (migration 0013): headline, location, tags, claim label,
 * correction and co-authors. The entry store's SELECT includes META_COLUMNS / META_JOINS and its
 * toEntry() spreads metaOf(row), so every read of an entry (API, socket, change log, page) carries
 * them; writes go through set(), inside the entry service's transaction.
 */

/** A person's byline name: the profile's display name, else the account's. */
export const BYLINE_NAME = (user: string, profile: string) => `COALESCE(${profile}.display_name, ${user}.name)`;

/** Joined onto `entries e LEFT JOIN users u ON u.id = e.author_id`. */
export const META_JOINS = 'LEFT JOIN user_profiles p ON p.user_id = e.author_id';

/** The co-authors of the row aliased `table` (an entry or a draft), in order, as a JSON array of bylines. */
export const CO_AUTHORS_JSON = (table: string) => `(SELECT json_group_array(json_object('id', cu.id, 'name', ${BYLINE_NAME('cu', 'cp')}, 'jobTitle', cp.job_title, 'avatar', cp.avatar) ORDER BY j.key)
    FROM json_each(${table}.co_authors) j JOIN users cu ON cu.id = j.value LEFT JOIN user_profiles cp ON cp.user_id = cu.id) AS co_authors_json`;

/** Co-authors in order, as bylines; the byline's title and avatar. */
export const META_COLUMNS = `p.job_title AS author_title, p.avatar AS author_avatar,
  ${CO_AUTHORS_JSON('e')}`;

/** The columns entries and drafts read alike (META_COLUMNS, DRAFT_META_COLUMNS and their tables). */
export type SharedMetaRow = {
  author_title: string | null;
  author_avatar: string | null;
  co_authors_json: string | null;
  headline: string | null;
  location: string | null;
  tags: string;
  claim: Claim | null;
};

export type MetaRow = SharedMetaRow & {
  author_id: number | null;
  author_name: string | null;
  correction_note: string | null;
  corrected_at: string | null;
};

export type StoredMeta = { headline: string | null; authors: Byline[]; location: string | null; tags: string[]; claim: Claim | null; correction: Correction | null };

export function metaOf(row: MetaRow): StoredMeta {
  const byline: Byline[] = row.author_id === null ? [] : [{ id: row.author_id, name: row.author_name ?? '', jobTitle: row.author_title, avatar: row.author_avatar }];
  const coAuthors = row.co_authors_json ? (JSON.parse(row.co_authors_json) as Byline[]) : [];
  return {
    headline: row.headline,
    authors: [...byline, ...coAuthors],
    location: row.location,
    tags: JSON.parse(row.tags) as string[],
    claim: row.claim,
    correction: row.correction_note !== null && row.corrected_at !== null ? { note: row.correction_note, at: row.corrected_at } : null,
  };
}

/** What a write sets; the byline (author_id) with `authors[0]`. */
export type MetaFields = {
  headline: string | null;
  authorId: number | null;
  coAuthors: number[];
  location: string | null;
  tags: string[];
  claim: Claim | null;
  correction: Correction | null;
};

export class EntryMetaStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      set: db.prepare(`UPDATE entries SET headline = @headline, author_id = @authorId, co_authors = @coAuthors, location = @location, tags = @tags,
        claim = @claim, correction_note = @correctionNote, corrected_at = @correctedAt WHERE id = @id`),
      activeUsers: db.prepare(`SELECT u.id FROM json_each(?) j JOIN users u ON u.id = j.value WHERE u.disabled_at IS NULL`).pluck(),
    };
  }

  set(id: number, fields: MetaFields): void {
    this.statements.set.run({
      id,
      headline: fields.headline,
      authorId: fields.authorId,
      coAuthors: JSON.stringify(fields.coAuthors),
      location: fields.location,
      tags: JSON.stringify(fields.tags),
      claim: fields.claim,
      correctionNote: fields.correction?.note ?? null,
      correctedAt: fields.correction?.at ?? null,
    });
  }

  /** Which of these user ids are accounts that may be credited (exist, not disabled). */
  activeUserIds(ids: number[]): Set<number> {
    return new Set(this.statements.activeUsers.all(JSON.stringify(ids)) as number[]);
  }
}
