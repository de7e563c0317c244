import { z } from 'zod';
import { personRef } from './common.js';
import { normalizeTag, TAG_MAX_LENGTH, TAGS_MAX } from './tags.js';

/**
 * What an entry says about itself beyond its body (issue 17): a headline, its authors (the first
 * is the byline), where it was written, tags, a claim label for breaking news and the latest
 * public correction. contract/entry.ts spreads these fields into the entry's schemas. On output
 * they are optional: change rows stored before migration 0013 lack them (read them through
 * `entryMeta()` in contract/byline.ts, which fills in the defaults).
 */

export const HEADLINE_MAX = 200;
export const LOCATION_MAX = 80;
export const CORRECTION_NOTE_MAX = 280;
export const AUTHORS_MAX = 5;
export { TAG_MAX_LENGTH, TAGS_MAX };

export const CLAIMS = ['unconfirmed', 'confirmed', 'denied'] as const;
export const claimSchema = z.enum(CLAIMS);
export type Claim = z.infer<typeof claimSchema>;

/** A person as a byline shows them: never an email; the id is the one `author` already carries. */
export const bylineSchema = personRef.extend({ jobTitle: z.string().nullable(), avatar: z.string().nullable() });
export type Byline = z.infer<typeof bylineSchema>;

export const correctionSchema = z.object({ note: z.string(), at: z.string() });
export type Correction = z.infer<typeof correctionSchema>;

/** The fields on an entry as the API, the socket and the change log send it. */
export const entryMetaOutput = {
  headline: z.string().nullable().optional(),
  authors: z.array(bylineSchema).optional(),
  location: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  claim: claimSchema.nullable().optional(),
  correction: correctionSchema.nullable().optional(),
};

/**
 * The fields as a revision saved them (migration 0018), for the history view and its restore.
 * Absent on revisions saved before then (their fields are unknown). `authors`: the byline first;
 * `correction`: the public note the entry carried at that version.
 */
export const revisionMetaOutput = {
  headline: z.string().nullable().optional(),
  authors: z.array(personRef).optional(),
  location: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  claim: claimSchema.nullable().optional(),
  correction: z.string().nullable().optional(),
};

/** Blank is none: an empty headline or location clears it. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .transform((value) => (value ? value : null));

const tag = z
  .string()
  .max(TAG_MAX_LENGTH * 4)
  .transform(normalizeTag)
  .refine((value) => value.length > 0, { error: 'must have a letter or digit' });

/** The fields on a create or a PATCH. `authors` are user ids, the byline first; duplicates are dropped. */
export const entryMetaInput = {
  headline: optionalText(HEADLINE_MAX),
  authors: z
    .array(z.number().int().positive())
    .min(1, 'must name at least the byline')
    .max(AUTHORS_MAX, `at most ${AUTHORS_MAX} authors`)
    .transform((ids) => [...new Set(ids)]),
  location: optionalText(LOCATION_MAX),
  tags: z
    .array(tag)
    .max(TAGS_MAX, `at most ${TAGS_MAX} tags`)
    .transform((tags) => [...new Set(tags)]),
  claim: claimSchema.nullable(),
};

/** Only on an editor's PATCH: the edit is a correction, and readers see this note with its time. */
export const correctionInput = z.strictObject({ note: z.string().trim().min(1, 'must not be empty').max(CORRECTION_NOTE_MAX, `must be at most ${CORRECTION_NOTE_MAX} characters`) });

/** `GET /api/people`: the newsroom's names, for `@name` in the composer (never an email). */
export const peopleOutput = z.object({ people: z.array(bylineSchema) });
export type PeopleList = z.infer<typeof peopleOutput>;

/** `GET/PATCH /api/profile`: what the signed-in person's byline shows. */
export const profileSchema = z.object({
  id: z.number(),
  /** The account's own name, shown when there is no display name. */
  accountName: z.string(),
  displayName: z.string().nullable(),
  jobTitle: z.string().nullable(),
  avatar: z.string().nullable(),
});
export type Profile = z.infer<typeof profileSchema>;
export const profilePatch = z
  .strictObject({ displayName: optionalText(100), jobTitle: optionalText(80) })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' });
export type ProfilePatch = z.infer<typeof profilePatch>;
