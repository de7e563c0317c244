import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ArchiveFormatError } from '../archive/errors.js';
import { formatHtmlArchive } from '../archive/html-archive.js';
import type { EntryFields } from '../archive/entry-header.js';
import { formatJekyll, type ParsedEntry, type ParsedPost } from '../archive/jekyll.js';
import { toJsonArchive } from '../archive/json-archive.js';
import { isWxr } from '../archive/wxr/parse.js';
import { errors } from '../domain/errors.js';
import { RenderError } from '../render/markdown.js';
import { CLIENT_DIST } from '../render/assets.js';
import { ArchiveStore } from '../store/archive.js';
import { PollStore } from '../store/polls.js';
import type { LoggedChange } from '../store/changes.js';
import type { Summary } from '../store/posts.js';
import { presentEntry, tombstoneOf } from '../store/entries.js';
import type { MetaFields } from '../store/entry-meta.js';
import { nowIso, type ServiceDeps } from './context.js';
import type { Audience } from './posts.js';
import { jsonArchive, type Actor, type Change, type Claim, type ImportResult, type JsonArchive, type Post, type StoredEntry } from '../../contract/index.js';

/** Everything there is to know about one post, newest state, for exports. */
const ALL = Number.MAX_SAFE_INTEGER;
const RENDER_ATTEMPTS = 4;

/**
 * Use cases of archives. An import writes through the same stores as every other write: one
 * transaction per file (post, entries, revisions and change-log rows with contiguous seq), then
 * the changes are published, so readers of a running server see an imported post like any other.
 */
export class ArchiveService {
  private readonly archive: ArchiveStore;

  constructor(private readonly deps: ServiceDeps) {
    this.archive = new ArchiveStore(deps.stores.db);
  }

  /** A Jekyll/WordPress Markdown file, or a JSON archive (by extension or content). */
  async importFile(file: string, text: string, actor: Actor | null): Promise<ImportResult> {
    if (file.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{')) {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (error) {
        throw new ArchiveFormatError(file, 1, `not valid JSON: ${(error as Error).message}`);
      }
      return await this.importJson(file, data);
    }
    if (isWxr(text)) throw new ArchiveFormatError(file, 1, 'this is a WordPress export (WXR): import it with `liveline import FILE`');
    // Never parseJekyll here: reading a file is super-linear on hostile input, so it runs in a worker.
    return this.importJekyll(file, await this.deps.importParser.parse(text, file), actor);
  }

  async importJekyll(file: string, parsedFile: ParsedPost, actor: Actor | null): Promise<ImportResult> {
    // Timeline order (stable: same-time entries keep file order), the order entries are read back in.
    const parsed = { ...parsedFile, entries: [...parsedFile.entries].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) };
    // Render first (in workers, async); the transaction below is synchronous.
    const htmls: string[] = [];
    for (const entry of parsed.entries) htmls.push(await this.renderForImport(file, entry));
    const summary = parsed.summary === null ? undefined : { markdown: parsed.summary, html: parsed.summary.trim() ? await this.renderForImport(file, { body: parsed.summary, line: 1 }) : '' };
    const { result, changes } = this.deps.stores.db.transaction(() => this.writeImported(file, parsed, htmls, summary, actor))();
    for (const change of changes) this.deps.publisher.publish(change);
    return result;
  }

  /**
   * One imported post, in the caller's transaction: create it or update the post this import
   * created before. Shared by Markdown and WordPress imports.
   */
  writeImported(
    file: string,
    parsed: ImportedPost,
    htmls: string[],
    summary: Summary | undefined,
    actor: Actor | null,
    /** false: the post's fields only; the caller writes its entries (WordPress liveblog entries). */
    pairEntries = true,
  ): { result: ImportResult; changes: LoggedChange[]; post: Post } {
    const { stores } = this.deps;
    const now = nowIso(this.deps);
    const actorId = actor?.id ?? null;
    const lastEntry = parsed.entries.at(-1);
    const fields = {
      title: parsed.title,
      description: parsed.description,
      status: parsed.status,
      startsAt: parsed.noStart ? null : parsed.startsAt,
      endedAt: parsed.status === 'ended' ? (parsed.endedAt ?? lastEntry?.createdAt ?? parsed.startsAt) : null,
      timezone: parsed.timezone,
      language: parsed.language,
      tags: parsed.tags,
      categories: parsed.categories,
    };
    const changes: LoggedChange[] = [];
    const existing = this.findImported(file, parsed);
    const post = existing ?? stores.posts.insert({ ...fields, summary, slug: parsed.slug, createdBy: actorId, now });
    if (existing && (postDiffers(existing, fields) || (summary !== undefined && summary.markdown !== existing.summary))) {
      const updated = stores.posts.update(existing.id, { ...fields, summary }, now);
      changes.push(stores.changes.append(existing.id, { type: 'post.updated', post: updated }, actorId, now));
    }
    this.archive.setMeta(post.id, parsed.frontMatter, parsed.importKey);
    const authorOf = (entry: ImportedEntry): number | null => (entry.authorId !== undefined ? entry.authorId : entry.author ? this.archive.userForByline(entry.author, now).id : null);

    // Pair the post's entries with the file's, in timeline order: same → nothing, different →
    // an edit (with its revision), extra in the file → new entries, missing from it → deletions.
    if (!pairEntries) return { result: { file, slug: post.slug, action: !existing ? 'created' : changes.length ? 'updated' : 'unchanged', entries: 0 }, changes, post };
    const current = existing ? stores.entries.latest(post.id, ALL) : [];
    const kept: { id: number; pinned: boolean }[] = [];
    parsed.entries.forEach((entry, index) => {
      const html = htmls[index]!;
      const before = current[index];
      if (!before) {
        const created = stores.entries.insert({ postId: post.id, authorId: authorOf(entry), body: entry.body, html, keyEvent: entry.keyEvent, createdAt: entry.createdAt, now: entry.revisions?.[0]?.at ?? now });
        if (hasMeta(entry)) stores.entryMeta.set(created.id, this.metaFields(entry, created.author?.id ?? null, now));
        this.recordImportedHistory(created, entry, actorId, now);
        changes.push(stores.changes.append(post.id, { type: 'entry.created', entry: presentEntry(stores.entries.byId(created.id)!) }, actorId, now));
        kept.push({ id: created.id, pinned: entry.pinned });
      } else {
        const meta = this.metaFields(entry, before.author?.id ?? null, now);
        const metaChanged = !sameMeta(before, meta);
        if (before.body !== entry.body || before.createdAt !== entry.createdAt || before.keyEvent !== entry.keyEvent || metaChanged) {
          let updated = stores.entries.update(before.id, { body: entry.body, html, keyEvent: entry.keyEvent, createdAt: entry.createdAt }, now);
          if (metaChanged) {
            stores.entryMeta.set(before.id, meta);
            updated = stores.entries.byId(before.id)!;
          }
          stores.entries.recordRevision(updated, 'updated', actorId, now);
          changes.push(stores.changes.append(post.id, { type: 'entry.updated', entry: presentEntry(updated) }, actorId, now));
        }
        kept.push({ id: before.id, pinned: entry.pinned });
      }
    });
    for (const gone of current.slice(parsed.entries.length)) {
      const deleted = stores.entries.softDelete(gone.id, actorId, now);
      stores.entries.recordRevision(deleted, 'deleted', actorId, now);
      changes.push(stores.changes.append(post.id, { type: 'entry.deleted', entry: tombstoneOf(deleted, now) }, actorId, now));
    }
    // Pins last, unpinning first: a post has one pinned entry (a unique index says so).
    const wanted = kept.find((entry) => entry.pinned)?.id;
    const pinnedNow = stores.entries.pinnedIn(post.id);
    if (pinnedNow && pinnedNow.id !== wanted) {
      const unpinned = stores.entries.setPinned(pinnedNow.id, false, now);
      stores.entries.recordRevision(unpinned, 'unpinned', actorId, now);
      changes.push(stores.changes.append(post.id, { type: 'entry.updated', entry: presentEntry(unpinned) }, actorId, now));
    }
    if (wanted !== undefined && pinnedNow?.id !== wanted) {
      const pinned = stores.entries.setPinned(wanted, true, now);
      stores.entries.recordRevision(pinned, 'pinned', actorId, now);
      changes.push(stores.changes.append(post.id, { type: 'entry.updated', entry: presentEntry(pinned) }, actorId, now));
    }
    const action: ImportResult['action'] = !existing ? 'created' : changes.length ? 'updated' : 'unchanged';
    return { result: { file, slug: post.slug, action, entries: parsed.entries.length }, changes, post };
  }

  /**
   * A new entry's revisions: one `created`, or, for an entry that arrives with its history (a
   * WordPress liveblog entry and its edits), each earlier version as it was then, the last one
   * being the entry as it is now.
   */
  /**
   * The newsroom fields (issue 17) a Markdown file gave an entry, people looked up by the name
   * their byline shows (or created, unable to sign in, like bylines). The byline stays the one
   * the entry has: `author` decides it on import, as before.
   */
  private metaFields(entry: ImportedEntry, authorId: number | null, now: string): MetaFields {
    return {
      headline: entry.headline ?? null,
      authorId,
      coAuthors: entry.coAuthors.map((name) => this.archive.userForByline(name, now).id).filter((id) => id !== authorId),
      location: entry.location ?? null,
      tags: entry.tags,
      claim: (entry.claim as Claim | null) ?? null,
      correction: entry.correctionNote !== null && entry.correctedAt !== null ? { note: entry.correctionNote, at: entry.correctedAt } : null,
    };
  }

  private recordImportedHistory(created: StoredEntry, entry: ImportedEntry, actorId: number | null, now: string): void {
    const { entries } = this.deps.stores;
    const history = entry.revisions ?? [];
    if (history.length <= 1) {
      entries.recordRevision(created, 'created', actorId, history[0]?.at ?? now);
      return;
    }
    this.archive.writeHistory(created.id, history.map((version, index) => ({ ...version, version: index + 1, action: index === 0 ? 'created' : 'updated', shownAt: entry.createdAt })), actorId);
  }

  /**
   * A JSON archive keeps its ids, so it restores identically into a database that lacks them.
   * Stored HTML is never trusted from a file: every entry (and every entry inside the change log)
   * is rendered again from its Markdown; with the same renderer that gives the same bytes.
   */
  async importJson(file: string, data: unknown): Promise<ImportResult> {
    const parsed = jsonArchive.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ArchiveFormatError(file, 1, `not a Liveline JSON archive: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const archive = await this.rerender(file, parsed.data);
    const { db, posts, changes } = this.deps.stores;
    try {
      db.transaction(() => {
        if (posts.bySlugIncludingDrafts(archive.post.slug) || this.archive.anyIdTaken('posts', [archive.post.id])) {
          throw new ArchiveFormatError(file, 1, `the post "${archive.post.slug}" (id ${archive.post.id}) already exists; JSON archives restore into a database without it (use the jekyll format to merge)`);
        }
        if (this.archive.anyIdTaken('entries', archive.entries.map((e) => e.id)) || this.archive.anyIdTaken('entry_revisions', archive.revisions.map((r) => r.id))) {
          throw new ArchiveFormatError(file, 1, 'entry or revision ids of this archive are already used in this database; restore it into an empty database');
        }
        const missingUsers = archive.users.filter((user) => {
          const existing = this.archive.userById(user.id);
          if (existing && existing.name !== user.name) {
            throw new ArchiveFormatError(file, 1, `user ${user.id} is "${String(existing.name)}" here but "${user.name}" in the archive; restore it into an empty database`);
          }
          return !existing;
        });
        this.archive.insertRows('users', missingUsers);
        this.archive.insertRows('posts', [archive.post]);
        this.archive.insertRows('entries', archive.entries);
        this.archive.insertRows('entry_revisions', archive.revisions);
        this.archive.insertRows('user_profiles', archive.profiles ?? []);
        changes.restore(archive.changes);
      })();
    } catch (error) {
      // A foreign key or unique clash the checks above did not foresee (a user's e-mail, say).
      if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT')) {
        throw new ArchiveFormatError(file, 1, `the archive clashes with this database (${error.message}); restore it into an empty database`);
      }
      throw error;
    }
    return { file, slug: archive.post.slug, action: 'created', entries: archive.entries.filter((e) => e.deleted_at === null).length };
  }

  private async rerender(file: string, archive: JsonArchive): Promise<JsonArchive> {
    const rendered = new Map<string, string>();
    const render = async (body: string, line: number) => {
      const known = rendered.get(body);
      if (known !== undefined) return known;
      const html = await this.renderForImport(file, { body, line });
      rendered.set(body, html);
      return html;
    };
    // The post's summary ("What we know") is Markdown too: its HTML is never taken from the file either.
    const summaryHtml = async (markdown: string | undefined) => (markdown?.trim() ? await render(markdown, 1) : '');
    const post = { ...archive.post, summary_html: await summaryHtml(archive.post.summary) };
    const entries = [];
    for (const entry of archive.entries) entries.push({ ...entry, html: await render(entry.body, 1) });
    const changes = [];
    for (const change of archive.changes) {
      const payload = JSON.parse(change.payload) as Change;
      if (payload.type === 'entry.created' || payload.type === 'entry.updated') {
        const html = await render(payload.entry.body, 1);
        // Only a changed HTML is written back, so an untouched payload keeps its exact bytes.
        if (html !== payload.entry.html) {
          changes.push({ ...change, payload: JSON.stringify({ ...payload, entry: { ...payload.entry, html } }) });
          continue;
        }
      }
      if (payload.type === 'post.updated') {
        const html = await summaryHtml(payload.post.summary);
        if (html !== payload.post.summaryHtml) {
          changes.push({ ...change, payload: JSON.stringify({ ...payload, post: { ...payload.post, summaryHtml: html } }) });
          continue;
        }
      }
      changes.push(change);
    }
    return { ...archive, post, entries, changes };
  }

  /** `audience` 'newsroom': the CLI's export (the operator's), a draft post too; the public `.md` route asks as the public. */
  exportJekyll(slug: string, audience: Audience = 'public'): string {
    const { post, entries } = this.visible(slug, audience);
    return formatJekyll(
      { ...post, language: post.languageIsDefault ? null : post.language },
      this.archive.meta(post.id).frontMatter,
      entries.map((entry) => ({ body: entry.body, createdAt: entry.createdAt, keyEvent: entry.keyEvent, pinned: entry.pinned, author: entry.author?.name ?? null, ...headerMeta(entry) })),
    );
  }

  exportJson(slug: string, audience: Audience = 'public'): JsonArchive {
    const post = this.post(slug, audience);
    // Poll results are exported (issue 19); reactions are counts nobody asked to keep, questions personal data.
    const polls = new PollStore(this.deps.stores.db).results(post.id);
    return toJsonArchive({ ...this.archive.dump(post.id), ...(polls.length ? { polls } : {}) }, nowIso(this.deps));
  }

  exportHtml(slug: string, audience: Audience = 'public'): string {
    const { post, entries } = this.visible(slug, audience);
    return formatHtmlArchive(post, entries.map(presentEntry), readStyles(), nowIso(this.deps), new PollStore(this.deps.stores.db).results(post.id));
  }

  /**
   * The render budget counts time queued behind other renders, and a batch import queues many on a
   * busy machine: a timeout is retried before the entry counts as unrenderable.
   */
  async renderForImport(file: string, entry: { body: string; line: number }): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.deps.renderer.render(entry.body);
      } catch (error) {
        if (error instanceof RenderError && error.reason === 'timeout' && attempt < RENDER_ATTEMPTS) {
          // A timed-out worker is replaced; give the new one time to start before queueing again.
          await delay(500 * 2 ** attempt);
          continue;
        }
        if (error instanceof RenderError) throw new ArchiveFormatError(file, entry.line, error.message);
        throw error;
      }
    }
  }

  /**
   * The post a file re-imports into: only one this same import created (its import key: the
   * wordpress_id, else the slug it was first imported under). A post made in the newsroom, or by
   * another file, is never rewritten by an import that happens to share its title or slug.
   */
  private findImported(file: string, parsed: Pick<ParsedPost, 'importKey' | 'slug'>): Post | undefined {
    const { posts } = this.deps.stores;
    const byKey = this.archive.idByImportKey(parsed.importKey);
    if (byKey !== undefined) return posts.byId(byKey);
    if (posts.bySlugIncludingDrafts(parsed.slug) || posts.movedToIncludingDrafts(parsed.slug)) {
      throw errors.conflict('slug-taken', `${file}: the slug "${parsed.slug}" is taken by another post; give this file another slug`, { file, slug: parsed.slug });
    }
    return undefined;
  }

  private post(slug: string, audience: Audience): Post {
    const { posts } = this.deps.stores;
    const post = audience === 'newsroom' ? posts.bySlugIncludingDrafts(slug) : posts.bySlug(slug);
    if (!post) throw errors.notFound(`The post "${slug}"`);
    return post;
  }

  private visible(slug: string, audience: Audience): { post: Post; entries: StoredEntry[] } {
    const post = this.post(slug, audience);
    return { post, entries: this.deps.stores.entries.latest(post.id, ALL) };
  }
}

/** An entry to import: fields of a Markdown file, or a WordPress entry with its author and history resolved. */
export type ImportedEntry = ParsedEntry & {
  /** Already resolved to a user (WordPress authors); else `author` is a byline looked up by name. */
  authorId?: number | null;
  /** Earlier versions, oldest first, the last being the entry as it is now (`at`: when it was saved). */
  revisions?: { body: string; keyEvent: boolean; at: string; actorId?: number | null }[];
};
export type ImportedPost = Omit<ParsedPost, 'entries'> & { entries: ImportedEntry[] };

type PostFields = Pick<Post, 'title' | 'description' | 'status' | 'startsAt' | 'endedAt' | 'timezone' | 'tags' | 'categories'> & { language: string | null };

function postDiffers(post: Post, fields: PostFields): boolean {
  const { language, ...rest } = fields;
  if (language !== (post.languageIsDefault ? null : post.language)) return true;
  return (Object.keys(rest) as (keyof typeof rest)[]).some((key) => JSON.stringify(post[key]) !== JSON.stringify(rest[key]));
}

/** The built stylesheet, inlined into HTML archives; a plain fallback before `npm run build`. */
function readStyles(): string {
  const manifestPath = join(CLIENT_DIST, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
    const file = manifest['styles.css'];
    if (file && existsSync(join(CLIENT_DIST, file))) return readFileSync(join(CLIENT_DIST, file), 'utf8');
  }
  return 'body{font-family:system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:1rem;line-height:1.55}';
}

/** An entry's newsroom fields as a Jekyll header writes them: people by the names their bylines show. */
function headerMeta(entry: StoredEntry): Partial<EntryFields> {
  return {
    coAuthors: (entry.authors ?? []).slice(1).map((person) => person.name),
    headline: entry.headline ?? null,
    location: entry.location ?? null,
    tags: entry.tags ?? [],
    claim: entry.claim ?? null,
    correctionNote: entry.correction?.note ?? null,
    correctedAt: entry.correction?.at ?? null,
  };
}

/** Whether a file gave an entry any newsroom field (most plain posts give none). */
function hasMeta(entry: ImportedEntry): boolean {
  return Boolean(entry.headline || entry.location || entry.claim || entry.correctionNote || entry.coAuthors.length || entry.tags.length);
}

/** Whether an entry already has these fields (the byline aside: import never changes it). */
function sameMeta(entry: StoredEntry, meta: MetaFields): boolean {
  const coAuthors = (entry.authors ?? []).slice(1).map((person) => person.id);
  return (
    (entry.headline ?? null) === meta.headline &&
    (entry.location ?? null) === meta.location &&
    (entry.claim ?? null) === meta.claim &&
    JSON.stringify(entry.tags ?? []) === JSON.stringify(meta.tags) &&
    JSON.stringify(coAuthors) === JSON.stringify(meta.coAuthors) &&
    JSON.stringify(entry.correction ?? null) === JSON.stringify(meta.correction)
  );
}
