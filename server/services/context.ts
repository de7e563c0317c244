import type { ParsedPost } from '../archive/jekyll.js';
import type { Db } from '../db/connection.js';
import { AuditStore } from '../store/audit.js';
import { ChangeLog } from '../store/changes.js';
import { EntryStore } from '../store/entries.js';
import { EntryMetaStore } from '../store/entry-meta.js';
import { ProfileStore } from '../store/profiles.js';
import { IdempotencyStore } from '../store/idempotency.js';
import { PostStore } from '../store/posts.js';
import { SearchStore } from '../store/search.js';
import { SessionStore } from '../store/sessions.js';
import { SiteStore } from '../store/site.js';
import { TokenStore } from '../store/tokens.js';
import { UploadStore } from '../store/uploads.js';
import { UserStore } from '../store/users.js';
import type { Publisher } from './publisher.js';

/** Turns Markdown into sanitized HTML; rejects bodies it cannot render safely (RenderError). */
export interface Renderer {
  render(body: string): Promise<string>;
}

/**
 * Reads an imported Jekyll/WordPress Markdown file off the event loop (ArchiveParser, a worker);
 * rejects a file it cannot import with an ArchiveFormatError naming file and line.
 */
export interface ImportParser {
  parse(text: string, file: string): Promise<ParsedPost>;
}

/** Everything a use case needs, built once per database. */
export type Stores = {
  db: Db;
  posts: PostStore;
  entries: EntryStore;
  /** The change log: the only writer of `seq`. */
  changes: ChangeLog;
  idempotency: IdempotencyStore;
  tokens: TokenStore;
  users: UserStore;
  sessions: SessionStore;
  uploads: UploadStore;
  audit: AuditStore;
  /** The find-in-post index (read only: triggers write it). */
  search: SearchStore;
  /** The site's branding (one row). */
  site: SiteStore;
  /** Headline, co-authors, location, tags, claim, correction of entries (issue 17). */
  entryMeta: EntryMetaStore;
  /** Byline profiles: display name, role title, avatar. */
  profiles: ProfileStore;
};

/** `defaultLanguage`: the site's DEFAULT_LANGUAGE, what posts without a language of their own read as. */
export function createStores(db: Db, { defaultLanguage = 'en' }: { defaultLanguage?: string } = {}): Stores {
  return {
    db,
    posts: new PostStore(db, defaultLanguage),
    entries: new EntryStore(db),
    changes: new ChangeLog(db),
    idempotency: new IdempotencyStore(db),
    tokens: new TokenStore(db),
    users: new UserStore(db),
    sessions: new SessionStore(db),
    uploads: new UploadStore(db),
    audit: new AuditStore(db),
    search: new SearchStore(db),
    site: new SiteStore(db),
    entryMeta: new EntryMetaStore(db),
    profiles: new ProfileStore(db),
  };
}

export type ServiceDeps = { stores: Stores; publisher: Publisher; renderer: Renderer; importParser: ImportParser; clock?: () => Date };

export function nowIso(deps: ServiceDeps): string {
  return (deps.clock?.() ?? new Date()).toISOString();
}
