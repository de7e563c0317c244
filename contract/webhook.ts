import { z } from 'zod';
import { changeSchema } from './change.js';
import { slugParam } from './common.js';

/**
 * Webhooks (issue 18, syndication): the admin API under /api/webhooks and the JSON each endpoint
 * receives. A delivery's `data` is the change exactly as `/api/posts/:slug/changes` serves it.
 */

/** An endpoint's address: http(s) only, no credentials in it (they would show in logs and the newsroom). */
export const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2000)
  .refine((url) => {
    // Runs after a failed URL check too: a string that is no URL was refused above already.
    if (!URL.canParse(url)) return true;
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '';
  }, 'must not carry a user name or password (the signature authenticates Liveline)');

export const webhookInput = z.object({
  url: webhookUrl,
  /** The post to follow; absent or null: every post of the site. */
  post: slugParam.nullable().optional(),
  description: z.string().trim().max(200).default(''),
  active: z.boolean().default(true),
});
export type WebhookInput = z.input<typeof webhookInput>;

export const webhookPatch = z
  .object({ url: webhookUrl.optional(), description: z.string().trim().max(200).optional(), active: z.boolean().optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one of url, description, active');
export type WebhookPatch = z.input<typeof webhookPatch>;

export const webhookSchema = z.object({
  id: z.number(),
  url: z.string(),
  /** The post followed, or null for the whole site. */
  post: z.object({ id: z.number(), slug: z.string(), title: z.string() }).nullable(),
  description: z.string(),
  active: z.boolean(),
  /** Consecutive failed attempts of the delivery at the head of the queue (0: all is well). */
  failures: z.number(),
  /** When the failing head delivery is tried again; null when not failing. */
  retryAt: z.string().nullable(),
  /** Changes not yet acknowledged by the endpoint, over every post it follows. */
  pending: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhooksOutput = z.object({ webhooks: z.array(webhookSchema) });
/** Creation is the one time the secret is shown. */
export const webhookCreated = z.object({ webhook: webhookSchema, secret: z.string() });
export type WebhookCreated = z.infer<typeof webhookCreated>;

export const deliverySchema = z.object({
  id: z.number(),
  post: z.object({ id: z.number(), slug: z.string() }),
  seq: z.number(),
  type: z.string(),
  /** The webhook-id header: the same on every retry, new for a replay. */
  messageId: z.string(),
  status: z.enum(['retrying', 'delivered']),
  attempts: z.number(),
  responseCode: z.number().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const deliveriesOutput = z.object({ deliveries: z.array(deliverySchema) });

export const replayInput = z.object({
  /** The post to replay; required for a site-wide endpoint, the endpoint's own post otherwise. */
  post: slugParam.optional(),
  /** The first seq to send again (1: the post's whole log). */
  fromSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export type ReplayInput = z.input<typeof replayInput>;
export const replayOutput = z.object({ post: z.object({ id: z.number(), slug: z.string() }), fromSeq: z.number(), pending: z.number() });
export type ReplayOutput = z.infer<typeof replayOutput>;

/** What an endpoint receives (POST, application/json), signed per the Standard Webhooks spec. */
export const webhookPayload = z.object({
  /** The change's type: entry.created, entry.updated, entry.deleted or post.updated. */
  type: z.string(),
  /** When the change was committed. */
  timestamp: z.string(),
  seq: z.number(),
  post: z.object({ id: z.number(), slug: z.string() }),
  data: changeSchema,
});
export type WebhookPayload = z.infer<typeof webhookPayload>;
