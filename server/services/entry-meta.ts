import type { Actor, EntryPatch, StoredEntry } from '../../contract/index.js';
import { bylineRefusal, claimRefusal, correctionRefusal } from '../domain/entry-meta.js';
import { errors } from '../domain/errors.js';
import type { MetaFields } from '../store/entry-meta.js';
import type { Stores } from './context.js';

/**
 * The issue-17 part of writing an entry: called by EntryService inside its create/update
 * transaction, right after the entry row is written, so the fields share the entry's version,
 * revision and change-log row (one write path). Fields left out keep their values; on a create
 * the byline is whoever writes. Refusals are the domain's (domain/entry-meta.ts).
 */
export type MetaChange = Pick<EntryPatch, 'headline' | 'authors' | 'location' | 'tags' | 'claim' | 'correction'>;

export function writeMeta(stores: Stores, actor: Actor, entry: StoredEntry, change: MetaChange, previous: StoredEntry | undefined, now: string): StoredEntry {
  const fields = resolve(stores, actor, change, previous ?? { author: { id: actor.id, name: actor.name }, authors: [], headline: null, location: null, tags: [], claim: null, correction: null }, now);
  stores.entryMeta.set(entry.id, fields);
  return stores.entries.byId(entry.id)!;
}

type Before = Pick<StoredEntry, 'author' | 'authors' | 'headline' | 'location' | 'tags' | 'claim' | 'correction'>;

function resolve(stores: Stores, actor: Actor, change: MetaChange, before: Before, now: string): MetaFields {
  if (change.correction !== undefined) {
    const refusal = correctionRefusal(actor);
    if (refusal) throw errors.forbidden(refusal);
  }
  const claimBefore = before.claim ?? null;
  const claim = change.claim === undefined ? claimBefore : change.claim;
  const claimRefused = claimRefusal(actor, claimBefore, claim);
  if (claimRefused) throw errors.forbidden(claimRefused);

  const beforeIds = before.authors?.length ? before.authors.map((person) => person.id) : before.author ? [before.author.id] : [];
  let authors = beforeIds;
  if (change.authors !== undefined) {
    const bylineRefused = bylineRefusal(actor, change.authors);
    if (bylineRefused) throw errors.forbidden(bylineRefused);
    // Someone already credited stays creditable after their account is disabled; new names must be active accounts.
    const active = stores.entryMeta.activeUserIds(change.authors);
    const unknown = change.authors.filter((id) => !active.has(id) && !beforeIds.includes(id));
    if (unknown.length) {
      throw errors.unprocessable('unknown-author', `No active account has the id ${unknown.join(', ')}; credit people of this newsroom (GET /api/people).`, {
        errors: [{ field: 'body.authors', message: `unknown or disabled user ${unknown.join(', ')}` }],
      });
    }
    authors = change.authors;
  }
  return {
    headline: change.headline === undefined ? (before.headline ?? null) : change.headline,
    authorId: authors[0] ?? null,
    coAuthors: authors.slice(1),
    location: change.location === undefined ? (before.location ?? null) : change.location,
    tags: change.tags ?? before.tags ?? [],
    claim,
    correction: change.correction ? { note: change.correction.note, at: now } : (before.correction ?? null),
  };
}

/** The meta fields of a create, for its idempotency hash: empty when none was sent, so keys stored before 0013 still match. */
export function metaForHash(input: MetaChange): unknown[] {
  const fields = [input.headline, input.authors, input.location, input.tags, input.claim];
  return fields.every((field) => field === undefined) ? [] : fields.map((field) => field ?? null);
}
