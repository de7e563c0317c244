import { z } from 'zod';
import type { PostDump } from '../store/archive.js';
import { changeSchema } from '../../contract/index.js';

/**
 * The JSON archive: every row of one post (post, entries, revisions, change log) and the users
 * they point at, exactly as stored, so importing it into an empty database gives identical rows.
 * Rows are strict objects: only known columns get through to the INSERTs.
 */
export const ARCHIVE_FORMAT = 'liveline-archive';
export const ARCHIVE_VERSION = 1;

const id = z.number().int().positive();
const text = z.string();
const time = z.string().min(1);
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
const labels = jsonText(z.array(z.string()), 'an array of strings');

const userRow = z.strictObject({
  id,
  name: text,
  email: text.nullable(),
  role: z.enum(['author', 'editor', 'admin']),
  created_at: time,
  disabled_at: time.nullable(),
});

const postRow = z.strictObject({
  id,
  slug: text,
  title: text,
  description: text,
  status: z.enum(['scheduled', 'live', 'ended']),
  starts_at: time.nullable(),
  ended_at: time.nullable(),
  timezone: text,
  tags: labels,
  categories: labels,
  version: z.number().int(),
  last_seq: z.number().int().min(0),
  created_by: id.nullable(),
  created_at: time,
  updated_at: time,
  front_matter: jsonText(z.record(z.string(), z.unknown()), 'an object'),
  import_key: text.nullable(),
});

const entryRow = z.strictObject({
  id,
  post_id: id,
  author_id: id.nullable(),
  body: text,
  html: text,
  key_event: flag,
  pinned: flag,
  version: z.number().int(),
  created_at: time,
  updated_at: time,
  deleted_at: time.nullable(),
  deleted_by: id.nullable(),
});

const revisionRow = z.strictObject({
  id,
  entry_id: id,
  version: z.number().int(),
  action: z.enum(['created', 'updated', 'deleted', 'restored', 'pinned', 'unpinned']),
  body: text,
  key_event: flag,
  // Added by the newsroom migration; archives written before it lack them.
  shown_at: time.nullable().optional(),
  actor_id: id.nullable(),
  created_at: time,
});

/** Change payloads are kept as JSON text, byte for byte as they were published. */
const changeRow = z.strictObject({
  post_id: id,
  seq: z.number().int().positive(),
  type: z.enum(['entry.created', 'entry.updated', 'entry.deleted', 'post.updated']),
  payload: jsonText(changeSchema, 'a change as the API sends it'),
  created_at: time,
  actor_id: id.nullable().optional(),
});

export const jsonArchiveSchema = z
  .strictObject({
    format: z.literal(ARCHIVE_FORMAT),
    version: z.literal(ARCHIVE_VERSION),
    exportedAt: time,
    users: z.array(userRow),
    post: postRow,
    entries: z.array(entryRow),
    revisions: z.array(revisionRow),
    changes: z.array(changeRow),
  })
  .superRefine((archive, ctx) => {
    // The change log must be whole: seq 1, 2, 3… up to the post's last_seq.
    archive.changes.forEach((change, index) => {
      if (change.seq !== index + 1 || change.post_id !== archive.post.id) {
        ctx.addIssue({ code: 'custom', path: ['changes', index], message: `the change log must count 1, 2, 3… for post ${archive.post.id}` });
      }
    });
    if (archive.changes.length !== archive.post.last_seq) {
      ctx.addIssue({ code: 'custom', path: ['post', 'last_seq'], message: 'last_seq must equal the number of changes' });
    }
    const entryIds = new Set(archive.entries.map((entry) => entry.id));
    if (archive.entries.some((entry) => entry.post_id !== archive.post.id)) {
      ctx.addIssue({ code: 'custom', path: ['entries'], message: 'every entry must belong to the post' });
    }
    if (archive.revisions.some((revision) => !entryIds.has(revision.entry_id))) {
      ctx.addIssue({ code: 'custom', path: ['revisions'], message: 'every revision must belong to an entry of the archive' });
    }
  });

export type JsonArchive = z.infer<typeof jsonArchiveSchema>;

export function toJsonArchive(dump: PostDump, exportedAt: string): JsonArchive {
  return jsonArchiveSchema.parse({ format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, exportedAt, ...dump });
}
