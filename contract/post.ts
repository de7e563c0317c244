import { z } from 'zod';
import { isoDateTime, label, languageTag, slugParam, timezone } from './common.js';
import { entrySchema } from './entry.js';

/** A liveblog: usually one event. See ARCHITECTURE.md's vocabulary. */

/**
 * `draft` (issue 17): prepared privately, before it is scheduled or live. No public surface
 * (page, API, feeds, socket, webhooks…) knows a draft post exists; only the newsroom does. Once
 * public (scheduled, live, ended) a post never goes back to draft: readers have seen it.
 */
export const POST_STATUSES = ['draft', 'scheduled', 'live', 'ended'] as const;
export const postStatus = z.enum(POST_STATUSES);
export type PostStatus = z.infer<typeof postStatus>;

/** A post's cover image (issue 16): an image uploaded to this server, by its path. */
export const coverImage = z.string().regex(/^\/uploads\/[0-9a-f]{64}\.(?:png|jpg|gif|webp)$/, { error: 'must be an uploaded image\'s URL: /uploads/<sha256>.<ext>' });

/** "What we know": the short Markdown list editors keep above the entries (issue 15). */
export const SUMMARY_MAX = 2000;

export const postSchema = z.object({
  id: z.number(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  /**
   * The summary as typed (Markdown) and as readers see it (sanitized HTML, rendered when saved).
   * Change rows stored before the field existed lack both: they parse as empty.
   */
  summary: z.string().default(''),
  summaryHtml: z.string().default(''),
  status: postStatus,
  startsAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  timezone: z.string(),
  /**
   * The post's language (BCP 47): its pages, embed, feed and JSON-LD speak it. Posts that never
   * chose one follow the site's DEFAULT_LANGUAGE; `languageIsDefault` says so.
   */
  language: z.string(),
  languageIsDefault: z.boolean(),
  tags: z.array(z.string()),
  categories: z.array(z.string()),
  /**
   * The cover image (an /uploads URL) pages, og:image and JSON-LD show; null: the pinned or first
   * entry image stands in. Change rows stored before the field existed parse as null.
   */
  coverImage: z.string().nullable().default(null),
  version: z.number(),
  /** The seq of the post's latest change. */
  lastSeq: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Post = z.infer<typeof postSchema>;

/** `POST /api/posts`. */
export const postInput = z.strictObject({
  title: z.string().trim().min(1).max(200),
  slug: slugParam.optional(),
  description: z.string().max(2000).optional(),
  summary: z.string().max(SUMMARY_MAX).optional(),
  /** Default `scheduled`: a post goes live when someone says so; `draft` keeps it private until then. */
  status: postStatus.optional(),
  startsAt: isoDateTime.optional(),
  timezone: timezone.optional(),
  /** Default: the site's DEFAULT_LANGUAGE (the post then follows it). */
  language: languageTag.optional(),
  tags: z.array(label).max(50).optional(),
  categories: z.array(label).max(50).optional(),
  coverImage: coverImage.nullable().optional(),
  /** Take over a slug that still redirects to another post (a former slug); refused (409) without it. */
  reclaimSlug: z.boolean().optional(),
});
export type PostInput = z.infer<typeof postInput>;

/** `PATCH /api/posts/:slug` (with If-Match): any of the fields, at least one. */
export const postPatch = z
  .strictObject({
    title: postInput.shape.title,
    slug: slugParam,
    description: z.string().max(2000),
    summary: z.string().max(SUMMARY_MAX),
    status: postStatus,
    startsAt: isoDateTime.nullable(),
    timezone,
    /** `null`: follow the site's DEFAULT_LANGUAGE again. */
    language: languageTag.nullable(),
    tags: z.array(label).max(50),
    categories: z.array(label).max(50),
    /** `null`: no cover image (the pinned or first entry image stands in). */
    coverImage: coverImage.nullable(),
    reclaimSlug: z.boolean(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' });
export type PostPatch = z.infer<typeof postPatch>;

export const listPostsQuery = z.object({
  status: postStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `GET /api/posts`. */
export const postsOutput = z.object({ posts: z.array(postSchema) });

/** `GET /api/posts/:slug`: the post with its latest entries and the seq they are current to. */
export const latestPage = z.object({ post: postSchema, entries: z.array(entrySchema), lastSeq: z.number(), nextCursor: z.string().nullable() });
export type LatestPage = z.infer<typeof latestPage>;
