import { z } from 'zod';
import { isoDateTime, personRef } from './common.js';
import { correctionInput, entryMetaInput, entryMetaOutput, revisionMetaOutput } from './entry-meta.js';

/** One timestamped update inside a post. */

export const ENTRY_BODY_MAX = 20_000;

export const entrySchema = z.object({
  id: z.number(),
  postId: z.number(),
  /** Markdown source. */
  body: z.string(),
  /** Sanitized HTML, rendered once at write time. */
  html: z.string(),
  author: personRef.nullable(),
  /** The time shown to readers. */
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  keyEvent: z.boolean(),
  pinned: z.boolean(),
  /**
   * The body changed after it was first published (readers see a marker); pins, key moments and
   * time corrections are not edits. Change rows stored before the field existed lack it: they
   * parse as false (migration 0004 also fills it in).
   */
  edited: z.boolean().default(false),
  /** Headline, authors, location, tags, claim, correction (contract/entry-meta.ts). */
  ...entryMetaOutput,
});
export type Entry = z.infer<typeof entrySchema>;

/** What a deleted entry leaves behind on the wire: enough to remove it, nothing of its content. */
export const entryTombstoneSchema = z.object({ id: z.number(), postId: z.number(), version: z.number(), deletedAt: z.string() });
export type EntryTombstone = z.infer<typeof entryTombstoneSchema>;

/** An entry as the newsroom sees it: deleted ones too. */
export const storedEntrySchema = entrySchema.extend({ deletedAt: z.string().nullable() });
export type StoredEntry = z.infer<typeof storedEntrySchema>;

const entryBody = z
  .string()
  .max(ENTRY_BODY_MAX, `must be at most ${ENTRY_BODY_MAX} characters`)
  .refine((body) => body.trim().length > 0, { error: 'must not be empty' });

/** `POST /api/posts/:slug/entries`. */
export const entryInput = z.strictObject({
  body: entryBody,
  createdAt: isoDateTime.optional(),
  keyEvent: z.boolean().optional(),
  ...z.object(entryMetaInput).partial().shape,
});
export type EntryInput = z.infer<typeof entryInput>;

/** `PATCH /api/entries/:id` (with If-Match): any of the fields, at least one. */
export const entryPatch = z
  .strictObject({ body: entryBody, createdAt: isoDateTime, keyEvent: z.boolean(), ...entryMetaInput, correction: correctionInput })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' });
export type EntryPatch = z.infer<typeof entryPatch>;

/** `POST /api/preview`: a draft rendered exactly as an entry would be. */
export const previewInput = z.strictObject({ body: z.string().max(ENTRY_BODY_MAX) });
export const previewOutput = z.object({ html: z.string() });
export type PreviewInput = z.infer<typeof previewInput>;
export type Preview = z.infer<typeof previewOutput>;

/** `after=start`: the first page of a post, read forward from its first entry. */
export const FROM_START = 'start';

/**
 * `GET /api/posts/:slug/entries`: the latest page; `before=CURSOR`, the page before a cursor;
 * `after=CURSOR`, the page after it (`after=start`: the post's first page, as an ended post opens);
 * or `at=TIME`, the page that ends with the last entry shown at or before that instant (jump to a time).
 */
export const entriesQuery = z
  .object({
    before: z.string().max(200).optional(),
    after: z.string().max(200).optional(),
    at: isoDateTime.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((query) => [query.before, query.after, query.at].filter((value) => value !== undefined).length <= 1, {
    error: 'send one of before, after and at, not several',
    path: ['at'],
  });

/**
 * A page of entries, oldest first; `nextCursor` pages further back. A page read forward
 * (`after=`) also carries `laterCursor`, which pages further forward (null at the newest entry).
 */
export const entryPage = z.object({ entries: z.array(entrySchema), nextCursor: z.string().nullable(), laterCursor: z.string().nullable().optional() });
export type EntryPage = z.infer<typeof entryPage>;
/** `GET /api/posts/:slug/entries`: a page, and the seq of the change log it is current to. */
export const entriesOutput = entryPage.extend({ lastSeq: z.number() });

export const REVISION_ACTIONS = ['created', 'updated', 'deleted', 'restored', 'pinned', 'unpinned'] as const;
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** Every saved version of an entry, for the newsroom's history view. */
export const revisionSchema = z.object({
  version: z.number(),
  action: z.enum(REVISION_ACTIONS),
  body: z.string(),
  /**
   * This version's body as readers saw it: sanitized HTML from the entries' own renderer (the
   * history diffs the text readers see, not the Markdown). Null when the body can no longer be
   * rendered (too complex for today's limits); the newsroom then shows the Markdown.
   */
  html: z.string().nullable(),
  keyEvent: z.boolean(),
  /** The entry's shown time at this version (null for revisions older than this field). */
  shownAt: z.string().nullable(),
  actor: personRef.nullable(),
  createdAt: z.string(),
  /** Headline, authors, location, tags, claim and correction note at this version (contract/entry-meta.ts). */
  ...revisionMetaOutput,
});
export type Revision = z.infer<typeof revisionSchema>;
/** A revision as stored: the HTML is rendered when the history is asked for. */
export type StoredRevision = Omit<Revision, 'html'>;

export const revisionsOutput = z.object({ entry: storedEntrySchema, revisions: z.array(revisionSchema) });
export type EntryRevisions = z.infer<typeof revisionsOutput>;
export const deletedEntriesOutput = z.object({ entries: z.array(storedEntrySchema) });
export type DeletedEntries = z.infer<typeof deletedEntriesOutput>;
