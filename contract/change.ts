import { z } from 'zod';
import { entrySchema, entryTombstoneSchema } from './entry.js';
import { postSchema } from './post.js';

/**
 * One row of a post's public change log: what `GET /api/posts/:slug/changes`, the socket's
 * `change`/`changes` events and the JSON archive carry. `seq` counts up by exactly 1 per post.
 */
export const changeSchema = z.discriminatedUnion('type', [
  z.object({ seq: z.number(), type: z.enum(['entry.created', 'entry.updated']), entry: entrySchema }),
  z.object({ seq: z.number(), type: z.literal('entry.deleted'), entry: entryTombstoneSchema }),
  z.object({ seq: z.number(), type: z.literal('post.updated'), post: postSchema }),
]);
export type Change = z.infer<typeof changeSchema>;
export type ChangeType = Change['type'];
export const CHANGE_TYPES = ['entry.created', 'entry.updated', 'entry.deleted', 'post.updated'] as const satisfies readonly ChangeType[];

/** A change before the change log numbers it. */
export type ChangeBody = Change extends infer C ? (C extends Change ? Omit<C, 'seq'> : never) : never;

export const changesQuery = z.object({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  /**
   * `1`: a page polling the log because it has no socket (over the per-address cap, WebSockets
   * blocked): the answer may be a second old, and is cacheable for that second. Without it, the
   * answer is never cached: catch-up after a gap needs the newest rows.
   */
  poll: z.literal('1').optional(),
});
export const changesOutput = z.object({ changes: z.array(changeSchema), lastSeq: z.number() });
export type ChangesPage = z.infer<typeof changesOutput>;
