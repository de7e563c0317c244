import { createHash } from 'node:crypto';
import { AppError, errors } from '../domain/errors.js';
import type { LoggedChange } from '../store/changes.js';
import { presentEntry, tombstoneOf } from '../store/entries.js';
import { nowIso, type ServiceDeps } from './context.js';
import { RenderError } from '../render/markdown.js';
import { imagesLackingAlt } from '../render/images.js';
import { requireVersion } from './versions.js';
import type { Actor, Entry, EntryInput, EntryPatch, Revision, StoredEntry } from '../../contract/index.js';
import { canModifyEntry, hasRole, mayUndo } from '../domain/roles.js';
import { isTypedTime, typedTimeWindow } from '../domain/typed-time.js';
import { metaForHash, writeMeta } from './entry-meta.js';

/** How long an idempotency key is remembered; the contract promises at least 24 h. */
export const IDEMPOTENCY_TTL_MS = 48 * 60 * 60 * 1000;

/** Use cases of entries. Each write is one transaction (mutation + revision + change), then publish. */
export class EntryService {
  /** Idempotency keys whose first request is still being processed (rendering happens before the transaction). */
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: ServiceDeps) {}

  async create(actor: Actor, slug: string, input: EntryInput, idempotencyKey?: string): Promise<{ entry: Entry; replayed: boolean }> {
    const { stores } = this.deps;
    // Signed-in writers only (the route's preHandler): a draft post's desk writes into it too (issue 17).
    const post = stores.posts.bySlugIncludingDrafts(slug);
    if (!post) throw errors.notFound(`The post "${slug}"`);
    // A retry of an accepted entry gets its answer whatever happened since (the post ended...).
    const requestHash = idempotencyKey === undefined ? '' : hashRequest(slug, input);
    if (idempotencyKey !== undefined) {
      const replay = this.replay(actor, idempotencyKey, requestHash);
      if (replay) return { entry: replay, replayed: true };
    }
    if (post.status === 'ended' && !hasRole(actor, 'editor')) {
      throw errors.conflict('post-ended', 'This post has ended; only editors can add entries to it.');
    }
    // Editors set any shown time; an author only the time the entry was typed (domain/typed-time.ts),
    // checked after the replay above, so a retry of an accepted entry is never refused for its age.
    if (input.createdAt !== undefined && !hasRole(actor, 'editor')) {
      const now = this.deps.clock?.() ?? new Date();
      if (!isTypedTime(input.createdAt, now)) {
        const { earliest, latest } = typedTimeWindow(now);
        const message = `must be the time the entry was typed: between ${earliest} and ${latest}`;
        throw errors.unprocessable(
          'typed-time-out-of-range',
          'An author may set createdAt only to the time the entry was typed: within the last 24 hours and not in the future (2 minutes of clock difference allowed). Leave createdAt out and the entry shows the time it is published; editors correct shown times.',
          { errors: [{ field: 'body.createdAt', message }], earliest, latest },
        );
      }
    }

    const flightKey = `${actor.id}\u0000${idempotencyKey ?? ''}`;
    if (idempotencyKey !== undefined) {
      if (this.inFlight.has(flightKey)) {
        throw errors.conflict('idempotency-in-flight', 'A request with this Idempotency-Key is still being processed; retry in a moment.');
      }
      this.inFlight.add(flightKey);
    }
    try {
      const html = await this.render(input.body);
      const now = nowIso(this.deps);
      const logged = stores.db.transaction(() => {
        const inserted = stores.entries.insert({
          postId: post.id,
          authorId: actor.id,
          body: input.body,
          html,
          keyEvent: input.keyEvent ?? false,
          createdAt: input.createdAt ?? now,
          now,
        });
        const created = writeMeta(stores, actor, inserted, input, undefined, now);
        stores.entries.recordRevision(created, 'created', actor.id, now);
        if (idempotencyKey !== undefined) stores.idempotency.insert(actor.id, idempotencyKey, requestHash, created.id, now);
        return stores.changes.append(post.id, { type: 'entry.created', entry: presentEntry(created) }, actor.id, now);
      })();
      this.deps.publisher.publish(logged);
      return { entry: entryOf(logged), replayed: false };
    } finally {
      this.inFlight.delete(flightKey);
    }
  }

  async update(actor: Actor, id: number, ifMatch: number | undefined, patch: EntryPatch): Promise<Entry> {
    const version = requireVersion(ifMatch);
    const before = this.modifiable(actor, id, version);
    if (patch.createdAt !== undefined && patch.createdAt !== before.createdAt && !hasRole(actor, 'editor')) {
      throw errors.forbidden('Only editors may correct the time an entry shows.');
    }
    const html = patch.body === undefined || patch.body === before.body ? before.html : await this.render(patch.body);
    const { stores } = this.deps;
    const now = nowIso(this.deps);
    const logged = stores.db.transaction(() => {
      // Re-checked inside the transaction: another edit may have landed while this one rendered.
      const current = this.modifiable(actor, id, version);
      const written = stores.entries.update(
        id,
        {
          body: patch.body ?? current.body,
          html: patch.body === undefined ? current.html : html,
          keyEvent: patch.keyEvent ?? current.keyEvent,
          createdAt: patch.createdAt ?? current.createdAt,
        },
        now,
      );
      const updated = writeMeta(stores, actor, written, patch, current, now);
      stores.entries.recordRevision(updated, 'updated', actor.id, now);
      return stores.changes.append(current.postId, { type: 'entry.updated', entry: presentEntry(updated) }, actor.id, now);
    })();
    this.deps.publisher.publish(logged);
    return entryOf(logged);
  }

  delete(actor: Actor, id: number, ifMatch: number | undefined): void {
    const version = requireVersion(ifMatch);
    const { stores } = this.deps;
    const now = nowIso(this.deps);
    const logged = stores.db.transaction(() => {
      const current = this.modifiable(actor, id, version);
      const deleted = stores.entries.softDelete(id, actor.id, now);
      stores.entries.recordRevision(deleted, 'deleted', actor.id, now);
      return stores.changes.append(current.postId, { type: 'entry.deleted', entry: tombstoneOf(deleted, now) }, actor.id, now);
    })();
    this.deps.publisher.publish(logged);
  }

  /** Brings a deleted entry back (editors, or its author); readers get it as entry.updated. */
  restore(actor: Actor, id: number, ifMatch: number | undefined): Entry {
    const version = requireVersion(ifMatch);
    const { stores } = this.deps;
    const now = nowIso(this.deps);
    const logged = stores.db.transaction(() => {
      const current = stores.entries.byId(id);
      if (!current) throw errors.notFound(`The entry ${id}`);
      if (!canModifyEntry(actor, current)) throw errors.forbidden('Authors may only restore their own entries.');
      if (current.deletedAt && !mayUndo(actor, stores.entries.lastActorRole(id, 'deleted'))) {
        throw errors.forbidden('An editor deleted this entry; only editors may restore it.');
      }
      if (!current.deletedAt) throw errors.conflict('not-deleted', 'This entry is not deleted.', { entry: presentEntry(current) });
      if (current.version !== version) {
        throw errors.preconditionFailed(`The entry is at version ${current.version}, not ${version}.`, { entry: presentEntry(current) });
      }
      const restored = stores.entries.restore(id, now);
      stores.entries.recordRevision(restored, 'restored', actor.id, now);
      return stores.changes.append(current.postId, { type: 'entry.updated', entry: presentEntry(restored) }, actor.id, now);
    })();
    this.deps.publisher.publish(logged);
    return entryOf(logged);
  }

  /**
   * Pins an entry (its author, or an editor). A post has at most one pinned entry: pinning B
   * unpins A in the same transaction, so readers get two entry.updated changes with consecutive seqs.
   */
  setPinned(actor: Actor, id: number, pinned: boolean): Entry {
    const { stores } = this.deps;
    const now = nowIso(this.deps);
    const { entry, logged } = stores.db.transaction(() => {
      const current = stores.entries.byId(id);
      if (!current || current.deletedAt) throw errors.notFound(`The entry ${id}`);
      if (!canModifyEntry(actor, current)) throw errors.forbidden('Authors may only pin their own entries.');
      if (current.pinned === pinned) return { entry: presentEntry(current), logged: [] as LoggedChange[] };
      const logged: LoggedChange[] = [];
      if (!pinned && !mayUndo(actor, stores.entries.lastActorRole(id, 'pinned'))) {
        throw errors.forbidden('An editor pinned this entry; only editors may unpin it.');
      }
      const previous = pinned ? stores.entries.pinnedIn(current.postId) : undefined;
      if (previous && !mayUndo(actor, stores.entries.lastActorRole(previous.id, 'pinned'))) {
        throw errors.forbidden('An editor pinned another entry of this post; only editors may replace that pin.');
      }
      if (previous) {
        const unpinned = stores.entries.setPinned(previous.id, false, now);
        stores.entries.recordRevision(unpinned, 'unpinned', actor.id, now);
        logged.push(stores.changes.append(current.postId, { type: 'entry.updated', entry: presentEntry(unpinned) }, actor.id, now));
      }
      const updated = stores.entries.setPinned(id, pinned, now);
      stores.entries.recordRevision(updated, pinned ? 'pinned' : 'unpinned', actor.id, now);
      logged.push(stores.changes.append(current.postId, { type: 'entry.updated', entry: presentEntry(updated) }, actor.id, now));
      return { entry: presentEntry(updated), logged };
    })();
    for (const change of logged) this.deps.publisher.publish(change);
    return entry;
  }

  /**
   * Every version of an entry (deleted ones too), for the history view, each with its body
   * rendered by the entries' own pipeline so the newsroom can diff the text readers saw. Revisions
   * keep only Markdown, so older bodies are rendered here: once per distinct body, the current one
   * taken from the entry. This route is the newsroom's (signed in): deleted text never leaves it.
   */
  async revisions(id: number): Promise<{ entry: StoredEntry; revisions: Revision[] }> {
    const entry = this.deps.stores.entries.byId(id);
    if (!entry) throw errors.notFound(`The entry ${id}`);
    const stored = this.deps.stores.entries.revisions(id);
    const rendered = new Map<string, Promise<string | null>>([[entry.body, Promise.resolve(entry.html)]]);
    const htmlOf = (body: string): Promise<string | null> => {
      let html = rendered.get(body);
      if (!html) {
        html = this.deps.renderer.render(body).catch((error: unknown) => {
          if (error instanceof RenderError) return null;
          throw error;
        });
        rendered.set(body, html);
      }
      return html;
    };
    const revisions = await Promise.all(stored.map(async (revision) => ({ ...revision, html: await htmlOf(revision.body) })));
    return { entry, revisions };
  }

  /** Recently deleted entries of a post, so an editor can restore one. */
  deletedIn(postId: number, limit = 50): (Entry & { deletedAt: string | null })[] {
    return this.deps.stores.entries.deletedIn(postId, limit);
  }

  byId(id: number): Entry {
    const entry = this.deps.stores.entries.byId(id);
    if (!entry || entry.deletedAt) throw errors.notFound(`The entry ${id}`);
    return presentEntry(entry);
  }

  private replay(actor: Actor, key: string, requestHash: string): Entry | undefined {
    const record = this.deps.stores.idempotency.find(actor.id, key);
    if (!record) return undefined;
    if (record.requestHash !== requestHash) {
      throw errors.unprocessable('idempotency-key-reused', 'This Idempotency-Key was already used for a different entry; use a new key for a new entry.');
    }
    const entry = this.deps.stores.entries.byId(record.entryId)!;
    if (entry.deletedAt) {
      throw new AppError(410, 'entry-deleted', 'Gone', `The entry this request created (${entry.id}) has since been deleted.`, { entryId: entry.id });
    }
    return presentEntry(entry);
  }

  private modifiable(actor: Actor, id: number, version: number): StoredEntry {
    const entry = this.deps.stores.entries.byId(id);
    if (!entry || entry.deletedAt) throw errors.notFound(`The entry ${id}`);
    if (!canModifyEntry(actor, entry)) throw errors.forbidden('Authors may only change their own entries.');
    if (entry.version !== version) {
      throw errors.preconditionFailed(`The entry is at version ${entry.version}, not ${version}; reload it and apply your change again.`, {
        entry: presentEntry(entry),
      });
    }
    return entry;
  }

  /** Renders a body about to be published; refuses one whose uploaded images lack alt text (render/images.ts). */
  private async render(body: string): Promise<string> {
    let html: string;
    try {
      html = await this.deps.renderer.render(body);
    } catch (error) {
      if (error instanceof RenderError) throw errors.unprocessable('unrenderable-markdown', error.message);
      throw error;
    }
    const lacking = imagesLackingAlt(html);
    if (lacking.length) {
      throw errors.unprocessable(
        'image-alt-missing',
        `${lacking.length === 1 ? 'An image has' : `${lacking.length} images have`} no alt text. Describe what each shows in its brackets, ![like this](/uploads/…), for readers who cannot see it, or mark a purely decorative one: ![](/uploads/… "decorative").`,
        { errors: [{ field: 'body.body', message: 'every uploaded image needs alt text or the decorative mark' }], images: lacking },
      );
    }
    return html;
  }
}

/** The entry an entry.created / entry.updated change carries. */
function entryOf(logged: LoggedChange): Entry {
  if (logged.change.type !== 'entry.created' && logged.change.type !== 'entry.updated') throw new Error(`expected an entry change, got ${logged.change.type}`);
  return logged.change.entry;
}

function hashRequest(slug: string, input: EntryInput): string {
  const canonical = JSON.stringify([slug, input.body, input.createdAt ?? null, input.keyEvent ?? false, ...metaForHash(input)]);
  return createHash('sha256').update(canonical).digest('hex');
}
