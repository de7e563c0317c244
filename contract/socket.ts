import { z } from 'zod';
import type { Change } from './change.js';
import type { PollsEvent, ReactionsEvent } from './participation.js';
import { slugParam } from './common.js';

/** The Socket.IO protocol (path `/socket.io/`), from the reader's point of view. Readers only receive. */

export const subscribePayload = z.strictObject({
  slug: slugParam,
  since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Replay the missed changes as one `changes` event instead of one `change` event each. */
  batch: z.boolean().optional(),
  /** The newsroom's desk follows the post like a reader, but is not counted among its readers. */
  desk: z.boolean().optional(),
});
export type SubscribePayload = z.infer<typeof subscribePayload>;
export const unsubscribePayload = subscribePayload.pick({ slug: true });

export const SOCKET_ERROR_CODES = ['invalid-payload', 'not-found', 'too-many-subscriptions', 'internal', 'rate-limited'] as const;
export const socketError = z.object({ code: z.enum(SOCKET_ERROR_CODES), message: z.string() });
export type SocketError = z.infer<typeof socketError>;

export const subscribeAck = z.union([z.object({ ok: z.literal(true), lastSeq: z.number() }), z.object({ ok: z.literal(false), error: socketError })]);
export type SubscribeAck = z.infer<typeof subscribeAck>;

/** Readers of a post summed across every node; volatile. */
export const presenceSchema = z.object({ slug: z.string(), readers: z.number() });
export type Presence = z.infer<typeof presenceSchema>;

export type ServerToClient = {
  change: (change: Change) => void;
  /** The changes missed before a `subscribe` that asked for `batch: true`, in seq order, in one message. */
  changes: (changes: Change[]) => void;
  presence: (presence: Presence) => void;
  /** Reaction counts of the post's entries that changed (issue 19): at most one a second per post, not in the change log. */
  reactions: (reactions: ReactionsEvent) => void;
  /** Polls whose results changed, or that opened or closed (issue 19): in batches, at most one a second per post. */
  polls: (polls: PollsEvent) => void;
};

/** Payloads are `unknown` on purpose: the server validates them with the schemas above. */
export type ClientToServer = {
  subscribe: (payload: unknown, ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (payload: unknown, ack?: (result: { ok: boolean }) => void) => void;
};
