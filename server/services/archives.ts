import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ArchiveFormatError } from '../archive/errors.js';
import { formatHtmlArchive } from '../archive/html-archive.js';
import { formatJekyll, type ParsedPost } from '../archive/jekyll.js';
import { toJsonArchive } from '../archive/json-archive.js';
import { errors } from '../domain/errors.js';
import { RenderError } from '../render/markdown.js';
import { CLIENT_DIST } from '../render/assets.js';
import { ArchiveStore } from '../store/archive.js';
import { PollStore } from '../store/polls.js';
import type { LoggedChange } from '../store/changes.js';
import { presentEntry, tombstoneOf } from '../store/entries.js';
import { nowIso, type ServiceDeps } from './context.js';
import { jsonArchive, type Actor, type Change, type ImportResult, type JsonArchive, type Post, type StoredEntry } from '../../contract/index.js';

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
    // Never parseJekyll here: reading a file is super-linear on hostile input, so it runs in a worker.
    return this.importJekyll(file, await this.deps.importParser.parse(text, file), actor);
  }

  async importJekyll(file: string, parsedFile: ParsedPost, actor: Actor | null): Promise<ImportResult> {
    // Timeline order (stable: same-time entries keep file order), the order entries are read back in.
    const parsed = { ...parsedFile, entries: [...parsedFile.entries].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) };
    // Render first (in workers, async); the transaction below is synchronous.
    const htmls: string[] = [];
    for (const entry of parsed.entries) htmls.push(await this.renderForImport(file, entry));
    const { stores } = this.deps;
    const now = nowIso(this.deps);
    const actorId = actor?.id ?? null;
    const lastEntry = parsed.entries.at(-1);
    const fields = {
      title: parsed.title,
      description: parsed.description,
      status: parsed.status,
      startsAt: parsed.startsAt,
      endedAt: parsed.status === 'ended' ? (lastEntry?.createdAt ?? parsed.startsAt) : null,
      timezone: parsed.timezone,
      language: parsed.language,
      tags: parsed.tags,
      categories: parsed.categories,
    };
    const { result, changes } = stores.db.transaction(() => {
      const changes: LoggedChange[] = [];
      const existing = this.findImported(file, parsed);
      const post =
        existing ??
        stores.posts.insert({ ...fields, slug: parsed.slug, createdBy: actorId, now });
      if (existing && postDiffers(existing, fields)) {
        const updated = stores.posts.update(existing.id, fields, now);
        changes.push(stores.changes.append(existing.id, { type: 'post.updated', post: updated }, actorId, now));
      }
      this.archive.setMeta(post.id, parsed.frontMatter, parsed.importKey);

      // Pair the post's entries with the file's, in timeline order: same → nothing, different →
      // an edit (with its revision), extra in the file → new entries, missing from it → deletions.
      const current = existing ? stores.entries.latest(post.id, ALL) : [];
      parsed.entries.forEach((entry, index) => {
        const html = htmls[index]!;
        const before = current[index];
        if (!before) {
          const created = stores.entries.insert({ postId: post.id, authorId: null, body: entry.body, html, keyEvent: false, createdAt: entry.createdAt, now });
          stores.entries.recordRevision(created, 'created', actorId, now);
          changes.push(stores.changes.append(post.id, { type: 'entry.created', entry: presentEntry(created) }, actorId, now));
        } else if (before.body !== entry.body || before.createdAt !== entry.createdAt) {
          const updated = stores.entries.update(before.id, { body: entry.body, html, keyEvent: before.keyEvent, createdAt: entry.createdAt }, now);
          stores.entries.recordRevision(updated, 'updated', actorId, now);
          changes.push(stores.changes.append(post.id, { type: 'entry.updated', entry: presentEntry(updated) }, actorId, now));
        }
      });
      for (const gone of current.slice(parsed.entries.length)) {
        const deleted = stores.entries.softDelete(gone.id, actorId, now);
        stores.entries.recordRevision(deleted, 'deleted', actorId, now);
        changes.push(stores.changes.append(post.id, { type: 'entry.deleted', entry: tombstoneOf(deleted, now) }, actorId, now));
      }
      const action: ImportResult['action'] = !existing ? 'created' : changes.length ? 'updated' : 'unchanged';
      return { result: { file, slug: post.slug, action, entries: parsed.entries.length }, changes };
    })();
    for (const change of changes) this.deps.publisher.publish(change);
    return result;
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
        if (posts.bySlug(archive.post.slug) || this.archive.anyIdTaken('posts', [archive.post.id])) {
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

  exportJekyll(slug: string): string {
    const { post, entries } = this.visible(slug);
    return formatJekyll({ ...post, language: post.languageIsDefault ? null : post.language }, this.archive.meta(post.id).frontMatter, entries);
  }

  exportJson(slug: string): JsonArchive {
    const post = this.post(slug);
    // Poll results are exported (issue 19); reactions are counts nobody asked to keep, questions personal data.
    const polls = new PollStore(this.deps.stores.db).results(post.id);
    return toJsonArchive({ ...this.archive.dump(post.id), ...(polls.length ? { polls } : {}) }, nowIso(this.deps));
  }

  exportHtml(slug: string): string {
    const { post, entries } = this.visible(slug);
    return formatHtmlArchive(post, entries.map(presentEntry), readStyles(), nowIso(this.deps), new PollStore(this.deps.stores.db).results(post.id));
  }

  /**
   * The render budget counts time queued behind other renders, and a batch import queues many on a
   * busy machine: a timeout is retried before the entry counts as unrenderable.
   */
  private async renderForImport(file: string, entry: { body: string; line: number }): Promise<string> {
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
  private findImported(file: string, parsed: ParsedPost): Post | undefined {
    const { posts } = this.deps.stores;
    const byKey = this.archive.idByImportKey(parsed.importKey);
    if (byKey !== undefined) return posts.byId(byKey);
    if (posts.bySlug(parsed.slug) || posts.movedTo(parsed.slug)) {
      throw errors.conflict('slug-taken', `${file}: the slug "${parsed.slug}" is taken by another post; give this file another slug`, { file, slug: parsed.slug });
    }
    return undefined;
  }

  private post(slug: string): Post {
    const post = this.deps.stores.posts.bySlug(slug);
    if (!post) throw errors.notFound(`The post "${slug}"`);
    return post;
  }

  private visible(slug: string): { post: Post; entries: StoredEntry[] } {
    const post = this.post(slug);
    return { post, entries: this.deps.stores.entries.latest(post.id, ALL) };
  }
}

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
