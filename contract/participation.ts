import { z } from 'zod';

/**
 * Readers taking part (issue 19): reactions to entries. Participation is not part of the entry
 * change log (ARCHITECTURE.md): it is aggregated in memory, persisted in batches and broadcast at
 * most once a second per post as its own socket event, `reactions`.
 */

/** The reactions a reader may give, in the order the page shows them (emoji in client/reactions.ts). */
export const REACTION_KINDS = ['like', 'love', 'wow', 'laugh', 'clap'] as const;
export const reactionKind = z.enum(REACTION_KINDS);
export type ReactionKind = z.infer<typeof reactionKind>;

/**
 * The random id a reader's browser makes for itself (client/reactions.ts, 128 bits, base64url)
 * and sends with each reaction: one reaction per entry per id. Not an account, not a cookie.
 */
export const readerId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be 16 to 64 letters, digits, - or _');

/** Counts of one entry: only kinds with at least one reaction are listed. */
export const reactionCounts = z.partialRecord(reactionKind, z.number().int().min(0));
export type ReactionCounts = z.infer<typeof reactionCounts>;

export const entryReactions = z.object({ id: z.number(), counts: reactionCounts });
export type EntryReactions = z.infer<typeof entryReactions>;

/** POST /api/entries/:id/reactions: `reaction: null` takes the reader's reaction back. */
export const reactInput = z.strictObject({ reader: readerId, reaction: reactionKind.nullable() });
export type ReactInput = z.infer<typeof reactInput>;
export const reactOutput = z.object({ id: z.number(), counts: reactionCounts, reaction: reactionKind.nullable() });

/** GET /api/posts/:slug/reactions: every entry of the post with reactions. */
export const postReactions = z.object({ enabled: z.boolean(), entries: z.array(entryReactions) });
export type PostReactions = z.infer<typeof postReactions>;

/** The `reactions` socket event: the entries whose counts changed since the last one (or `enabled` flipped). */
export const reactionsEvent = z.object({ slug: z.string(), enabled: z.boolean(), entries: z.array(entryReactions) });
export type ReactionsEvent = z.infer<typeof reactionsEvent>;

/** What readers may do on a post (GET/PATCH /api/posts/:slug/participation; PATCH is for editors). */
export const participationSettings = z.object({ reactions: z.boolean() });
export type ParticipationSettings = z.infer<typeof participationSettings>;
export const participationPatch = participationSettings.partial().strict();
