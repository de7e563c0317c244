import type { Actor, ReplayInput, ReplayOutput, Webhook, WebhookCreated, Delivery } from '../../contract/index.js';
import { errors } from '../domain/errors.js';
import type { AuditStore } from '../store/audit.js';
import type { PostStore } from '../store/posts.js';
import type { WebhookStore } from '../store/webhooks.js';
import { checkDestination, PrivateAddressError } from './addresses.js';
import type { WebhookSettings } from './deliverer.js';
import { newSecret } from './signer.js';

/**
 * The admins' use cases for webhook endpoints: register (the secret is generated here and returned
 * this once), list, change (URL, description, pause/resume), remove, read the delivery log, and
 * replay a post from a seq. The routes (http/routes/webhooks/) check the role; every change is
 * audited, and each wakes the deliverer.
 */

type Input = { url: string; post?: string | null | undefined; description: string; active: boolean };

export class Webhooks {
  constructor(
    private readonly deps: { store: WebhookStore; posts: PostStore; audit: AuditStore; settings: WebhookSettings; wake: () => void },
  ) {}

  list(): Webhook[] {
    return this.deps.store.list();
  }

  async create(actor: Actor, input: Input): Promise<WebhookCreated> {
    await this.checkUrl(input.url);
    // Admins may register one for a draft post: it delivers once the post is public (store/webhooks.ts).
    const post = input.post ? this.deps.posts.bySlugIncludingDrafts(input.post) : undefined;
    if (input.post && !post) throw errors.unprocessable('unknown-post', `post: there is no post "${input.post}" to follow.`, { field: 'post' });
    const secret = newSecret();
    const now = new Date().toISOString();
    const id = this.deps.store.create({ url: input.url, postId: post?.id ?? null, secret, description: input.description, active: input.active, createdBy: actor.id, now });
    this.deps.audit.record(actor.id, 'webhook.created', id, { url: input.url, post: post?.slug ?? null });
    this.deps.wake();
    return { webhook: this.deps.store.view(id)!, secret };
  }

  async update(actor: Actor, id: number, patch: { url?: string | undefined; description?: string | undefined; active?: boolean | undefined }): Promise<Webhook> {
    const current = this.view(id);
    if (patch.url !== undefined && patch.url !== current.url) await this.checkUrl(patch.url);
    this.deps.store.update(id, { url: patch.url ?? current.url, description: patch.description ?? current.description, active: patch.active ?? current.active }, new Date().toISOString());
    this.deps.audit.record(actor.id, 'webhook.updated', id, patch);
    this.deps.wake();
    return this.view(id);
  }

  remove(actor: Actor, id: number): void {
    const current = this.view(id);
    this.deps.store.remove(id);
    this.deps.audit.record(actor.id, 'webhook.deleted', id, { url: current.url });
  }

  deliveries(id: number, limit: number): Delivery[] {
    this.view(id);
    return this.deps.store.deliveries(id, limit);
  }

  /** Sends the post's changes from `fromSeq` on again (as the log holds them now, redactions included). */
  replay(actor: Actor, id: number, input: ReplayInput): ReplayOutput {
    const current = this.view(id);
    const slug = input.post ?? current.post?.slug;
    if (!slug) throw errors.unprocessable('replay-post-required', 'post: this endpoint follows every post; name the post to replay.', { field: 'post' });
    const post = this.deps.posts.bySlugIncludingDrafts(slug);
    if (!post) throw errors.unprocessable('unknown-post', `post: there is no post "${slug}".`, { field: 'post' });
    if (current.post && current.post.id !== post.id) throw errors.unprocessable('replay-other-post', `post: this endpoint follows "${current.post.slug}" only.`, { field: 'post' });
    if (input.fromSeq > post.lastSeq) {
      throw errors.unprocessable('replay-beyond-log', `fromSeq: the post's log ends at seq ${post.lastSeq}.`, { field: 'fromSeq', lastSeq: post.lastSeq });
    }
    this.deps.store.rewind(id, post.id, input.fromSeq);
    this.deps.audit.record(actor.id, 'webhook.replayed', id, { post: post.slug, fromSeq: input.fromSeq });
    this.deps.wake();
    return { post: { id: post.id, slug: post.slug }, fromSeq: input.fromSeq, pending: this.view(id).pending };
  }

  private view(id: number): Webhook {
    const webhook = this.deps.store.view(id);
    if (!webhook) throw errors.notFound(`The webhook ${id}`);
    return webhook;
  }

  /** http(s) is the schema's; here the destination, resolved: no internal address unless allowed. */
  private async checkUrl(url: string): Promise<void> {
    try {
      await checkDestination(new URL(url), this.deps.settings.allowPrivate);
    } catch (error) {
      if (error instanceof PrivateAddressError) {
        throw errors.unprocessable('webhook-url-private', `url: ${error.message}.`, { field: 'url', address: error.address });
      }
      throw errors.unprocessable('webhook-url-unresolvable', `url: ${new URL(url).hostname} does not resolve (${error instanceof Error ? error.message : String(error)}).`, { field: 'url' });
    }
  }
}
