import { z } from 'zod';
import { CHANGE_TYPES } from './change.js';
import { label, slugParam, timezone } from './common.js';
import { canonicalLanguage } from './i18n/languages.js';
import { ENTRY_BODY_MAX, REVISION_ACTIONS, entrySchema, entryTombstoneSchema } from './entry.js';
import { AUTHORS_MAX, CLAIMS, CORRECTION_NOTE_MAX, HEADLINE_MAX, LOCATION_MAX } from './entry-meta.js';
import { normalizeTag, TAGS_MAX } from './tags.js';
import { POST_STATUSES, SUMMARY_MAX, coverImage, postSchema } from './post.js';
import { ROLES } from './user.js';

/** `POST /api/import?filename=NAME`. */
export const importQuery = z.object({ filename: z.string().min(1).max(255).default('upload.md') });
/** The file itself: Markdown as text (text/markdown), or a JSON archive (application/json), checked once its kind is known. */
export const importBody = z.union([z.string(), z.record(z.string(), z.unknown())]);
export const IMPORT_ACTIONS = ['created', 'updated', 'unchanged'] as const;
export const importResult = z.object({ file: z.string(), slug: z.string(), action: z.enum(IMPORT_ACTIONS), entries: z.number() });
export type ImportResult = z.infer<typeof importResult>;

/**
 * The JSON archive: every row of one post (post, entries, revisions, change log) and the users
 * they point at, exactly as stored, so importing it into an empty database gives identical rows.
 * Rows are strict objects: only known columns get through to the INSERTs.
 */
export const ARCHIVE_FORMAT = 'liveline-archive';
export const ARCHIVE_VERSION = 1;

/*
 * Rows are checked with the API's own rules (security review L4): a file that could not have been
 * written through the API (a bad time zone, slug or timestamp, an over-long body) is refused
 * before it can leave a post that errors or cannot be reached.
 */
const id = z.number().int().positive();
const text = z.string();
/** A timestamp as the server stores it: an ISO 8601 UTC instant with milliseconds, years 0000–9999. */
const time = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'must be a stored timestamp such as 2026-03-14T09:40:00.000Z')
  .refine((value) => !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value, 'must be a real instant');
const flag = z.union([z.literal(0), z.literal(1)]);

/** A TEXT column holding JSON: it must parse to what the code reading it expects. */
function jsonText(schema: z.ZodType, what: string) {
  return z.string().refine((value) => {
    try {
      return schema.safeParse(JSON.parse(value)).success;
    } catch {
      return false;
    }
  }, `must be JSON text of ${what}`);
}
const labels = jsonText(z.array(label).max(50), 'an array of at most 50 labels (1–64 characters)');

export const userRow = z.strictObject({
  id,
  name: z.string().min(1).max(100),
  email: z.email().max(320).nullable(),
  role: z.enum(ROLES),
  created_at: time,
  disabled_at: time.nullable(),
});

export const postRow = z.strictObject({
  id,
  slug: slugParam,
  title: z.string().min(1).max(200),
  description: z.string().max(2000),
  status: z.enum(POST_STATUSES),
  starts_at: time.nullable(),
  ended_at: time.nullable(),
  timezone,
  // Added by migration 0010 (NULL: the site's default language); archives written before it lack it.
  language: z
    .string()
    .refine((tag) => canonicalLanguage(tag) === tag, 'must be a canonical BCP 47 language tag such as en, de-AT or pt-BR')
    .nullable()
    .optional(),
  tags: labels,
  categories: labels,
  version: z.number().int(),
  last_seq: z.number().int().min(0),
  created_by: id.nullable(),
  created_at: time,
  updated_at: time,
  front_matter: jsonText(z.record(z.string(), z.unknown()), 'an object'),
  import_key: text.nullable(),
  // Added by migration 0009; archives written before it lack them. The HTML is rendered again on import.
  summary: z.string().max(SUMMARY_MAX).optional(),
  summary_html: text.optional(),
  // Added by migration 0011 (issue 16); archives written before it lack it.
  cover_image: coverImage.nullable().optional(),
});

export const entryRow = z.strictObject({
  id,
  post_id: id,
  author_id: id.nullable(),
  body: z.string().min(1).max(ENTRY_BODY_MAX),
  html: text,
  key_event: flag,
  pinned: flag,
  version: z.number().int(),
  created_at: time,
  updated_at: time,
  deleted_at: time.nullable(),
  deleted_by: id.nullable(),
  // Added by migration 0013 (issue 17); archives written before it lack them.
  headline: z.string().max(HEADLINE_MAX).nullable().optional(),
  location: z.string().max(LOCATION_MAX).nullable().optional(),
  tags: jsonText(z.array(z.string().refine((tag) => tag.length > 0 && normalizeTag(tag) === tag)).max(TAGS_MAX), `an array of at most ${TAGS_MAX} normalized tags`).optional(),
  claim: z.enum(CLAIMS).nullable().optional(),
  correction_note: z.string().max(CORRECTION_NOTE_MAX).nullable().optional(),
  corrected_at: time.nullable().optional(),
  co_authors: jsonText(z.array(id).max(AUTHORS_MAX - 1), `an array of at most ${AUTHORS_MAX - 1} user ids`).optional(),
});

/** A byline profile (migration 0013) of a user the archive carries. */
export const profileRow = z.strictObject({
  user_id: id,
  display_name: z.string().max(100).nullable(),
  job_title: z.string().max(80).nullable(),
  // An upload's URL: the archive does not carry the image itself.
  avatar: z.string().regex(/^\/uploads\/[0-9a-f]{64}\.(?:png|jpg|gif|webp)$/, 'must be an upload URL').nullable(),
  updated_at: time,
});

export const revisionRow = z.strictObject({
  id,
  entry_id: id,
  version: z.number().int(),
  action: z.enum(REVISION_ACTIONS),
  body: text,
  key_event: flag,
  // Added by the newsroom migration; archives written before it lack them.
  shown_at: time.nullable().optional(),
  actor_id: id.nullable(),
  created_at: time,
});

/**
 * A change as it was published then: post payloads from before migration 0010 carry no language
 * (readers never needed it from a change), and they are kept byte for byte.
 */
const storedChange = z.discriminatedUnion('type', [
  z.object({ seq: z.number(), type: z.enum(['entry.created', 'entry.updated']), entry: entrySchema }),
  z.object({ seq: z.number(), type: z.literal('entry.deleted'), entry: entryTombstoneSchema }),
  z.object({ seq: z.number(), type: z.literal('post.updated'), post: postSchema.extend({ language: z.string().optional(), languageIsDefault: z.boolean().optional() }) }),
]);

/** Change payloads are kept as JSON text, byte for byte as they were published. */
export const changeRow = z.strictObject({
  post_id: id,
  seq: z.number().int().positive(),
  type: z.enum(CHANGE_TYPES),
  payload: jsonText(storedChange, 'a change as the API sends it'),
  created_at: time,
  actor_id: id.nullable().optional(),
});
export type ChangeRow = z.infer<typeof changeRow>;

/**
 * A poll's results as exported (issue 19): a record for the archive, not restored by an import
 * (votes are anonymous and the entry it belongs to is re-created with a new id elsewhere).
 */
export const pollResultRow = z.strictObject({
  id,
  entry_id: id,
  question: z.string(),
  options: z.array(z.strictObject({ label: z.string(), votes: z.number().int().min(0) })),
  closes_at: time.nullable(),
  closed_at: time.nullable(),
});
export type PollResultRow = z.infer<typeof pollResultRow>;

export const jsonArchive = z
  .strictObject({
    format: z.literal(ARCHIVE_FORMAT),
    version: z.literal(ARCHIVE_VERSION),
    exportedAt: time,
    users: z.array(userRow),
    post: postRow,
    entries: z.array(entryRow),
    revisions: z.array(revisionRow),
    changes: z.array(changeRow),
    // Byline profiles of the archive's users (migration 0013); older archives have none.
    profiles: z.array(profileRow).optional(),
    /** Polls of the post's live entries with their results (issue 19); absent in older archives. */
    polls: z.array(pollResultRow).optional(),
  })
  .superRefine((archive, ctx) => {
    // The change log must be whole: seq 1, 2, 3… up to the post's last_seq.
    archive.changes.forEach((row, index) => {
      if (row.seq !== index + 1 || row.post_id !== archive.post.id) {
        ctx.addIssue({ code: 'custom', path: ['changes', index], message: `the change log must count 1, 2, 3… for post ${archive.post.id}` });
      }
    });
    if (archive.changes.length !== archive.post.last_seq) {
      ctx.addIssue({ code: 'custom', path: ['post', 'last_seq'], message: 'last_seq must equal the number of changes' });
    }
    const entryIds = new Set(archive.entries.map((row) => row.id));
    if (archive.entries.some((row) => row.post_id !== archive.post.id)) {
      ctx.addIssue({ code: 'custom', path: ['entries'], message: 'every entry must belong to the post' });
    }
    const userIds = new Set(archive.users.map((row) => row.id));
    archive.entries.forEach((row, index) => {
      const coAuthors = row.co_authors ? (JSON.parse(row.co_authors) as number[]) : [];
      if (coAuthors.some((userId) => !userIds.has(userId))) {
        ctx.addIssue({ code: 'custom', path: ['entries', index, 'co_authors'], message: 'every co-author must be a user of the archive' });
      }
    });
    if (archive.profiles?.some((row) => !userIds.has(row.user_id))) {
      ctx.addIssue({ code: 'custom', path: ['profiles'], message: 'every profile must belong to a user of the archive' });
    }
    if (archive.revisions.some((row) => !entryIds.has(row.entry_id))) {
      ctx.addIssue({ code: 'custom', path: ['revisions'], message: 'every revision must belong to an entry of the archive' });
    }
  });
export type JsonArchive = z.infer<typeof jsonArchive>;

/** A post's rows as the database returns them, before the archive schema checks them. */
export type Row = Record<string, unknown>;
export type PostDump = { users: Row[]; post: Row; entries: Row[]; revisions: Row[]; changes: Row[]; profiles?: Row[] };
