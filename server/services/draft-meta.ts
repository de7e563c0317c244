import type { Actor, Draft, DraftPatch } from '../../contract/index.js';
import { claimRefusal } from '../domain/entry-meta.js';
import { errors } from '../domain/errors.js';
import { draftMetaFields, type DraftMeta } from '../store/draft-meta.js';
import type { MetaFields } from '../store/entry-meta.js';
import type { Stores } from './context.js';

/**
 * The entry fields of a draft (issue 17): headline, co-authors, location, tags and claim label,
 * checked as an entry's are (services/entry-meta.ts, domain/entry-meta.ts) and copied onto the
 * entry by the draft's publishing transaction, so its first revision and its entry.created change
 * already carry them. Two differences, both because a draft is not public yet:
 * - no correction (there is nothing readers saw to correct): a 422 says so;
 * - the byline is the draft's author (who may see and edit it follows from it): `authors` must
 *   start with them, and an editor changes the byline once it is published.
 */
export type DraftMetaChange = Pick<DraftPatch, 'headline' | 'authors' | 'location' | 'tags' | 'claim' | 'correction'>;

export function resolveDraftMeta(stores: Stores, actor: Actor, change: DraftMetaChange, before: Pick<Draft, 'headline' | 'authors' | 'location' | 'tags' | 'claim'> | undefined, authorId: number): DraftMeta {
  if (change.correction !== undefined) {
    throw errors.unprocessable('correction-on-draft', 'A correction is for an edit of a published entry: readers have not seen this draft, so there is nothing to correct. Save the draft without it.', {
      errors: [{ field: 'body.correction', message: 'only on a PATCH of a published entry' }],
    });
  }
  const current = before ? draftMetaFields(before) : { headline: null, coAuthors: [], location: null, tags: [], claim: null };
  const claim = change.claim === undefined ? current.claim : change.claim;
  const claimRefused = claimRefusal(actor, current.claim, claim);
  if (claimRefused) throw errors.forbidden(claimRefused);

  let coAuthors = current.coAuthors;
  if (change.authors !== undefined) {
    if (change.authors[0] !== authorId) {
      throw errors.unprocessable('draft-byline', `A draft's byline is its author (user ${authorId}): send them first in authors, then the co-authors. An editor may change the byline once it is published.`, {
        errors: [{ field: 'body.authors', message: `must start with the draft's author, ${authorId}` }],
      });
    }
    // As on entries: someone already credited stays creditable; new names must be active accounts.
    const known = new Set([authorId, ...current.coAuthors]);
    const active = stores.entryMeta.activeUserIds(change.authors);
    const unknown = change.authors.filter((id) => !active.has(id) && !known.has(id));
    if (unknown.length) {
      throw errors.unprocessable('unknown-author', `No active account has the id ${unknown.join(', ')}; credit people of this newsroom (GET /api/people).`, {
        errors: [{ field: 'body.authors', message: `unknown or disabled user ${unknown.join(', ')}` }],
      });
    }
    coAuthors = change.authors.slice(1);
  }
  return {
    headline: change.headline === undefined ? current.headline : change.headline,
    coAuthors,
    location: change.location === undefined ? current.location : change.location,
    tags: change.tags ?? current.tags,
    claim,
  };
}

/** What the published entry gets: the draft's fields, its author the byline, no correction. */
export function publishedMeta(draft: Draft): MetaFields {
  const meta = draftMetaFields(draft);
  return { headline: meta.headline, authorId: draft.author.id, coAuthors: meta.coAuthors, location: meta.location, tags: meta.tags, claim: meta.claim, correction: null };
}
