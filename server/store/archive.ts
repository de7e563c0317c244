import type { PostDump, Row } from '../../contract/index.js';
import type { Db } from '../db/connection.js';


/** SQL for archives: a post's import key and original front matter, and whole-post dumps and restores. */
export class ArchiveStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      idByImportKey: db.prepare('SELECT id FROM posts WHERE import_key = ? AND deleted_at IS NULL'),
      meta: db.prepare('SELECT front_matter, import_key FROM posts WHERE id = ?'),
      setMeta: db.prepare('UPDATE posts SET front_matter = ?, import_key = ? WHERE id = ?'),
      // The columns of the archive's post row (contract/archive.ts); a deleted post is never exported.
      post: db.prepare(`SELECT id, slug, title, description, status, starts_at, ended_at, timezone, language, tags, categories, version, last_seq,
        created_by, created_at, updated_at, front_matter, import_key, summary, summary_html, cover_image FROM posts WHERE id = ?`),
      entries: db.prepare('SELECT * FROM entries WHERE post_id = ? ORDER BY id'),
      revisions: db.prepare(`SELECT r.* FROM entry_revisions r JOIN entries e ON e.id = r.entry_id WHERE e.post_id = ? ORDER BY r.id`),
      changes: db.prepare('SELECT post_id, seq, type, payload, created_at, actor_id FROM changes WHERE post_id = ? ORDER BY seq'),
      user: db.prepare('SELECT id, name, email, role, created_at, disabled_at FROM users WHERE id = ?'),
      profiles: db.prepare('SELECT user_id, display_name, job_title, avatar, updated_at FROM user_profiles WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id'),
      historyRevision: db.prepare(`INSERT INTO entry_revisions (entry_id, version, action, body, key_event, shown_at, actor_id, created_at)
        VALUES (@entryId, @version, @action, @body, @keyEvent, @shownAt, @actorId, @at)`),
      historyDone: db.prepare('UPDATE entries SET version = @version, updated_at = @at WHERE id = @entryId'),
      firstRevisions: db.prepare(`SELECT e.id, r.created_at FROM entries e JOIN entry_revisions r ON r.entry_id = e.id AND r.version = 1
        WHERE e.post_id = ? ORDER BY e.id`),
      revisionCount: db.prepare('SELECT count(*) AS n FROM entry_revisions'),
      // The name a byline shows (the profile's display name, else the account's), as an export writes it.
      userByName: db.prepare(`SELECT u.id FROM users u LEFT JOIN user_profiles p ON p.user_id = u.id
        WHERE COALESCE(p.display_name, u.name) = ? ORDER BY u.id LIMIT 1`),
      insertImportedUser: db.prepare(`INSERT INTO users (name, email, role, password_hash, created_at, disabled_at)
        VALUES (@name, NULL, 'author', NULL, @now, @now) RETURNING id`),
    };
  }

  idByImportKey(key: string): number | undefined {
    return (this.statements.idByImportKey.get(key) as { id: number } | undefined)?.id;
  }

  meta(postId: number): { frontMatter: Record<string, unknown>; importKey: string | null } {
    const row = this.statements.meta.get(postId) as { front_matter: string; import_key: string | null };
    return { frontMatter: JSON.parse(row.front_matter) as Record<string, unknown>, importKey: row.import_key };
  }

  setMeta(postId: number, frontMatter: Record<string, unknown>, importKey: string): void {
    this.statements.setMeta.run(JSON.stringify(frontMatter), importKey, postId);
  }

  /** Every row of a post, and the users those rows point at (never their tokens). */
  dump(postId: number): PostDump {
    const post = this.statements.post.get(postId) as Row;
    const entries = this.statements.entries.all(postId) as Row[];
    const revisions = this.statements.revisions.all(postId) as Row[];
    const changes = this.statements.changes.all(postId) as Row[];
    const userIds = new Set<number>();
    const add = (value: unknown) => typeof value === 'number' && userIds.add(value);
    add(post.created_by);
    for (const entry of entries) [entry.author_id, entry.deleted_by].forEach(add);
    // Co-authors (migration 0013) are users the entry points at too.
    for (const entry of entries) (JSON.parse(typeof entry.co_authors === 'string' ? entry.co_authors : '[]') as unknown[]).forEach(add);
    for (const revision of revisions) add(revision.actor_id);
    for (const change of changes) add(change.actor_id);
    const users = [...userIds].sort((a, b) => a - b).map((id) => this.statements.user.get(id) as Row);
    const profiles = this.statements.profiles.all(JSON.stringify([...userIds])) as Row[];
    return { users, post, entries, revisions, changes, profiles };
  }

  /**
   * The user an imported byline names: the first account with that exact name, else a new
   * author account that cannot log in (no e-mail, no password, disabled), so the entry keeps
   * its byline and an admin can later enable or merge it.
   */
  userForByline(name: string, now: string): { id: number; created: boolean } {
    const found = this.statements.userByName.get(name) as { id: number } | undefined;
    if (found) return { id: found.id, created: false };
    return { id: (this.statements.insertImportedUser.get({ name, now }) as { id: number }).id, created: true };
  }

  /**
   * A post's entries (deleted ones too) by the time of their first revision: an imported
   * WordPress entry's is the time WordPress created it, which no later edit changes, so a
   * re-import finds it there. Same-time entries are told apart by their order.
   */
  entriesByFirstRevision(postId: number): Map<string, number> {
    const rows = this.statements.firstRevisions.all(postId) as { id: number; created_at: string }[];
    const out = new Map<string, number>();
    const seen = new Map<string, number>();
    for (const row of rows) {
      const ordinal = seen.get(row.created_at) ?? 0;
      seen.set(row.created_at, ordinal + 1);
      out.set(`${row.created_at}#${ordinal}`, row.id);
    }
    return out;
  }

  /**
   * An imported entry's earlier versions as its revisions 1…N (the entry itself is version N),
   * each at the time it was saved; the caller inserted the entry with the last version's body.
   */
  writeHistory(entryId: number, versions: { version: number; action: 'created' | 'updated'; body: string; keyEvent: boolean; shownAt: string; at: string; actorId?: number | null | undefined }[], actorId: number | null): void {
    for (const version of versions) {
      this.statements.historyRevision.run({ entryId, ...version, keyEvent: version.keyEvent ? 1 : 0, actorId: version.actorId ?? actorId });
    }
    const last = versions.at(-1);
    if (last) this.statements.historyDone.run({ entryId, version: last.version, at: last.at });
  }

  /** How many revisions the database holds (an import reports how many it wrote). */
  revisionCount(): number {
    return (this.statements.revisionCount.get() as { n: number }).n;
  }

  userById(id: number): Row | undefined {
    return this.statements.user.get(id) as Row | undefined;
  }

  /** Inserts rows as they are, ids included; the caller runs it in a transaction and checks clashes first. */
  insertRows(table: ArchiveTable, rows: Row[]): void {
    const insert = this.db.prepare(INSERT_SQL[table]);
    // Columns added by later migrations are absent from older archives: they default to NULL.
    for (const row of rows) insert.run({ ...NULLABLE_DEFAULTS[table], ...row });
  }

  /** Whether any of these ids is already used in the table (a JSON archive keeps its ids). */
  anyIdTaken(table: 'posts' | 'entries' | 'entry_revisions', ids: number[]): boolean {
    const check = this.db.prepare(ID_TAKEN_SQL[table]);
    return ids.some((id) => check.get(id) !== undefined);
  }
}

/** Change rows are restored by the change log itself (ChangeLog.restore), its only writer. */
type ArchiveTable = 'users' | 'posts' | 'entries' | 'entry_revisions' | 'user_profiles';

/** Constant SQL only (see server/test/secrets.test.ts): one statement per table an archive restores. */
const INSERT_SQL: Record<ArchiveTable, string> = {
  users: 'INSERT INTO users (id, name, email, role, created_at, disabled_at) VALUES (@id, @name, @email, @role, @created_at, @disabled_at)',
  posts: `INSERT INTO posts (id, slug, title, description, status, starts_at, ended_at, timezone, language, tags, categories, version, last_seq,
    created_by, created_at, updated_at, front_matter, import_key, summary, summary_html, cover_image) VALUES (@id, @slug, @title, @description, @status,
    @starts_at, @ended_at, @timezone, @language, @tags, @categories, @version, @last_seq, @created_by, @created_at, @updated_at, @front_matter,
    @import_key, @summary, @summary_html, @cover_image)`,
  entries: `INSERT INTO entries (id, post_id, author_id, body, html, key_event, pinned, version, created_at, updated_at, deleted_at, deleted_by,
    headline, location, tags, claim, correction_note, corrected_at, co_authors)
    VALUES (@id, @post_id, @author_id, @body, @html, @key_event, @pinned, @version, @created_at, @updated_at, @deleted_at, @deleted_by,
    @headline, @location, @tags, @claim, @correction_note, @corrected_at, @co_authors)`,
  entry_revisions: `INSERT INTO entry_revisions (id, entry_id, version, action, body, key_event, shown_at, actor_id, created_at)
    VALUES (@id, @entry_id, @version, @action, @body, @key_event, @shown_at, @actor_id, @created_at)`,
  // A person who already has a profile in this database keeps it.
  user_profiles: `INSERT OR IGNORE INTO user_profiles (user_id, display_name, job_title, avatar, updated_at)
    VALUES (@user_id, @display_name, @job_title, @avatar, @updated_at)`,
};

const NULLABLE_DEFAULTS: Record<ArchiveTable, Row> = {
  users: {},
  posts: { language: null, summary: '', summary_html: '', cover_image: null },
  entries: { headline: null, location: null, tags: '[]', claim: null, correction_note: null, corrected_at: null, co_authors: '[]' },
  entry_revisions: { shown_at: null },
  user_profiles: {},
};

const ID_TAKEN_SQL: Record<'posts' | 'entries' | 'entry_revisions', string> = {
  posts: 'SELECT 1 FROM posts WHERE id = ?',
  entries: 'SELECT 1 FROM entries WHERE id = ?',
  entry_revisions: 'SELECT 1 FROM entry_revisions WHERE id = ?',
};
