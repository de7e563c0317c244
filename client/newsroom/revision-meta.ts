import { entryMeta } from '../../contract/byline.js';
import type { Claim, EntryPatch, Revision, StoredEntry } from '../../contract/index.js';
import { isEditor, type Viewer } from './timeline.js';

/**
 * The history view's part of the issue-17 fields (headline, authors, location, tags, claim,
 * correction), as each revision kept them (migration 0018): the lines saying what changed
 * ("Headline: old → new"), and what "Restore this version" sends so the fields come back with
 * the text. Revisions saved before 0018 carry no fields: nothing is said or restored of them.
 * Pure (no DOM), so the server's tests run it.
 */

type RevisionFields = Pick<Revision, 'headline' | 'authors' | 'location' | 'tags' | 'claim' | 'correction'>;

const CLAIM_LABEL: Record<Claim, string> = { unconfirmed: 'Unconfirmed', confirmed: 'Confirmed', denied: 'Denied' };

/** Whether this revision kept its fields (saved since migration 0018). */
export const keptFields = (revision: RevisionFields): boolean => revision.tags !== undefined;

const text = (value: string | null | undefined) => (value ? `“${value}”` : 'none');
const tagsText = (tags: string[] | undefined) => (tags?.length ? tags.map((tag) => `#${tag}`).join(' ') : 'none');
const namesText = (authors: Revision['authors']) => (authors?.length ? authors.map((person) => person.name).join(', ') : 'none');
const claimText = (claim: Claim | null | undefined) => (claim ? CLAIM_LABEL[claim] : 'no label');
const ids = (authors: Revision['authors']) => (authors ?? []).map((person) => person.id).join(' ');

/** "Headline: “old” → “new”" and the like, for each field that differs from the version before. */
export function metaChanges(revision: RevisionFields, previous: RevisionFields | undefined): string[] {
  if (!previous || !keptFields(revision) || !keptFields(previous)) return [];
  const lines: string[] = [];
  if ((revision.headline ?? null) !== (previous.headline ?? null)) lines.push(`Headline: ${text(previous.headline)} → ${text(revision.headline)}`);
  if (ids(revision.authors) !== ids(previous.authors)) lines.push(`Authors: ${namesText(previous.authors)} → ${namesText(revision.authors)}`);
  if ((revision.location ?? null) !== (previous.location ?? null)) lines.push(`Location: ${text(previous.location)} → ${text(revision.location)}`);
  if (tagsText(revision.tags) !== tagsText(previous.tags)) lines.push(`Tags: ${tagsText(previous.tags)} → ${tagsText(revision.tags)}`);
  if ((revision.claim ?? null) !== (previous.claim ?? null)) lines.push(`Label: ${claimText(previous.claim)} → ${claimText(revision.claim)}`);
  if (revision.correction && revision.correction !== previous.correction) lines.push(`Correction: ${text(revision.correction)}`);
  return lines;
}

/**
 * What restoring `revision` sends: its body, and each of its fields that differs from the entry
 * now, as far as this person may set it (an author neither confirms a claim nor moves the byline:
 * those stay as they are rather than the whole restore being refused). A public correction is
 * never taken back by a restore: readers were told.
 */
export function restorePatch(revision: Revision, entry: StoredEntry, viewer: Viewer): EntryPatch & { body: string } {
  const patch: EntryPatch & { body: string } = { body: revision.body };
  if (!keptFields(revision)) return patch;
  const now = entryMeta(entry);
  const headline = revision.headline ?? null;
  if (headline !== (now.headline || null)) patch.headline = headline;
  const location = revision.location ?? null;
  if (location !== (now.location || null)) patch.location = location;
  const tags = revision.tags ?? [];
  if (tags.join(' ') !== now.tags.join(' ')) patch.tags = tags;
  const claim = revision.claim ?? null;
  const open = (value: Claim | null) => value === null || value === 'unconfirmed';
  if (claim !== now.claim && (isEditor(viewer) || (open(claim) && open(now.claim)))) patch.claim = claim;
  const authors = (revision.authors ?? []).map((person) => person.id);
  const current = now.authors.map((person) => person.id);
  if (authors.length && authors.join(' ') !== current.join(' ') && (isEditor(viewer) || authors[0] === current[0])) patch.authors = authors;
  return patch;
}

/** Whether restoring `revision` would change anything of the entry now (its text or its fields). */
export function differsFromEntry(revision: Revision, entry: StoredEntry, viewer: Viewer): boolean {
  return Object.keys(restorePatch(revision, entry, viewer)).length > 1 || revision.body !== entry.body;
}
