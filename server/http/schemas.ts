import { z } from 'zod';
import { POST_STATUSES } from '../domain/types.js';
import { SLUG_PATTERN } from '../domain/slug.js';

/** zod schemas of the HTTP API: what comes in and what goes out. */

const isoDateTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-03-14T09:40:00Z' })
  .transform((value) => new Date(value).toISOString());

const timezone = z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin' });

const label = z.string().trim().min(1).max(64);

export const slugParam = z.string().regex(SLUG_PATTERN, 'must be lowercase letters, digits and single dashes').max(80);

export const postInput = z.strictObject({
  title: z.string().trim().min(1).max(200),
  slug: slugParam.optional(),
  description: z.string().max(2000).optional(),
  status: z.enum(POST_STATUSES).optional(),
  startsAt: isoDateTime.optional(),
  timezone: timezone.optional(),
  tags: z.array(label).max(50).optional(),
  categories: z.array(label).max(50).optional(),
});

export const postPatch = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    slug: slugParam,
    description: z.string().max(2000),
    status: z.enum(POST_STATUSES),
    startsAt: isoDateTime.nullable(),
    timezone,
    tags: z.array(label).max(50),
    categories: z.array(label).max(50),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' });

export const ENTRY_BODY_MAX = 20_000;
const entryBody = z
  .string()
  .max(ENTRY_BODY_MAX, `must be at most ${ENTRY_BODY_MAX} characters`)
  .refine((body) => body.trim().length > 0, { error: 'must not be empty' });

export const entryInput = z.strictObject({
  body: entryBody,
  createdAt: isoDateTime.optional(),
  keyEvent: z.boolean().optional(),
});

export const entryPatch = z
  .strictObject({ body: entryBody, createdAt: isoDateTime, keyEvent: z.boolean() })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' });

export const entryIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const slugParams = z.object({ slug: slugParam });

export const listPostsQuery = z.object({
  status: z.enum(POST_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const entriesQuery = z.object({
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const changesQuery = z.object({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be 1-255 visible ASCII characters (a UUID is ideal)');

const author = z.object({ id: z.number(), name: z.string() }).nullable();

export const entryOutput = z.object({
  id: z.number(),
  postId: z.number(),
  body: z.string(),
  html: z.string(),
  author,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  keyEvent: z.boolean(),
  pinned: z.boolean(),
  // Optional: change payloads stored before the field existed do not carry it.
  edited: z.boolean().optional(),
});

export const postOutput = z.object({
  id: z.number(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(POST_STATUSES),
  startsAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  timezone: z.string(),
  tags: z.array(z.string()),
  categories: z.array(z.string()),
  version: z.number(),
  lastSeq: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const tombstone = z.object({ id: z.number(), postId: z.number(), version: z.number(), deletedAt: z.string() });

export const changeOutput = z.discriminatedUnion('type', [
  z.object({ seq: z.number(), type: z.enum(['entry.created', 'entry.updated']), entry: entryOutput }),
  z.object({ seq: z.number(), type: z.literal('entry.deleted'), entry: tombstone }),
  z.object({ seq: z.number(), type: z.literal('post.updated'), post: postOutput }),
]);

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}
