import type { Byline, Claim } from '../../contract/index.js';
import { BYLINE_NAME, CO_AUTHORS_JSON, type SharedMetaRow } from './entry-meta.js';

/**
 * SQL for a draft's entry fields (migration 0018): headline, co-authors, location, tags and claim
 * label, in `entry_drafts` as `entries` has them (0013), so publishing copies them as they are.
 * The draft store's SELECT includes DRAFT_META_COLUMNS / DRAFT_META_JOINS and its toDraft()
 * spreads draftMetaOf(row). `entry_drafts.author_id` stays the byline, first of `authors`.
 */

/** Joined onto `entry_drafts d JOIN users a ON a.id = d.author_id`. */
export const DRAFT_META_JOINS = 'LEFT JOIN user_profiles ap ON ap.user_id = d.author_id';

export const DRAFT_META_COLUMNS = `${BYLINE_NAME('a', 'ap')} AS byline_name, ap.job_title AS author_title, ap.avatar AS author_avatar,
  ${CO_AUTHORS_JSON('d')}`;

export type DraftMetaRow = SharedMetaRow & { author_id: number; byline_name: string | null };

/** What a draft's write sets: the co-authors after its byline, by user id. */
export type DraftMeta = { headline: string | null; coAuthors: number[]; location: string | null; tags: string[]; claim: Claim | null };

export const NO_DRAFT_META: DraftMeta = { headline: null, coAuthors: [], location: null, tags: [], claim: null };

export function draftMetaOf(row: DraftMetaRow): { headline: string | null; authors: Byline[]; location: string | null; tags: string[]; claim: Claim | null } {
  const byline: Byline = { id: row.author_id, name: row.byline_name ?? '', jobTitle: row.author_title, avatar: row.author_avatar };
  const coAuthors = row.co_authors_json ? (JSON.parse(row.co_authors_json) as Byline[]) : [];
  return { headline: row.headline, authors: [byline, ...coAuthors], location: row.location, tags: JSON.parse(row.tags) as string[], claim: row.claim };
}

/** A draft's fields as its write takes them back (a review or an unschedule keeps them). */
export function draftMetaFields(draft: { headline: string | null; authors: Byline[]; location: string | null; tags: string[]; claim: Claim | null }): DraftMeta {
  return { headline: draft.headline, coAuthors: draft.authors.slice(1).map((person) => person.id), location: draft.location, tags: draft.tags, claim: draft.claim };
}
