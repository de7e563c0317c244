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
export const participationSettings = z.object({
  reactions: z.boolean(),
  /** Readers may send questions to the desk. */
  questions: z.boolean(),
  /** A question may contain links (else it is refused, 422 `links-not-allowed`). */
  questionLinks: z.boolean(),
});
export type ParticipationSettings = z.infer<typeof participationSettings>;
export const participationPatch = participationSettings.partial().strict();

// --- polls

export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 6;

/** POST /api/posts/:slug/polls: a new entry holding a poll (its text defaults to the question). */
export const pollInput = z.strictObject({
  question: z.string().trim().min(1).max(200),
  options: z.array(z.string().trim().min(1).max(100)).min(POLL_OPTIONS_MIN).max(POLL_OPTIONS_MAX),
  /** When voting stops by itself; without it, an author or editor closes the poll by hand. */
  closesAt: z.iso.datetime({ offset: true }).optional(),
  /** The entry's Markdown; the question in bold when absent. */
  body: z.string().trim().min(1).max(2000).optional(),
  keyEvent: z.boolean().optional(),
});
export type PollInput = z.infer<typeof pollInput>;

export const pollSchema = z.object({
  id: z.number(),
  entryId: z.number(),
  question: z.string(),
  options: z.array(z.object({ label: z.string(), votes: z.number().int().min(0) })),
  total: z.number().int().min(0),
  closesAt: z.string().nullable(),
  /** When it closed (by hand or at closesAt); null while open. */
  closedAt: z.string().nullable(),
  closed: z.boolean(),
});
export type Poll = z.infer<typeof pollSchema>;

/** POST /api/polls/:id/votes: a reader votes once; a second vote changes nothing and answers with the first. */
export const voteInput = z.strictObject({ reader: readerId, option: z.number().int().min(0).max(POLL_OPTIONS_MAX - 1) });
export type VoteInput = z.infer<typeof voteInput>;
export const voteOutput = z.object({ poll: pollSchema, option: z.number().int() });

export const postPolls = z.object({ polls: z.array(pollSchema) });
export type PostPolls = z.infer<typeof postPolls>;

/** The `polls` socket event: polls whose results changed (or that opened or closed), at most once a second per post. */
export const pollsEvent = z.object({ slug: z.string(), polls: z.array(pollSchema) });
export type PollsEvent = z.infer<typeof pollsEvent>;

// --- questions to the desk

export const QUESTION_MAX = 1000;
export const QUESTION_NAME_MAX = 60;

/** GET /api/posts/:slug/questions/ticket: what the question form sends back (time-to-submit check). */
export const questionTicket = z.object({ ticket: z.string() });

/**
 * POST /api/posts/:slug/questions. `website` is the honeypot: a field people never see (hidden
 * from sight and from assistive technology) that form-filling scripts fill in.
 */
export const questionInput = z.strictObject({
  name: z.string().trim().max(QUESTION_NAME_MAX).optional(),
  question: z.string().trim().min(1).max(QUESTION_MAX),
  ticket: z.string().max(200),
  website: z.string().max(500).optional(),
});
export type QuestionInput = z.infer<typeof questionInput>;

/** A question in the desk's moderation queue (never public). */
export const readerQuestion = z.object({
  id: z.number(),
  name: z.string().nullable(),
  question: z.string(),
  /** The sender's client address, for the block list. */
  address: z.string(),
  receivedAt: z.string(),
});
export type ReaderQuestion = z.infer<typeof readerQuestion>;
export const questionQueue = z.object({ questions: z.array(readerQuestion), received: z.number() });

/** POST /api/questions/:id/publish: the question quoted in a new entry, with the desk's answer. */
export const publishQuestionInput = z.strictObject({ answer: z.string().trim().min(1).max(10_000), keyEvent: z.boolean().optional() });

/** The desk's block list (site-wide): questions with one of these words, or from one of these addresses, are dropped. */
export const questionBlocklist = z.strictObject({
  words: z.array(z.string().trim().min(1).max(100)).max(1000),
  addresses: z.array(z.string().trim().min(1).max(64)).max(1000),
});
export type QuestionBlocklist = z.infer<typeof questionBlocklist>;

// --- Web Push alerts

/** A browser's PushSubscription as `toJSON()` gives it (RFC 8291 keys, base64url). */
export const pushSubscription = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, 'must be a P-256 public key, base64url'), auth: z.string().regex(/^[A-Za-z0-9_-]{16,24}={0,2}$/, 'must be a 16-byte secret, base64url') }),
});
export const pushSubscribeInput = z.strictObject({ subscription: pushSubscription });
export const pushUnsubscribeInput = z.strictObject({ endpoint: z.url().max(2000) });
export const pushKey = z.object({ publicKey: z.string() });

/** What a push carries (encrypted per RFC 8291); the reader service worker shows it. */
export const pushPayload = z.object({ title: z.string(), body: z.string(), url: z.string(), tag: z.string() });
export type PushPayload = z.infer<typeof pushPayload>;
