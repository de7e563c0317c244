import { encodeCursor, type EntryCursor } from '../domain/cursor.js';
import { errors } from '../domain/errors.js';
import { slugify } from '../domain/slug.js';
import { presentEntry, tombstoneOf } from '../store/entries.js';
import type { PostActivity, PostImage, Summary } from '../store/posts.js';
import { RenderError } from '../render/markdown.js';
import { nowIso, type ServiceDeps } from './context.js';
import { requireVersion } from './versions.js';
import type { Actor, Change, Entry, EntryPage, Post, PostInput, PostPatch, PostStatus } from '../../contract/index.js';
import { canCreatePost, hasRole } from '../domain/roles.js';

export const FIRST_PAGE_SIZE = 50;
/** What one page of entries may weigh (Markdown + HTML, in UTF-16 code units) before the rest moves to an earlier page. */
export const PAGE_MAX_BYTES = 512 * 1024;
const KEY_EVENTS_SHOWN = 100;
/** A catch-up response carries about this much; the client asks again until it reaches lastSeq. */
export const CHANGES_MAX_BYTES = 512 * 1024;

/**
 * Who is reading (issue 17, post-level draft): `public` (anyone: a draft post does not exist) or
 * `newsroom` (a signed-in person: drafts too). Every read defaults to `public`; only signed-in
 * routes pass `newsroom` (routes/audience.ts).
 */
export type Audience = 'public' | 'newsroom';

/** Use cases of posts: create, update, read with entries, page back, catch up. */
export class PostService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(actor: Actor, input: PostInput): Promise<Post> {
    if (!canCreatePost(actor)) throw errors.forbidden('Only editors and admins may create posts.');
    const { posts } = this.deps.stores;
    const slug = input.slug ?? slugify(input.title);
    this.refuseRedirectingSlug(slug, undefined, input.reclaimSlug);
    const summary = input.summary === undefined ? undefined : await this.renderSummary(input.summary);
    this.assertUploaded(input.coverImage);
    const now = nowIso(this.deps);
    const startsAt = input.startsAt ?? null;
    // A new post is scheduled until someone takes it live (issue 14): never live and public by accident.
    const status = input.status ?? 'scheduled';
    const newPost = {
      slug,
      title: input.title,
      description: input.description ?? '',
      status,
      startsAt,
      endedAt: status === 'ended' ? now : null,
      timezone: input.timezone ?? 'UTC',
      // Without one, the post follows the site's DEFAULT_LANGUAGE (stored as NULL).
      language: input.language ?? null,
      tags: input.tags ?? [],
      categories: input.categories ?? [],
      summary,
      createdBy: actor.id,
      now,
    };
    try {
      return this.deps.stores.db.transaction(() => {
        const created = posts.insert(newPost);
        if (!input.coverImage) return created;
        posts.setCoverImage(created.id, input.coverImage);
        return posts.byId(created.id)!;
      })();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw errors.conflict('slug-taken', `A post with the slug "${slug}" already exists; choose another slug.`, { slug });
      }
      throw error;
    }
  }

  /** A cover image must be an upload this server keeps (422 otherwise). */
  private assertUploaded(url: string | null | undefined): void {
    if (!url) return;
    if (!this.deps.stores.uploads.byFileName(url.slice('/uploads/'.length))) {
      throw errors.unprocessable('cover-image-unknown', `The cover image ${url} is not an image uploaded to this server; upload it first (POST /api/uploads).`, {
        errors: [{ field: 'body.coverImage', message: 'is not an uploaded image' }],
      });
    }
  }

  async update(actor: Actor, slug: string, ifMatch: number | undefined, patch: PostPatch): Promise<Post> {
    if (!hasRole(actor, 'editor')) throw errors.forbidden('Only editors and admins may change a post.');
    const { db, posts, changes } = this.deps.stores;
    const version = requireVersion(ifMatch);
    // Rendered before the transaction (in a worker); If-Match below refuses it if the post moved on meanwhile.
    const before = this.bySlug(slug, 'newsroom');
    const summary =
      patch.summary === undefined ? undefined : patch.summary === before.summary ? { markdown: before.summary, html: before.summaryHtml } : await this.renderSummary(patch.summary);
    if (patch.coverImage !== before.coverImage) this.assertUploaded(patch.coverImage);
    const now = nowIso(this.deps);
    const logged = db.transaction(() => {
      const current = this.bySlug(slug, 'newsroom');
      if (current.version !== version) {
        throw errors.preconditionFailed(`The post is at version ${current.version}, not ${version}.`, { post: current });
      }
      const status = patch.status ?? current.status;
      // Readers (and feeds, webhooks, caches) have had it: hiding it again would not unsay it.
      if (status === 'draft' && current.status !== 'draft') {
        throw errors.conflict('post-public', `The post is ${current.status}: readers have seen it, so it cannot go back to draft.`, { currentStatus: current.status });
      }
      const endedAt = status === 'ended' ? (current.endedAt ?? now) : null;
      if (patch.slug !== undefined && patch.slug !== current.slug) this.rename(current, patch.slug, now, patch.reclaimSlug);
      if (patch.coverImage !== undefined) posts.setCoverImage(current.id, patch.coverImage);
      const updated = posts.update(
        current.id,
        {
          title: patch.title ?? current.title,
          description: patch.description ?? current.description,
          status,
          startsAt: patch.startsAt === undefined ? current.startsAt : patch.startsAt,
          endedAt,
          timezone: patch.timezone ?? current.timezone,
          language: patch.language === undefined ? (current.languageIsDefault ? null : current.language) : patch.language,
          tags: patch.tags ?? current.tags,
          categories: patch.categories ?? current.categories,
          summary,
        },
        now,
      );
      return changes.append(current.id, { type: 'post.updated', post: updated }, actor.id, now);
    })();
    this.deps.publisher.publish(logged);
    if (logged.change.type !== 'post.updated') throw new Error('expected the post.updated change just logged');
    return logged.change.post;
  }

  /**
   * Deletes a post (admins, with If-Match). In one transaction every live entry is deleted as any
   * deletion is (revision, entry.deleted change, which retracts the entry's earlier rows), so open
   * reader pages empty live and no catch-up can bring a body back; then no read finds the post.
   */
  delete(actor: Actor, slug: string, ifMatch: number | undefined): void {
    if (!hasRole(actor, 'admin')) throw errors.forbidden('Only admins may delete a post.');
    const version = requireVersion(ifMatch);
    const { db, posts, entries, changes, audit } = this.deps.stores;
    const now = nowIso(this.deps);
    const logged = db.transaction(() => {
      const current = this.bySlug(slug, 'newsroom');
      if (current.version !== version) {
        throw errors.preconditionFailed(`The post is at version ${current.version}, not ${version}.`, { post: current });
      }
      const deletions = entries.latest(current.id, Number.MAX_SAFE_INTEGER).map((entry) => {
        const deleted = entries.softDelete(entry.id, actor.id, now);
        entries.recordRevision(deleted, 'deleted', actor.id, now);
        return changes.append(current.id, { type: 'entry.deleted', entry: tombstoneOf(deleted, now) }, actor.id, now);
      });
      posts.markDeleted(current.id, now);
      audit.record(actor.id, 'post.deleted', current.id, { slug: current.slug, title: current.title, entries: deletions.length });
      return deletions;
    })();
    for (const change of logged) this.deps.publisher.publish(change);
  }

  /** "What we know": Markdown rendered and sanitized exactly as entries are. */
  private async renderSummary(markdown: string): Promise<Summary> {
    if (markdown.trim() === '') return { markdown: '', html: '' };
    try {
      return { markdown, html: await this.deps.renderer.render(markdown) };
    } catch (error) {
      if (error instanceof RenderError) throw errors.unprocessable('unrenderable-markdown', `summary: ${error.message}`);
      throw error;
    }
  }

  /** Changes the slug; the old one keeps redirecting (301) to the post. Runs inside update's transaction. */
  private rename(current: Post, slug: string, now: string, reclaim: boolean | undefined): void {
    const { posts } = this.deps.stores;
    const owner = posts.bySlugIncludingDrafts(slug);
    if (owner) throw errors.conflict('slug-taken', `A post with the slug "${slug}" already exists; choose another slug.`, { slug });
    this.refuseRedirectingSlug(slug, current.id, reclaim);
    posts.rename(current.id, current.slug, slug, now);
  }

  /**
   * A former slug keeps old links (and open reader pages) pointing at its post. Taking it over
   * silently would send them to another post: it needs `reclaimSlug: true` (editors only).
   */
  private refuseRedirectingSlug(slug: string, ownId: number | undefined, reclaim: boolean | undefined): void {
    const { posts } = this.deps.stores;
    const movedTo = posts.movedToIncludingDrafts(slug);
    if (movedTo === undefined || reclaim) return;
    if (ownId !== undefined && posts.bySlugIncludingDrafts(movedTo)?.id === ownId) return;
    throw errors.conflict('slug-redirects', `The slug "${slug}" still redirects to the post "${movedTo}"; choose another slug, or send reclaimSlug: true to take it over.`, { slug, redirectsTo: movedTo });
  }

  /** The current slug of a post that used to be at `slug`, if it moved. */
  movedTo(slug: string, audience: Audience = 'public'): string | undefined {
    const { posts } = this.deps.stores;
    return audience === 'newsroom' ? posts.movedToIncludingDrafts(slug) : posts.movedTo(slug);
  }

  /** The post at `slug` (404 otherwise); a draft post only for the newsroom. */
  bySlug(slug: string, audience: Audience = 'public'): Post {
    const { posts } = this.deps.stores;
    const post = audience === 'newsroom' ? posts.bySlugIncludingDrafts(slug) : posts.bySlug(slug);
    if (!post) throw errors.notFound(`The post "${slug}"`);
    return post;
  }

  list(filter: { status?: PostStatus | undefined; limit: number }, audience: Audience = 'public'): Post[] {
    const { posts } = this.deps.stores;
    return audience === 'newsroom' ? posts.listIncludingDrafts(filter) : posts.list(filter);
  }

  /** The newsroom's post list: each post (drafts too) with its entry count and when it last changed. */
  withActivity(limit: number): (Post & PostActivity)[] {
    const { posts } = this.deps.stores;
    return posts.listIncludingDrafts({ limit }).map((post) => ({ ...post, ...posts.activity(post.id) }));
  }

  /** The home page's cards: each post with its entry count, last change and image (shareImage). */
  cards(limit: number): (Post & PostActivity & { image: PostImage | undefined })[] {
    const { posts } = this.deps.stores;
    return posts.list({ limit }).map((post) => ({ ...post, ...posts.activity(post.id), image: this.shareImage(post) }));
  }

  /** The first image readers see in the post (its oldest live entry with one). */
  firstImage(post: Post): PostImage | undefined {
    return this.deps.stores.posts.firstImage(post.id);
  }

  /**
   * The image that stands for the post (og:image, twitter:image, JSON-LD `image`, the home page's
   * card): its cover image, else its pinned entry's image, else its first entry image. A cover is
   * given as its widest rendition up to 1600 px in its own format (crawlers do not all read WebP,
   * and none needs the camera's 6,000 px), as entry images already are.
   */
  shareImage(post: Post): PostImage | undefined {
    const { posts, uploads } = this.deps.stores;
    if (post.coverImage) {
      const upload = uploads.byFileName(post.coverImage.slice('/uploads/'.length));
      const rendition = upload && upload.width !== null && upload.width > 1600
        ? upload.renditions.filter((r) => r.mimeType === upload.mimeType && r.width <= 1600).sort((a, b) => b.width - a.width)[0]
        : undefined;
      if (upload) return { src: rendition ? `/uploads/${rendition.fileName}` : post.coverImage, alt: '' };
    }
    return posts.pinnedImage(post.id) ?? posts.firstImage(post.id);
  }

  /** The post with its newest entries; read in one synchronous step, so lastSeq matches the entries. */
  withLatestEntries(slug: string, limit = FIRST_PAGE_SIZE, audience: Audience = 'public'): { post: Post } & EntryPage {
    const post = this.bySlug(slug, audience);
    return { post, ...this.page(this.deps.stores.entries.latest(post.id, limit + 1), limit) };
  }

  /**
   * The "Key moments only" view (issue 15): the newest key moments, oldest first, weighing what
   * any page may weigh; `more` when older ones did not fit.
   */
  keyMoments(post: Post): { entries: Entry[]; more: boolean } {
    const rows = this.deps.stores.entries.keyEvents(post.id, KEY_EVENTS_SHOWN + 1);
    const shown = rows.slice(0, KEY_EVENTS_SHOWN).reverse();
    const page = this.page(shown, Number.MAX_SAFE_INTEGER);
    return { entries: page.entries, more: rows.length > KEY_EVENTS_SHOWN || page.nextCursor !== null };
  }

  /** The `?tag=` view (issue 17): the newest entries with this tag, oldest first, as the key-moments view weighs them. */
  tagged(post: Post, tag: string): { entries: Entry[]; more: boolean } {
    const rows = this.deps.stores.entries.tagged(post.id, tag, KEY_EVENTS_SHOWN + 1);
    const shown = rows.slice(0, KEY_EVENTS_SHOWN).reverse();
    const page = this.page(shown, Number.MAX_SAFE_INTEGER);
    return { entries: page.entries, more: rows.length > KEY_EVENTS_SHOWN || page.nextCursor !== null };
  }

  /** Everything the reader page shows around the stream: key moments (newest first) and the pinned entry. */
  highlights(post: Post): { keyEvents: Entry[]; pinned: Entry | null } {
    const { entries } = this.deps.stores;
    const pinned = entries.pinned(post.id);
    return { keyEvents: entries.keyEvents(post.id, KEY_EVENTS_SHOWN).map(presentEntry), pinned: pinned ? presentEntry(pinned) : null };
  }

  entriesBefore(slug: string, cursor: EntryCursor | undefined, limit: number, audience: Audience = 'public'): EntryPage & { lastSeq: number } {
    const post = this.bySlug(slug, audience);
    const { entries } = this.deps.stores;
    // One more row than asked tells whether anything is left: a post of exactly 50 entries
    // has no earlier page, and "Load earlier" no empty last click.
    const rows = cursor ? entries.before(post.id, cursor, limit + 1) : entries.latest(post.id, limit + 1);
    return { ...this.page(rows, limit), lastSeq: post.lastSeq };
  }

  /**
   * A page read forward: the post's first entries (`cursor` undefined: an ended post opens at its
   * start, like an article) or those just after `cursor` ("Load later entries"), weighing at most
   * what any page may weigh; `laterCursor` points at the last entry kept when more follow.
   */
  entriesAfter(slug: string, cursor: EntryCursor | undefined, limit: number, audience: Audience = 'public'): EntryPage & { lastSeq: number } {
    const post = this.bySlug(slug, audience);
    return { ...this.forwardPage(post, cursor, limit), lastSeq: post.lastSeq };
  }

  /** The post with its first entries, read in one synchronous step, so lastSeq matches the entries. */
  withFirstEntries(slug: string, limit = FIRST_PAGE_SIZE): { post: Post } & EntryPage {
    const post = this.bySlug(slug);
    return { post, ...this.forwardPage(post, undefined, limit) };
  }

  private forwardPage(post: Post, cursor: EntryCursor | undefined, limit: number): EntryPage {
    const { entries } = this.deps.stores;
    const fetched = cursor ? entries.after(post.id, cursor, limit + 1) : entries.first(post.id, limit + 1);
    const rows = fetched.slice(0, limit);
    let bytes = 0;
    let count = 0;
    for (const row of rows) {
      const weight = row.body.length + row.html.length;
      if (count > 0 && bytes + weight > PAGE_MAX_BYTES) break;
      bytes += weight;
      count += 1;
    }
    const kept = rows.slice(0, count);
    const first = kept[0];
    const last = kept[kept.length - 1];
    return {
      entries: kept.map(presentEntry),
      nextCursor: cursor && first && entries.anyBefore(post.id, first) ? encodeCursor(first) : null,
      laterCursor: last && (fetched.length > limit || count < rows.length) ? encodeCursor(last) : null,
    };
  }

  changesSince(slug: string, since: number, limit: number, audience: Audience = 'public'): { changes: Change[]; lastSeq: number } {
    // Catch-up from a page opened before a slug rename still works.
    const { posts } = this.deps.stores;
    const post = audience === 'newsroom' ? posts.bySlugOrFormerIncludingDrafts(slug) : posts.bySlugOrFormer(slug);
    if (!post) throw errors.notFound(`The post "${slug}"`);
    return { changes: this.deps.stores.changes.since(post.id, since, limit, CHANGES_MAX_BYTES), lastSeq: post.lastSeq };
  }

  /**
   * A page of entries, oldest first, that weighs at most PAGE_MAX_BYTES of Markdown and HTML
   * (always at least its newest entry): fifty 20,000-character entries of `&` render to ~11 MB,
   * and every reader, cache and feed would carry that. The entries left out are one "earlier"
   * page away: `nextCursor` then points at the oldest entry kept. `rows` may hold one more (older)
   * entry than `limit`: it only says there is an earlier page.
   */
  private page(fetched: ReturnType<ServiceDeps['stores']['entries']['latest']>, limit: number): EntryPage {
    const more = fetched.length > limit;
    const rows = more ? fetched.slice(fetched.length - limit) : fetched;
    let bytes = 0;
    let first = rows.length;
    while (first > 0) {
      const row = rows[first - 1]!;
      const weight = row.body.length + row.html.length;
      if (first < rows.length && bytes + weight > PAGE_MAX_BYTES) break;
      bytes += weight;
      first -= 1;
    }
    const kept = rows.slice(first);
    const oldest = kept[0];
    return {
      entries: kept.map(presentEntry),
      nextCursor: oldest && (more || first > 0) ? encodeCursor(oldest) : null,
    };
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
