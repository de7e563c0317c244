import type { Post, PostStatus } from '../../contract/index.js';
import type { Db } from '../db/connection.js';

type PostRow = {
  id: number;
  slug: string;
  title: string;
  description: string;
  summary: string;
  summary_html: string;
  status: PostStatus;
  starts_at: string | null;
  ended_at: string | null;
  timezone: string;
  language: string | null;
  tags: string;
  categories: string;
  cover_image: string | null;
  version: number;
  last_seq: number;
  created_at: string;
  updated_at: string;
};

export type NewPost = {
  slug: string;
  title: string;
  description: string;
  status: PostStatus;
  startsAt: string | null;
  endedAt: string | null;
  timezone: string;
  /** null: the post follows the site's DEFAULT_LANGUAGE. */
  language: string | null;
  tags: string[];
  categories: string[];
  createdBy: number | null;
  now: string;
  /** "What we know" as typed and as rendered (both empty when the post has none). */
  summary?: Summary | undefined;
};

export type Summary = { markdown: string; html: string };

/** `summary` left out keeps the post's current one (an import does not know it). */
export type PostFields = Omit<NewPost, 'createdBy' | 'now' | 'slug'>;

/** What the newsroom's post list and the home page's cards show beside each post. */
export type PostActivity = { entries: number; lastChangeAt: string | null };

/** The first image readers see in a post (its oldest live entry with one): the home page's card and the JSON-LD `image`. */
export type PostImage = { src: string; alt: string };

/** The first <img> of sanitized entry HTML (render/markdown.ts: every attribute quoted). */
function imageIn(html: string | undefined): PostImage | undefined {
  const tag = html && /<img\b[^>]*>/i.exec(html)?.[0];
  const src = tag && /\ssrc="([^"]*)"/i.exec(tag)?.[1];
  if (!tag || !src) return undefined;
  return { src: decodeAttribute(src), alt: decodeAttribute(/\salt="([^"]*)"/i.exec(tag)?.[1] ?? '') };
}

function toPost(row: PostRow, defaultLanguage: string): Post {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    summary: row.summary,
    summaryHtml: row.summary_html,
    status: row.status,
    startsAt: row.starts_at,
    endedAt: row.ended_at,
    timezone: row.timezone,
    language: row.language ?? defaultLanguage,
    languageIsDefault: row.language === null,
    tags: JSON.parse(row.tags) as string[],
    categories: JSON.parse(row.categories) as string[],
    coverImage: row.cover_image ?? null,
    version: row.version,
    lastSeq: row.last_seq,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * SQL for posts. The only place that reads or writes the posts table. `defaultLanguage` is the
 * site's DEFAULT_LANGUAGE: what a post without a language of its own (NULL) reads as.
 */
export class PostStore {
  private readonly statements;

  constructor(
    db: Db,
    private readonly defaultLanguage = 'en',
  ) {
    this.statements = {
      insert: db.prepare(`INSERT INTO posts (slug, title, description, summary, summary_html, status, starts_at, ended_at, timezone, language, tags, categories, created_by, created_at, updated_at)
        VALUES (@slug, @title, @description, @summary, @summaryHtml, @status, @startsAt, @endedAt, @timezone, @language, @tags, @categories, @createdBy, @now, @now) RETURNING *`),
      // `@drafts = 0` (every lookup but the *IncludingDrafts ones): a draft post does not exist.
      bySlug: db.prepare(`SELECT * FROM posts WHERE slug = @slug AND deleted_at IS NULL AND (@drafts = 1 OR status != 'draft')`),
      isDraft: db.prepare(`SELECT 1 FROM posts WHERE id = ? AND status = 'draft'`).pluck(),
      isPublic: db.prepare(`SELECT 1 FROM posts WHERE id = ? AND deleted_at IS NULL AND status != 'draft'`).pluck(),
      byId: db.prepare('SELECT * FROM posts WHERE id = ?'),
      activity: db.prepare(`SELECT
        (SELECT COUNT(*) FROM entries e WHERE e.post_id = p.id AND e.deleted_at IS NULL) AS entries,
        (SELECT c.created_at FROM changes c WHERE c.post_id = p.id AND c.seq = p.last_seq) AS last_change_at
        FROM posts p WHERE p.id = ?`),
      // Sanitized HTML (render/markdown.ts): an <img> keeps only src, alt, title, width and height, quoted.
      firstImageHtml: db.prepare(`SELECT html FROM entries WHERE post_id = ? AND deleted_at IS NULL AND instr(html, '<img') > 0
        ORDER BY created_at, id LIMIT 1`).pluck(),
      list: db.prepare(`SELECT * FROM posts WHERE deleted_at IS NULL AND (@status IS NULL OR status = @status) AND (@drafts = 1 OR status != 'draft')
        ORDER BY created_at DESC, id DESC LIMIT @limit`),
      update: db.prepare(`UPDATE posts SET title = @title, description = @description, summary = COALESCE(@summary, summary),
        summary_html = COALESCE(@summaryHtml, summary_html), status = @status, starts_at = @startsAt,
        ended_at = @endedAt, timezone = @timezone, language = @language, tags = @tags, categories = @categories, version = version + 1, updated_at = @now
        WHERE id = @id RETURNING *`),
      setCoverImage: db.prepare('UPDATE posts SET cover_image = ? WHERE id = ?'),
      // The pinned entry's image first (what the page shows on top), else the oldest entry's.
      pinnedImageHtml: db.prepare(`SELECT html FROM entries WHERE post_id = ? AND deleted_at IS NULL AND pinned = 1 AND instr(html, '<img') > 0 LIMIT 1`).pluck(),
      forgetOldSlug: db.prepare('DELETE FROM post_slug_history WHERE slug = ?'),
      rememberOldSlug: db.prepare(`INSERT INTO post_slug_history (slug, post_id, created_at) VALUES (?, ?, ?)
        ON CONFLICT (slug) DO UPDATE SET post_id = excluded.post_id, created_at = excluded.created_at`),
      setSlug: db.prepare('UPDATE posts SET slug = ? WHERE id = ?'),
      idBySlugOrFormer: db.prepare(
        `SELECT COALESCE((SELECT id FROM posts WHERE slug = @slug AND deleted_at IS NULL AND status != 'draft'),
          (SELECT h.post_id FROM post_slug_history h JOIN posts p ON p.id = h.post_id WHERE h.slug = @slug AND p.status != 'draft')) AS id`,
      ),
      lastSeq: db.prepare('SELECT last_seq FROM posts WHERE id = ?'),
      movedTo: db.prepare(`SELECT p.slug FROM post_slug_history h JOIN posts p ON p.id = h.post_id WHERE h.slug = @slug AND p.deleted_at IS NULL AND (@drafts = 1 OR p.status != 'draft')`),
      // The slug becomes one no URL can name (SLUG_PATTERN has no "~"), so the real one is free again.
      markDeleted: db.prepare(`UPDATE posts SET deleted_at = @now, updated_at = @now, slug = '~deleted-' || id, import_key = NULL WHERE id = @id AND deleted_at IS NULL`),
      forgetSlugs: db.prepare('DELETE FROM post_slug_history WHERE post_id = ?'),
    };
  }

  insert({ summary, ...post }: NewPost): Post {
    const row = this.statements.insert.get({
      ...post,
      summary: summary?.markdown ?? '',
      summaryHtml: summary?.html ?? '',
      tags: JSON.stringify(post.tags),
      categories: JSON.stringify(post.categories),
    });
    return this.toPost(row as PostRow);
  }

  /** The public post at `slug`: a draft post (issue 17) is not found, so a surface that forgets to ask gives a 404, never a leak. */
  bySlug(slug: string): Post | undefined {
    const row = this.statements.bySlug.get({ slug, drafts: 0 }) as PostRow | undefined;
    return row && this.toPost(row);
  }

  /** The post at `slug`, a draft too: for the newsroom's signed-in routes only. */
  bySlugIncludingDrafts(slug: string): Post | undefined {
    const row = this.statements.bySlug.get({ slug, drafts: 1 }) as PostRow | undefined;
    return row && this.toPost(row);
  }

  /** Whether the post is a draft (issue 17): its changes go to the newsroom's desks only (services/draft-post-gate.ts). */
  isDraft(id: number): boolean {
    return this.statements.isDraft.get(id) === 1;
  }

  /** Whether readers may know the post (not deleted, not a draft): for public routes that reach a post by an entry's or poll's id. */
  isPublic(id: number): boolean {
    return this.statements.isPublic.get(id) === 1;
  }

  /**
   * Any post by its id, drafts and deleted ones too: ids the server holds itself (a change, a
   * draft entry, a question). A public route that takes an id from its URL checks isPublic.
   */
  byId(id: number): Post | undefined {
    const row = this.statements.byId.get(id) as PostRow | undefined;
    return row && this.toPost(row);
  }

  /** The public posts, newest first: never a draft. */
  list(filter: { status?: PostStatus | undefined; limit: number }): Post[] {
    const rows = this.statements.list.all({ status: filter.status ?? null, limit: filter.limit, drafts: 0 }) as PostRow[];
    return rows.map((row) => this.toPost(row));
  }

  /** Every post, drafts too: the newsroom's lists. */
  listIncludingDrafts(filter: { status?: PostStatus | undefined; limit: number }): Post[] {
    const rows = this.statements.list.all({ status: filter.status ?? null, limit: filter.limit, drafts: 1 }) as PostRow[];
    return rows.map((row) => this.toPost(row));
  }

  /** Live entries and the time of the latest change (entry or post) of a post. */
  activity(id: number): PostActivity {
    const row = this.statements.activity.get(id) as { entries: number; last_change_at: string | null } | undefined;
    return { entries: row?.entries ?? 0, lastChangeAt: row?.last_change_at ?? null };
  }

  /** The first image of the post's oldest live entry that has one, as its sanitized HTML gives it. */
  firstImage(id: number): PostImage | undefined {
    return imageIn(this.statements.firstImageHtml.get(id) as string | undefined);
  }

  /** The first image of the post's pinned entry, if it has one. */
  pinnedImage(id: number): PostImage | undefined {
    return imageIn(this.statements.pinnedImageHtml.get(id) as string | undefined);
  }

  /** Sets (or, with null, clears) the post's cover image; inside the caller's transaction, before update(). */
  setCoverImage(id: number, url: string | null): void {
    this.statements.setCoverImage.run(url, id);
  }

  update(id: number, { summary, ...fields }: PostFields, now: string): Post {
    const row = this.statements.update.get({
      ...fields,
      id,
      now,
      summary: summary?.markdown ?? null,
      summaryHtml: summary?.html ?? null,
      tags: JSON.stringify(fields.tags),
      categories: JSON.stringify(fields.categories),
    });
    return this.toPost(row as PostRow);
  }

  /** Moves a post to a new slug and remembers the old one for redirects. */
  rename(id: number, oldSlug: string, newSlug: string, now: string): void {
    // A slug that is in use again no longer redirects elsewhere.
    this.statements.forgetOldSlug.run(newSlug);
    this.statements.setSlug.run(newSlug, id);
    this.statements.rememberOldSlug.run(oldSlug, id, now);
  }

  /** The post at `slug`, or the one that used to live there (a reader page opened before a rename). */
  bySlugOrFormer(slug: string): Post | undefined {
    const moved = this.bySlug(slug) ? undefined : this.movedTo(slug);
    return this.bySlug(moved ?? slug);
  }

  /** bySlugOrFormer, drafts too: the newsroom's. */
  bySlugOrFormerIncludingDrafts(slug: string): Post | undefined {
    const moved = this.bySlugIncludingDrafts(slug) ? undefined : this.movedToIncludingDrafts(slug);
    return this.bySlugIncludingDrafts(moved ?? slug);
  }

  /** bySlugOrFormer's id alone, in one query: what every subscribing reader asks (never a draft). */
  idBySlugOrFormer(slug: string): number | undefined {
    return (this.statements.idBySlugOrFormer.get({ slug }) as { id: number | null }).id ?? undefined;
  }

  lastSeq(id: number): number | undefined {
    return (this.statements.lastSeq.get(id) as { last_seq: number } | undefined)?.last_seq;
  }

  /** Deletes a post for every reader: no read finds it again, and its slug and former slugs are free. */
  markDeleted(id: number, now: string): void {
    this.statements.markDeleted.run({ id, now });
    this.statements.forgetSlugs.run(id);
  }

  private toPost(row: PostRow): Post {
    return toPost(row, this.defaultLanguage);
  }

  /** Where a public post that used to live at `slug` lives now. */
  movedTo(slug: string): string | undefined {
    return (this.statements.movedTo.get({ slug, drafts: 0 }) as { slug: string } | undefined)?.slug;
  }

  /** movedTo, drafts too: the newsroom's (and slug checks, which must see every post). */
  movedToIncludingDrafts(slug: string): string | undefined {
    return (this.statements.movedTo.get({ slug, drafts: 1 }) as { slug: string } | undefined)?.slug;
  }
}

/** An attribute value as the sanitizer wrote it (entities for &, <, >, "). */
function decodeAttribute(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_match, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[name] ?? '');
}
