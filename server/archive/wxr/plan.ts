/**
 * What a WordPress export becomes in Liveline, decided without the database: posts with their
 * fields and entries, liveblog entries resolved to their final state with their history, the
 * people they name, and every item left out with its line and reason. Pure; runs in the import
 * worker after parse.ts.
 *
 * Automattic's liveblog plugin (classes/class-wpcom-liveblog-entry.php) keeps each entry as a
 * comment of type `liveblog`. An edit inserts a new comment whose meta `liveblog_replaces` names
 * the entry, and overwrites the entry's own content with the new text; a deletion inserts a
 * replacing comment with empty content and trashes the entry. `/key` in an entry becomes
 * `<span class="liveblog-command type-key">key</span>` and the comment meta
 * `liveblog_key_entry = true` (class-wpcom-liveblog-entry-key-events.php); removing the key
 * strips the command and the meta. The post meta `liveblog` is `enable` (live) or `archive` (ended).
 */
import { SLUG_PATTERN, slugify } from '../../domain/slug.js';
import { ENTRY_BODY_MAX, isTimeZone, type PostStatus } from '../../../contract/index.js';
import { ArchiveFormatError } from '../errors.js';
import { readEntries, type ParsedEntry } from '../jekyll.js';
import type { WxrAuthor, WxrComment, WxrFile, WxrItem } from './parse.js';

/** A person an item names: an author of the export's header, else a comment's name and e-mail. */
export type PlannedPerson = { name: string; email: string | null };

export type PlannedVersion = { body: string; keyEvent: boolean; at: string };
export type PlannedLiveEntry = {
  /** The WordPress comment id of the entry (the root of its replacement chain). */
  wpId: string;
  createdAt: string;
  author: PlannedPerson | null;
  /** Oldest first; the last is the entry as it is now (deleted or not). */
  versions: PlannedVersion[];
  deletedAt: string | null;
};

export type PlannedPost = {
  line: number;
  wpId: string;
  importKey: string;
  title: string;
  slug: string;
  description: string;
  status: PostStatus;
  timezone: string;
  startsAt: string;
  tags: string[];
  categories: string[];
  author: PlannedPerson | null;
  frontMatter: Record<string, unknown>;
} & ({ kind: 'post'; entries: ParsedEntry[] } | { kind: 'liveblog'; entries: PlannedLiveEntry[] });

/** An item left out: `error` for a file's fault (broken XML, unreadable content), else by design (pages, drafts…). */
export type Skipped = { line: number; what: string; reason: string; error?: boolean };
export type WxrPlan = { site: string; posts: PlannedPost[]; skipped: Skipped[] };

const KEY_SPAN = /<span class="liveblog-command type-key">key<\/span>/g;
const KEY_COMMAND = /(^|\s)\/key(?=\s|$)/g;

export function planWxr(wxr: WxrFile, file: string): WxrPlan {
  const skipped: Skipped[] = wxr.broken.map((broken) => ({ line: broken.line, what: 'item', reason: broken.reason, error: true }));
  const posts: PlannedPost[] = [];
  const authors = new Map(wxr.authors.map((author) => [author.login, author]));
  for (const item of wxr.items) {
    const what = `${item.type || 'item'} ${item.wpId}${item.title ? ` "${item.title.slice(0, 60)}"` : ''}`;
    const reason = whyNot(item);
    if (reason) {
      skipped.push({ line: item.line, what, reason });
      continue;
    }
    const readerComments = item.comments.filter((comment) => comment.type !== 'liveblog').length;
    if (readerComments > 0) skipped.push({ line: item.line, what: `${readerComments} comment${readerComments === 1 ? '' : 's'} on ${what}`, reason: 'reader comments are not imported' });
    try {
      posts.push(planPost(item, wxr, authors, file, skipped));
    } catch (error) {
      if (!(error instanceof ArchiveFormatError)) throw error;
      skipped.push({ line: error.line, what, reason: error.message, error: true });
    }
  }
  return { site: wxr.site, posts, skipped };
}

/** Why an item is not imported (null: it is a post to import). Liveline has no unpublished posts: drafts never become pages. */
function whyNot(item: WxrItem): string | null {
  if (item.type !== 'post') return `${item.type || 'untyped item'}: only posts are imported`;
  if (item.status !== 'publish') return `${item.status || 'no'} status in WordPress: only published posts are imported`;
  if (item.password !== '') return 'password-protected in WordPress';
  if (item.date === null) return 'no publication date';
  return null;
}

function planPost(item: WxrItem, wxr: WxrFile, authors: Map<string, WxrAuthor>, file: string, skipped: Skipped[]): PlannedPost {
  const liveblog = item.comments.some((comment) => comment.type === 'liveblog') || item.meta.has('liveblog');
  const title = (item.title || decodeSlug(item.slug) || `Post ${item.wpId}`).slice(0, 200);
  const decoded = decodeSlug(item.slug);
  const slug = SLUG_PATTERN.test(decoded) && decoded.length <= 80 ? decoded : slugify(decoded || title);
  const timezone = zoneOf(item.offsetMinutes);
  const startsAt = item.date!;
  // A real export has `<dc:creator>>themereviewteam</dc:creator>`: a stray character around a known login is that login.
  const creator = authors.get(item.creator) ?? authors.get(item.creator.replace(/^[^\w]+|[^\w]+$/g, ''));
  const author = creator ? personOf(creator) : item.creator ? { name: item.creator, email: null } : null;
  const excerpt = plainText(item.excerpt);
  const base = {
    line: item.line,
    wpId: item.wpId,
    importKey: `wxr:${wxr.site}#${item.wpId}`,
    title,
    slug,
    description: (excerpt || (liveblog ? plainText(item.content) : '')).slice(0, 2000),
    timezone,
    startsAt,
    tags: labels(item.tags),
    categories: labels(item.categories),
    author,
    // No author login here: the front matter is public in the Markdown export (/posts/:slug.md).
    frontMatter: { title, date: startsAt, slug, wordpress_id: Number(item.wpId) || item.wpId },
  };
  if (!liveblog) {
    const content = item.content.replace(/<!--\s*\/?wp:[\s\S]*?-->/g, '');
    const entries = readEntries(content, item.line, file, Date.parse(startsAt), item.offsetMinutes);
    return { ...base, kind: 'post', status: 'ended', entries };
  }
  const state = item.meta.get('liveblog');
  const entries = liveEntries(item, authors, skipped);
  return { ...base, kind: 'liveblog', status: state === 'enable' ? 'live' : 'ended', entries };
}

/**
 * Each liveblog entry's replacement chain, resolved: its versions in order (the plugin overwrote
 * the entry's own content with its latest edit, so the first version is the oldest text the file
 * still has), its key flag, and whether the last word was a deletion.
 */
function liveEntries(item: WxrItem, authors: Map<string, WxrAuthor>, skipped: Skipped[]): PlannedLiveEntry[] {
  const comments = item.comments.filter((comment) => comment.type === 'liveblog');
  const byId = new Map(comments.map((comment) => [comment.id, comment]));
  const replaces = (comment: WxrComment) => comment.meta.get('liveblog_replaces')?.[0]?.trim() || null;
  const rootId = (comment: WxrComment): string => {
    let current = comment;
    const seen = new Set<string>();
    for (let target = replaces(current); target !== null; target = replaces(current)) {
      const next = byId.get(target);
      if (!next || seen.has(target)) return target;
      seen.add(target);
      current = next;
    }
    return current.id;
  };
  const chains = new Map<string, { root: WxrComment | undefined; replacements: WxrComment[] }>();
  for (const comment of comments) {
    const id = rootId(comment);
    const chain = chains.get(id) ?? { root: undefined, replacements: [] };
    if (comment.id === id) chain.root = comment;
    else chain.replacements.push(comment);
    chains.set(id, chain);
  }
  const byAuthorId = new Map([...authors.values()].filter((a) => a.wpId).map((a) => [a.wpId!, a]));
  const byEmail = new Map([...authors.values()].filter((a) => a.email).map((a) => [a.email.toLowerCase(), a]));
  const out: PlannedLiveEntry[] = [];
  for (const [wpId, { root, replacements }] of chains) {
    replacements.sort((a, b) => a.date.localeCompare(b.date) || Number(a.id) - Number(b.id));
    const texts = replacements.filter((r) => r.content.trim() !== '');
    const last = replacements.at(-1);
    const versions: { content: string; at: string }[] = [];
    if (root) {
      // An edited entry's own content is its latest text: its first version is no longer in the file.
      const overwritten = texts.length > 0 && root.content.trim() === texts.at(-1)!.content.trim();
      const first = overwritten ? texts[0]!.content : root.content;
      if (first.trim() !== '') versions.push({ content: first, at: root.date });
    }
    for (const replacement of texts) {
      if (versions.at(-1)?.content.trim() !== replacement.content.trim()) versions.push({ content: replacement.content, at: replacement.date });
    }
    const deleted = last !== undefined && last.content.trim() === '';
    const trashed = !deleted && root?.approved === 'trash';
    if (versions.length === 0) {
      skipped.push({ line: item.line, what: `liveblog entry ${wpId}`, reason: 'deleted, and the file keeps no text of it' });
      continue;
    }
    const keyMeta = (root ?? replacements[0])?.meta.get('liveblog_key_entry')?.includes('true') ?? false;
    const everCommanded = versions.some((version) => hasKeyCommand(version.content));
    const planned = versions.map((version) => ({
      body: stripKeyCommand(version.content),
      keyEvent: hasKeyCommand(version.content) || (keyMeta && !everCommanded),
      at: version.at,
    }));
    const tooLong = planned.find((version) => version.body.length > ENTRY_BODY_MAX);
    if (tooLong || planned.some((version) => version.body === '')) {
      skipped.push({ line: item.line, what: `liveblog entry ${wpId}`, reason: tooLong ? `longer than ${ENTRY_BODY_MAX} characters` : 'no text besides its commands' });
      continue;
    }
    const first = root ?? replacements[0]!;
    const wpAuthor = byAuthorId.get(first.userId) ?? (first.authorEmail ? byEmail.get(first.authorEmail.toLowerCase()) : undefined);
    out.push({
      wpId,
      createdAt: first.date,
      author: wpAuthor ? personOf(wpAuthor) : first.authorName ? { name: first.authorName.slice(0, 100), email: first.authorEmail || null } : null,
      versions: planned,
      deletedAt: deleted ? last.date : trashed ? (versions.at(-1)!.at) : null,
    });
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || Number(a.wpId) - Number(b.wpId));
}

function hasKeyCommand(content: string): boolean {
  return new RegExp(KEY_SPAN.source).test(content) || new RegExp(KEY_COMMAND.source).test(content);
}

function stripKeyCommand(content: string): string {
  return content.replace(KEY_SPAN, '').replace(KEY_COMMAND, '$1').replace(/[ \t]+\n/g, '\n').trim();
}

function personOf(author: WxrAuthor): PlannedPerson {
  return { name: (author.name || author.login).slice(0, 100), email: author.email || null };
}

/** A fixed offset as an IANA zone when it is whole hours (Etc/GMT-2 is UTC+2), else UTC. */
function zoneOf(offsetMinutes: number): string {
  if (offsetMinutes === 0 || offsetMinutes % 60 !== 0) return 'UTC';
  const zone = `Etc/GMT${offsetMinutes > 0 ? '-' : '+'}${Math.abs(offsetMinutes / 60)}`;
  return isTimeZone(zone) ? zone : 'UTC';
}

function decodeSlug(slug: string): string {
  try {
    return decodeURIComponent(slug);
  } catch {
    return slug;
  }
}

/** Labels as Liveline takes them: 1–64 characters, at most 50, no repeats. */
function labels(names: string[]): string[] {
  return [...new Set(names.map((name) => name.trim().slice(0, 64)).filter(Boolean))].slice(0, 50);
}

/** An excerpt or intro as plain text: tags dropped, the common entities decoded, spaces collapsed. */
function plainText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
