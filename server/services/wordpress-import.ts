/**
 * Migration from WordPress: a WXR export (server/archive/wxr/) into posts, entries, revisions and
 * users. The file is read and planned in a worker; here each post is one transaction through the
 * same stores and change log as every other write (ArchiveService.writeImported for the post and
 * an ordinary post's entries), so a post that cannot go in is reported with its line and the
 * others still do. Re-importing the same file updates what it imported instead of adding to it.
 */
import { ArchiveFormatError } from '../archive/errors.js';
import type { ParsedEntry } from '../archive/jekyll.js';
import type { PlannedLiveEntry, PlannedPerson, PlannedPost, Skipped, WxrPlan } from '../archive/wxr/plan.js';
import { AppError } from '../domain/errors.js';
import { ArchiveStore } from '../store/archive.js';
import type { LoggedChange } from '../store/changes.js';
import { presentEntry, tombstoneOf } from '../store/entries.js';
import type { ArchiveService, ImportedPost } from './archives.js';
import { nowIso, type ServiceDeps } from './context.js';
import type { Actor, ImportResult } from '../../contract/index.js';

export interface WxrPlanner {
  plan(text: string, file: string): Promise<WxrPlan>;
}

/** What one WXR import did: the CLI prints it as a table. */
export type WxrSummary = {
  file: string;
  site: string;
  posts: { created: number; updated: number; unchanged: number };
  /** Entries of the imported posts readers see, and deleted ones kept for the newsroom. */
  entries: { visible: number; deleted: number };
  /** Revisions written by this import. */
  revisions: number;
  /** Authors of what this import wrote: new accounts (that cannot log in), and existing ones they were matched to. */
  users: { created: number; matched: number };
  results: ImportResult[];
  skipped: Skipped[];
};

export class WordPressImportService {
  private readonly archive: ArchiveStore;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly archives: ArchiveService,
    private readonly planner: WxrPlanner,
  ) {
    this.archive = new ArchiveStore(deps.stores.db);
  }

  async importWxr(file: string, text: string, actor: Actor | null): Promise<WxrSummary> {
    const plan = await this.planner.plan(text, file);
    const summary: WxrSummary = {
      file,
      site: plan.site,
      posts: { created: 0, updated: 0, unchanged: 0 },
      entries: { visible: 0, deleted: 0 },
      revisions: 0,
      users: { created: 0, matched: 0 },
      results: [],
      skipped: [...plan.skipped],
    };
    const users = new Set<number>();
    for (const planned of plan.posts) {
      try {
        const result = await this.importPost(file, planned, actor, summary, users);
        summary.results.push(result);
        summary.posts[result.action] += 1;
      } catch (error) {
        // A bad post, or one whose slug another post owns: report it, import the rest.
        if (error instanceof ArchiveFormatError) summary.skipped.push({ line: error.line, what: `post ${planned.wpId} "${planned.title}"`, reason: error.message, error: true });
        else if (error instanceof AppError && error.status === 409) summary.skipped.push({ line: planned.line, what: `post ${planned.wpId} "${planned.title}"`, reason: error.message.replace(`${file}: `, ''), error: true });
        else throw error;
      }
    }
    summary.skipped.sort((a, b) => a.line - b.line);
    return summary;
  }

  private async importPost(file: string, planned: PlannedPost, actor: Actor | null, summary: WxrSummary, users: Set<number>): Promise<ImportResult> {
    const { stores } = this.deps;
    // Render first (workers, async); the transaction below is synchronous.
    const bodies = planned.kind === 'post' ? planned.entries.map((entry) => entry.body) : planned.entries.map((entry) => entry.versions.at(-1)!.body);
    const htmls: string[] = [];
    for (const body of bodies) htmls.push(await this.archives.renderForImport(file, { body, line: planned.line }));
    const revisionsBefore = this.revisionCount();
    const { result, changes } = stores.db.transaction(() => {
      const now = nowIso(this.deps);
      const userOf = (person: PlannedPerson | null) => (person ? this.userFor(person, now, summary, users) : null);
      const postAuthor = userOf(planned.author);
      const visible = planned.kind === 'liveblog' ? planned.entries.filter((entry) => entry.deletedAt === null) : planned.entries;
      const imported: ImportedPost = {
        title: planned.title,
        slug: planned.slug,
        description: planned.description,
        status: planned.status,
        timezone: planned.timezone,
        language: null,
        summary: null,
        noStart: false,
        endedAt: planned.status === 'ended' ? (visible.at(-1)?.createdAt ?? planned.startsAt) : null,
        startsAt: planned.startsAt,
        offsetMinutes: 0,
        tags: planned.tags,
        categories: planned.categories,
        importKey: planned.importKey,
        frontMatter: planned.frontMatter,
        entries: planned.kind === 'post' ? planned.entries.map((entry: ParsedEntry) => ({ ...entry, authorId: postAuthor })) : [],
      };
      const written = this.archives.writeImported(file, imported, planned.kind === 'post' ? htmls : [], undefined, actor, planned.kind === 'post');
      const changes = [...written.changes];
      if (planned.kind === 'liveblog') {
        changes.push(...this.writeLiveEntries(written.post.id, planned.entries, htmls, userOf, actor, now));
        if (written.result.action === 'unchanged' && changes.length > 0) written.result.action = 'updated';
      }
      return { result: { ...written.result, entries: visible.length }, changes };
    })();
    for (const change of changes) this.deps.publisher.publish(change);
    summary.entries.visible += result.entries;
    if (planned.kind === 'liveblog') summary.entries.deleted += planned.entries.length - result.entries;
    summary.revisions += this.revisionCount() - revisionsBefore;
    return result;
  }

  /**
   * A liveblog's entries: a new one with its whole history (and, when its last word in WordPress
   * was a deletion, deleted: never published, kept for the newsroom); one imported before is
   * updated when its final state changed. Entries written in Liveline since are left alone.
   */
  private writeLiveEntries(
    postId: number,
    entries: PlannedLiveEntry[],
    htmls: string[],
    userOf: (person: PlannedPerson | null) => number | null,
    actor: Actor | null,
    now: string,
  ): LoggedChange[] {
    const { stores } = this.deps;
    const actorId = actor?.id ?? null;
    const known = this.archive.entriesByFirstRevision(postId);
    const seen = new Map<string, number>();
    const changes: LoggedChange[] = [];
    entries.forEach((entry, index) => {
      const first = entry.versions[0]!;
      const ordinal = seen.get(first.at) ?? 0;
      seen.set(first.at, ordinal + 1);
      const final = entry.versions.at(-1)!;
      const html = htmls[index]!;
      const existingId = known.get(`${first.at}#${ordinal}`);
      if (existingId === undefined) {
        const authorId = userOf(entry.author);
        const created = stores.entries.insert({ postId, authorId, body: final.body, html, keyEvent: final.keyEvent, createdAt: entry.createdAt, now: first.at });
        this.archive.writeHistory(
          created.id,
          entry.versions.map((version, i) => ({ version: i + 1, action: i === 0 ? 'created' : 'updated', body: version.body, keyEvent: version.keyEvent, shownAt: entry.createdAt, at: version.at, actorId: authorId })),
          actorId,
        );
        if (entry.deletedAt !== null) {
          const deleted = stores.entries.softDelete(created.id, authorId, entry.deletedAt);
          stores.entries.recordRevision(deleted, 'deleted', authorId, entry.deletedAt);
        } else {
          changes.push(stores.changes.append(postId, { type: 'entry.created', entry: presentEntry(stores.entries.byId(created.id)!) }, actorId, now));
        }
        return;
      }
      const current = stores.entries.byId(existingId)!;
      if (current.deletedAt !== null) return; // deleted here or there: never brought back by an import
      if (entry.deletedAt !== null) {
        const deleted = stores.entries.softDelete(current.id, actorId, now);
        stores.entries.recordRevision(deleted, 'deleted', actorId, now);
        changes.push(stores.changes.append(postId, { type: 'entry.deleted', entry: tombstoneOf(deleted, now) }, actorId, now));
      } else if (current.body !== final.body || current.keyEvent !== final.keyEvent) {
        const updated = stores.entries.update(current.id, { body: final.body, html, keyEvent: final.keyEvent, createdAt: current.createdAt }, now);
        stores.entries.recordRevision(updated, 'updated', actorId, now);
        changes.push(stores.changes.append(postId, { type: 'entry.updated', entry: presentEntry(updated) }, actorId, now));
      }
    });
    return changes;
  }

  /**
   * The account of a WordPress author: the user with their e-mail address if there is one (an
   * admin may have created it first), else the one with their name, else a new author account
   * that cannot log in (no e-mail or password kept, disabled).
   */
  private userFor(person: PlannedPerson, now: string, summary: WxrSummary, users: Set<number>): number {
    const byEmail = person.email ? this.deps.stores.users.credentials(person.email) : undefined;
    const { id, created } = byEmail ? { id: byEmail.id, created: false } : this.archive.userForByline(person.name, now);
    if (!users.has(id)) {
      users.add(id);
      if (created) summary.users.created += 1;
      else summary.users.matched += 1;
    }
    return id;
  }

  private revisionCount(): number {
    return this.archive.revisionCount();
  }
}
