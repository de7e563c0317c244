import type { Byline, Claim, Correction } from './entry-meta.js';
import type { PersonRef } from './common.js';

/**
 * Reading an entry's issue-17 fields with their defaults, for the server's templates and the
 * reader script alike (pure, no zod: the browser bundles it). Entries stored before the fields
 * existed have none of them: their byline is `author`, they have no tags, no label.
 */
export type EntryMetaFields = {
  author: PersonRef | null;
  headline?: string | null | undefined;
  authors?: Byline[] | undefined;
  location?: string | null | undefined;
  tags?: string[] | undefined;
  claim?: Claim | null | undefined;
  correction?: Correction | null | undefined;
};

export type EntryMeta = { headline: string; authors: Byline[]; location: string; tags: string[]; claim: Claim | null; correction: Correction | null };

export function entryMeta(entry: EntryMetaFields): EntryMeta {
  const authors = entry.authors?.length ? entry.authors : entry.author ? [{ ...entry.author, jobTitle: null, avatar: null }] : [];
  return {
    headline: entry.headline?.trim() ?? '',
    authors,
    location: entry.location?.trim() ?? '',
    tags: entry.tags ?? [],
    claim: entry.claim ?? null,
    correction: entry.correction ?? null,
  };
}

/** An avatar is shown only when it is an upload of this server (`/uploads/<sha256>.<ext>`). */
const AVATAR_PATH = /^\/uploads\/[0-9a-f]{64}\.(?:png|jpg|gif|webp)$/;
export function avatarSrc(avatar: string | null): string | undefined {
  return avatar && AVATAR_PATH.test(avatar) ? avatar : undefined;
}

/**
 * "Updated 10:45" is for ordinary edits: once an edit was a correction, readers have its note
 * with its time ("Corrected 14:07: …"), and "Updated" comes back only for a later change.
 */
export function showsUpdated(entry: EntryMetaFields & { edited: boolean; updatedAt: string }): boolean {
  if (!entry.edited) return false;
  return !entry.correction || entry.updatedAt > entry.correction.at;
}
