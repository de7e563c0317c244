import { z } from 'zod';
import { isoDateTime, personRef, slugParam } from './common.js';
import { ENTRY_BODY_MAX, entryInput } from './entry.js';
import type { Change } from './change.js';
import type { SubscribeAck } from './socket.js';
import { bylineSchema, claimSchema, correctionInput, entryMetaInput } from './entry-meta.js';

/**
 * Entries before they are public (issue 17): drafts shared with the post's newsroom, entries
 * submitted for review, scheduled entries, rejected ones. They live apart from published
 * entries (server/store/drafts.ts) and travel only on the newsroom's own socket
 * (`/newsroom/socket.io/`, signed-in people only), never on a reader's. Publishing one makes it
 * an ordinary entry, credited to its author.
 */

/** An entry's workflow state. Only `published` entries are public; POST without `state` publishes. */
export const ENTRY_STATES = ['draft', 'submitted', 'scheduled', 'published'] as const;
export const entryState = z.enum(ENTRY_STATES);
export type EntryState = z.infer<typeof entryState>;

/** Where a not-yet-public entry is; `rejected` is where an editor's "no" leaves it (its author still sees it). */
export const DRAFT_STATES = ['draft', 'submitted', 'scheduled', 'rejected'] as const;
export const draftState = z.enum(DRAFT_STATES);
export type DraftState = z.infer<typeof draftState>;

export const draftSchema = z.object({
  id: z.number(),
  postId: z.number(),
  state: draftState,
  body: z.string(),
  /** Sanitized HTML, rendered when saved (what readers will see once it is published). */
  html: z.string(),
  keyEvent: z.boolean(),
  /** The byline: who wrote it. A colleague who edits or publishes it does not take it over. */
  author: personRef,
  /** With `state: scheduled`: when it is published (and the time it then shows). */
  publishAt: z.string().nullable(),
  /** An editor's note when they returned or rejected it. */
  note: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Who saved it last. */
  updatedBy: personRef.nullable(),
  /**
   * The entry's own fields (contract/entry-meta.ts), copied onto the entry when it is published:
   * `authors` is the byline (`author`) then the co-authors. No correction: a draft was never public.
   */
  headline: z.string().nullable(),
  authors: z.array(bylineSchema),
  location: z.string().nullable(),
  tags: z.array(z.string()),
  claim: claimSchema.nullable(),
});
export type Draft = z.infer<typeof draftSchema>;
export const draftsOutput = z.object({ drafts: z.array(draftSchema) });
export type DraftList = z.infer<typeof draftsOutput>;

const body = z
  .string()
  .max(ENTRY_BODY_MAX, `must be at most ${ENTRY_BODY_MAX} characters`)
  .refine((text) => text.trim().length > 0, { error: 'must not be empty' });

/** A scheduled entry needs its time, and only a scheduled one has one. */
function publishAtMatchesState(value: { state?: EntryState | undefined; publishAt?: string | undefined }): boolean {
  return (value.state === 'scheduled') === (value.publishAt !== undefined);
}
const publishAtRule = { error: 'publishAt goes with state "scheduled", and state "scheduled" needs publishAt', path: ['publishAt'] };

/**
 * `POST /api/posts/:slug/entries` as extended by issue 17: today's fields, plus `state` and
 * `publishAt`. Without `state` (or with `published`) the entry is published, as it always was.
 */
export const entryWriteInput = entryInput.extend({ state: entryState.optional(), publishAt: isoDateTime.optional() }).refine(publishAtMatchesState, publishAtRule);
export type EntryWriteInput = z.infer<typeof entryWriteInput>;

/**
 * The entry fields a draft takes, as an entry's create and PATCH validate them (contract/entry-meta.ts).
 * `correction` is accepted by the schema only so that the service can refuse it with a 422 saying
 * why (a draft has never been public: there is nothing to correct), rather than "unknown key".
 */
const draftMeta = { ...entryMetaInput, correction: correctionInput };

/** `POST /api/posts/:slug/drafts`: a draft, a submission or a scheduled entry, with the entry's fields. */
export const draftInput = z
  .strictObject({
    body,
    keyEvent: z.boolean().optional(),
    state: z.enum(['draft', 'submitted', 'scheduled']).default('draft'),
    publishAt: isoDateTime.optional(),
    ...z.object(draftMeta).partial().shape,
  })
  .refine(publishAtMatchesState, publishAtRule);
export type DraftInput = z.infer<typeof draftInput>;

/**
 * `PATCH /api/drafts/:id` (with If-Match): the text, the key-moment flag, the entry's fields, or
 * moving it between draft, submitted and scheduled (with publishAt). Publishing has its own route.
 */
export const draftPatch = z
  .strictObject({ body, keyEvent: z.boolean(), state: z.enum(['draft', 'submitted', 'scheduled']), publishAt: isoDateTime, ...draftMeta })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'send at least one field to change' })
  .refine((patch) => patch.publishAt === undefined || patch.state === 'scheduled', { error: 'publishAt goes with state "scheduled"', path: ['publishAt'] })
  .refine((patch) => patch.state !== 'scheduled' || patch.publishAt !== undefined, { error: 'state "scheduled" needs publishAt', path: ['publishAt'] });
export type DraftPatch = z.infer<typeof draftPatch>;

/** `POST /api/drafts/:id/return` and `/reject`: the editor's note to the author. */
export const reviewNote = z.strictObject({ note: z.string().trim().max(1000).optional() });
export const returnNote = z.strictObject({ note: z.string().trim().min(1, 'say what to change').max(1000) });

// --- the newsroom socket (`/newsroom/socket.io/`): signed-in people only, on the primary.

/** `desk:join` / `desk:leave`: follow a post's desk (its drafts and who is here). */
export const deskJoinPayload = z.strictObject({ slug: slugParam });
/** `desk:typing`: this person is (or stopped) writing in the post; throttled by the client, volatile. */
export const deskTypingPayload = z.strictObject({ slug: slugParam, typing: z.boolean() });

/** Who has a post's desk open, and who of them is writing. */
export const deskPresenceSchema = z.object({
  slug: z.string(),
  people: z.array(z.object({ id: z.number(), name: z.string(), role: z.string(), typing: z.boolean() })),
});
export type DeskPresence = z.infer<typeof deskPresenceSchema>;

/** A draft left the drafts (published, deleted); `entryId` when it became that entry. */
export type DraftGone = { id: number; postId: number; reason: 'published' | 'deleted'; entryId?: number };

/**
 * `desk:follow` (issue 17, post-level draft): the desk follows the post's change log over this
 * socket instead of the readers' one, which knows no draft post. As the readers' `subscribe`
 * (`since`: the seq the desk shows); the missed changes come as one `changes` message, then each
 * as `change`, and the ack is the readers' `SubscribeAck`.
 */
export const deskFollowPayload = z.strictObject({ slug: slugParam, since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() });

export type NewsroomServerToClient = {
  /** A change of a post this socket follows (`desk:follow`), as readers get it: drafts posts' too. */
  change: (change: Change) => void;
  changes: (changes: Change[]) => void;
  /** A draft was saved (created, edited, submitted, returned, rejected, scheduled): upsert by id and version. */
  draft: (draft: Draft) => void;
  'draft.gone': (gone: DraftGone) => void;
  'desk.presence': (presence: DeskPresence) => void;
};

export type DeskJoinAck = { ok: true; drafts: Draft[] } | { ok: false; error: string };

/** Payloads are `unknown` on purpose: the server validates them with the schemas above. */
export type NewsroomClientToServer = {
  'desk:join': (payload: unknown, ack: (result: DeskJoinAck) => void) => void;
  'desk:leave': (payload: unknown) => void;
  'desk:typing': (payload: unknown) => void;
  'desk:follow': (payload: unknown, ack: (result: SubscribeAck) => void) => void;
};
