import { errors } from '../domain/errors.js';
import { hasRole } from '../domain/roles.js';
import { canDeleteDraft, canEditDraft, canPublishDraft, canReview, canSeeDraft, canWriteDrafts } from '../domain/workflow.js';
import { RenderError } from '../render/markdown.js';
import type { LoggedChange } from '../store/changes.js';
import type { DraftFields, DraftStore } from '../store/drafts.js';
import { presentEntry } from '../store/entries.js';
import { nowIso, type ServiceDeps } from './context.js';
import { requireVersion } from './versions.js';
import { publishedMeta, resolveDraftMeta } from './draft-meta.js';
import { draftMetaFields } from '../store/draft-meta.js';
import type { Actor, Draft, DraftGone, DraftInput, DraftPatch, DraftState, Entry, Post } from '../../contract/index.js';

/**
 * Use cases of entries before they are public (issue 17): save a draft, submit it for review,
 * schedule it, and the editor's approve / return with a note / reject; each step is one
 * transaction with its audit record. Drafts are told to the newsroom's desks after COMMIT
 * (DeskNotifier, the newsroom socket), never to readers. Publishing, whoever or whatever does it
 * (a person, an approval, the scheduler), is one transaction: the entry, its first revision and
 * its one `entry.created` change, the draft row deleted; then the change is published as any
 * entry's. The byline stays the draft's author.
 */

/** Where drafts go after COMMIT: the newsroom socket (realtime/newsroom.ts). Must not throw. */
export interface DeskNotifier {
  draft(draft: Draft): void;
  gone(gone: DraftGone): void;
}

export const nullDeskNotifier: DeskNotifier = { draft: () => {}, gone: () => {} };

export type DraftDeps = ServiceDeps & { drafts: DraftStore; desk: DeskNotifier };

export class DraftService {
  /** Told when a scheduled time was set, moved or cleared (the scheduler re-arms). */
  private readonly scheduleListeners: (() => void)[] = [];

  constructor(private readonly deps: DraftDeps) {}

  onScheduleChanged(listener: () => void): void {
    this.scheduleListeners.push(listener);
  }

  /** The post's drafts this person may see: all of them for authors and above, their own for a contributor. */
  list(actor: Actor, slug: string): Draft[] {
    if (!canWriteDrafts(actor)) throw errors.forbidden('Only the newsroom sees drafts.');
    const post = this.post(slug);
    return this.deps.drafts.inPost(post.id).filter((draft) => canSeeDraft(actor, draft));
  }

  /** The drafts of a post a person may see, by post id (the newsroom socket's join). */
  visibleIn(actor: Actor, postId: number): Draft[] {
    return this.deps.drafts.inPost(postId).filter((draft) => canSeeDraft(actor, draft));
  }

  get(actor: Actor, id: number): Draft {
    const draft = this.deps.drafts.byId(id);
    // Someone else's draft is "not found" for a contributor: not even its existence leaks.
    if (!draft || !canSeeDraft(actor, draft)) throw errors.notFound(`The draft ${id}`);
    return draft;
  }

  async create(actor: Actor, slug: string, input: DraftInput): Promise<Draft> {
    if (!canWriteDrafts(actor)) throw errors.forbidden('Only the newsroom writes drafts.');
    const post = this.post(slug);
    const state = input.state;
    const publishAt = state === 'scheduled' ? input.publishAt! : null;
    if (state === 'scheduled' && !canPublishDraft(actor, { state: 'draft' }, actor.role)) {
      throw errors.forbidden('Scheduling publishes: contributors save drafts and submit them for review.');
    }
    this.refuseEnded(actor, post);
    const { stores, drafts } = this.deps;
    // Checked before rendering too, so a refused field costs no render.
    resolveDraftMeta(stores, actor, input, undefined, actor.id);
    const html = await this.render(input.body);
    const now = nowIso(this.deps);
    const draft = stores.db.transaction(() => {
      const meta = resolveDraftMeta(stores, actor, input, undefined, actor.id);
      const created = drafts.insert({ postId: post.id, authorId: actor.id, body: input.body, html, keyEvent: input.keyEvent ?? false, state, publishAt, meta, now });
      stores.audit.record(actor.id, `draft.${state === 'draft' ? 'created' : state}`, created.id, { postId: post.id, ...(publishAt ? { publishAt } : {}) });
      return created;
    })();
    this.saved(draft, state === 'scheduled');
    return draft;
  }

  async update(actor: Actor, id: number, ifMatch: number | undefined, patch: DraftPatch): Promise<Draft> {
    const version = requireVersion(ifMatch);
    const before = this.editable(actor, id, version);
    const { stores, drafts } = this.deps;
    resolveDraftMeta(stores, actor, patch, before, before.author.id);
    const html = patch.body === undefined || patch.body === before.body ? before.html : await this.render(patch.body);
    const now = nowIso(this.deps);
    const draft = stores.db.transaction(() => {
      const current = this.editable(actor, id, version);
      // A contributor's edit of what they submitted takes it back out of the queue, unless they resubmit.
      const state: DraftState = patch.state ?? (current.state === 'submitted' && !hasRole(actor, 'editor') ? 'draft' : current.state);
      if (state === 'scheduled' && !canPublishDraft(actor, current, this.roleOf(current.author.id))) {
        throw errors.forbidden(hasRole(actor, 'author') ? 'Only editors schedule what a contributor wrote or submitted.' : 'Scheduling publishes: contributors submit drafts for review.');
      }
      if (state === 'submitted' && current.state !== 'submitted' && current.author.id !== actor.id && !hasRole(actor, 'editor')) {
        throw errors.forbidden('Only its author submits a draft for review.');
      }
      const updated = drafts.update(
        id,
        {
          body: patch.body ?? current.body,
          html: patch.body === undefined ? current.html : html,
          keyEvent: patch.keyEvent ?? current.keyEvent,
          state,
          publishAt: state === 'scheduled' ? (patch.publishAt ?? current.publishAt) : null,
          // The editor's note stays with the draft while its author works on it; resubmitting clears it.
          note: state === 'submitted' && current.state !== 'submitted' ? null : current.note,
          meta: resolveDraftMeta(stores, actor, patch, current, current.author.id),
        },
        actor.id,
        now,
      );
      stores.audit.record(actor.id, auditActionOf(current.state, state), id, { postId: current.postId, ...(updated.publishAt ? { publishAt: updated.publishAt } : {}) });
      return updated;
    })();
    this.saved(draft, before.state === 'scheduled' || draft.state === 'scheduled');
    return draft;
  }

  /** Publishes a draft now (authors and above; a contributor's, or a submitted one, is an editor's approval). */
  publish(actor: Actor, id: number, ifMatch: number | undefined): Entry {
    const version = requireVersion(ifMatch);
    return this.publishChecked(id, actor, (current) => {
      this.checkVersion(current, version);
      if (!canPublishDraft(actor, current, this.roleOf(current.author.id))) {
        if (!hasRole(actor, 'author')) throw errors.forbidden('Contributors cannot publish: submit the draft for review.');
        throw errors.forbidden(current.state === 'rejected' ? 'A rejected draft cannot be published.' : 'Only editors publish what a contributor wrote or submitted (approve it).');
      }
      return current.state === 'submitted' ? 'draft.approved' : 'draft.published';
    });
  }

  /** An editor approves a submitted entry: it is published, credited to its author. */
  approve(actor: Actor, id: number, ifMatch: number | undefined): Entry {
    const version = requireVersion(ifMatch);
    return this.publishChecked(id, actor, (current) => {
      this.checkReviewable(actor, current, version);
      return 'draft.approved';
    });
  }

  /** An editor sends a submitted entry back to its author as a draft, with a note saying why. */
  returnToAuthor(actor: Actor, id: number, ifMatch: number | undefined, note: string): Draft {
    return this.review(actor, id, ifMatch, 'draft', note, 'draft.returned');
  }

  /** An editor rejects a submitted entry: it stays with its author, marked rejected, and is never published. */
  reject(actor: Actor, id: number, ifMatch: number | undefined, note: string | undefined): Draft {
    return this.review(actor, id, ifMatch, 'rejected', note ?? null, 'draft.rejected');
  }

  delete(actor: Actor, id: number, ifMatch: number | undefined): void {
    const version = requireVersion(ifMatch);
    const { stores, drafts } = this.deps;
    const gone = stores.db.transaction(() => {
      const current = this.visible(actor, id);
      if (!canDeleteDraft(actor, current)) throw errors.forbidden("Only its author or an editor deletes a draft.");
      this.checkVersion(current, version);
      drafts.delete(id);
      stores.audit.record(actor.id, 'draft.deleted', id, { postId: current.postId, state: current.state, author: current.author.id });
      return current;
    })();
    this.deps.desk.gone({ id, postId: gone.postId, reason: 'deleted' });
    if (gone.state === 'scheduled') this.scheduleChanged();
  }

  /**
   * Publishes every scheduled entry whose time has come (the scheduler's tick), each in its own
   * transaction: state flip and change log together, so a crash leaves each either still
   * scheduled or published, never both, never twice.
   */
  publishDue(now = new Date()): Entry[] {
    const published: Entry[] = [];
    for (const id of this.deps.drafts.due(now.toISOString())) {
      const entry = this.publishChecked(id, null, (current) => (current.state === 'scheduled' && current.publishAt! <= now.toISOString() ? 'draft.published' : undefined));
      if (entry) published.push(entry);
    }
    return published;
  }

  /** When the next scheduled entry is due. */
  nextDue(): string | undefined {
    return this.deps.drafts.nextDue();
  }

  // --- the one way a draft becomes an entry

  /**
   * In one transaction: re-reads the draft, lets `check` refuse (throw), skip (undefined) or name
   * the audit action, then inserts the entry (its author the draft's), its first revision and its
   * `entry.created` change, and deletes the draft. `actor` null: the scheduler, on behalf of whoever
   * scheduled it. Published after COMMIT.
   */
  private publishChecked(id: number, actor: Actor | null, check: (current: Draft) => string | undefined): Entry;
  private publishChecked(id: number, actor: null, check: (current: Draft) => string | undefined): Entry | undefined;
  private publishChecked(id: number, actor: Actor | null, check: (current: Draft) => string | undefined): Entry | undefined {
    const { stores, drafts } = this.deps;
    const now = nowIso(this.deps);
    const result = stores.db.transaction((): { logged: LoggedChange; draft: Draft } | undefined => {
      const current = actor ? this.visible(actor, id) : drafts.byId(id);
      if (!current) return undefined;
      const action = check(current);
      if (!action) return undefined;
      const post = stores.posts.byId(current.postId);
      // A post deleted since: its drafts stay drafts (nobody can read them), never published into it.
      if (!post || !stores.posts.bySlugIncludingDrafts(post.slug)) {
        if (actor) throw errors.notFound(`The post of draft ${id}`);
        drafts.update(id, { ...fieldsOf(current), state: 'draft', publishAt: null }, current.updatedBy?.id ?? current.author.id, now);
        return undefined;
      }
      if (actor) this.refuseEnded(actor, post);
      const by = actor?.id ?? current.updatedBy?.id ?? null;
      const inserted = stores.entries.insert({
        postId: current.postId,
        authorId: current.author.id,
        body: current.body,
        html: current.html,
        keyEvent: current.keyEvent,
        // A scheduled entry shows the time it was scheduled for (an embargo's 10:00:00), even when a restart publishes it late.
        createdAt: current.state === 'scheduled' && current.publishAt ? current.publishAt : now,
        now,
      });
      // The draft's headline, co-authors, location, tags and label go onto the entry before its
      // first revision and its entry.created change: readers never get it without them.
      stores.entryMeta.set(inserted.id, publishedMeta(current));
      const entry = stores.entries.byId(inserted.id)!;
      stores.entries.recordRevision(entry, 'created', by, now);
      const logged = stores.changes.append(current.postId, { type: 'entry.created', entry: presentEntry(entry) }, by, now);
      drafts.delete(id);
      stores.audit.record(actor?.id ?? null, action, id, { postId: current.postId, entryId: entry.id, author: current.author.id, ...(actor ? {} : { scheduledBy: by }) });
      return { logged, draft: current };
    })();
    if (!result) return undefined;
    this.deps.publisher.publish(result.logged);
    const entry = result.logged.change.type === 'entry.created' ? result.logged.change.entry : undefined;
    this.deps.desk.gone({ id, postId: result.draft.postId, reason: 'published', ...(entry ? { entryId: entry.id } : {}) });
    if (result.draft.state === 'scheduled') this.scheduleChanged();
    if (!entry) throw new Error('expected the entry.created change just logged');
    return entry;
  }

  private review(actor: Actor, id: number, ifMatch: number | undefined, state: 'draft' | 'rejected', note: string | null, action: string): Draft {
    const version = requireVersion(ifMatch);
    const { stores, drafts } = this.deps;
    const now = nowIso(this.deps);
    const draft = stores.db.transaction(() => {
      const current = this.visible(actor, id);
      this.checkReviewable(actor, current, version);
      const updated = drafts.update(id, { ...fieldsOf(current), state, publishAt: null, note }, actor.id, now);
      stores.audit.record(actor.id, action, id, { postId: current.postId, author: current.author.id, ...(note ? { note } : {}) });
      return updated;
    })();
    this.saved(draft, false);
    return draft;
  }

  private checkReviewable(actor: Actor, current: Draft, version: number): void {
    if (!canReview(actor)) throw errors.forbidden('Only editors review submitted entries.');
    this.checkVersion(current, version);
    if (current.state !== 'submitted') throw errors.conflict('not-submitted', `This entry is a ${current.state} draft, not one submitted for review.`, { draft: current });
  }

  private editable(actor: Actor, id: number, version: number): Draft {
    const current = this.visible(actor, id);
    if (!canEditDraft(actor, current)) {
      throw errors.forbidden(current.state === 'rejected' ? 'A rejected draft is closed; only an editor may reopen it.' : 'Entries submitted for review are the editors’ until they return them.');
    }
    this.checkVersion(current, version);
    return current;
  }

  private visible(actor: Actor, id: number): Draft {
    if (!canWriteDrafts(actor)) throw errors.forbidden('Only the newsroom works on drafts.');
    return this.get(actor, id);
  }

  private checkVersion(current: Draft, version: number): void {
    if (current.version !== version) {
      throw errors.preconditionFailed(`The draft is at version ${current.version}, not ${version}; reload it and apply your change again.`, { draft: current });
    }
  }

  private refuseEnded(actor: Actor, post: Post): void {
    if (post.status === 'ended' && !hasRole(actor, 'editor')) throw errors.conflict('post-ended', 'This post has ended; only editors can add entries to it.');
  }

  private roleOf(userId: number) {
    return this.deps.stores.users.byId(userId)?.role;
  }

  private post(slug: string): Post {
    const post = this.deps.stores.posts.bySlugIncludingDrafts(slug);
    if (!post) throw errors.notFound(`The post "${slug}"`);
    return post;
  }

  private saved(draft: Draft, scheduleMoved: boolean): void {
    this.deps.desk.draft(draft);
    if (scheduleMoved) this.scheduleChanged();
  }

  private scheduleChanged(): void {
    for (const listener of this.scheduleListeners) listener();
  }

  private async render(body: string): Promise<string> {
    try {
      return await this.deps.renderer.render(body);
    } catch (error) {
      if (error instanceof RenderError) throw errors.unprocessable('unrenderable-markdown', error.message);
      throw error;
    }
  }
}

function fieldsOf(draft: Draft): DraftFields {
  return { body: draft.body, html: draft.html, keyEvent: draft.keyEvent, state: draft.state, publishAt: draft.publishAt, note: draft.note, meta: draftMetaFields(draft) };
}

/** What a state change is called in the audit log. */
function auditActionOf(from: DraftState, to: DraftState): string {
  if (from === to) return 'draft.updated';
  if (to === 'submitted') return 'draft.submitted';
  if (to === 'scheduled') return 'draft.scheduled';
  if (from === 'submitted') return 'draft.withdrawn';
  if (from === 'scheduled') return 'draft.unscheduled';
  return 'draft.reopened';
}
