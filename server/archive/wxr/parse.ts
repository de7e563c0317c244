/**
 * WordPress eXtended RSS (WXR, what Tools → Export writes) read into plain records. Pure.
 *
 * An export is untrusted and can be large, so it is cut into its `<item>`s with a scanner that
 * skips CDATA and comments, and each item is validated and parsed on its own with fast-xml-parser:
 * a broken item is reported at its line (`file:line`) and the others still go in. A DOCTYPE (the
 * only way to declare entities, so to build an "entity bomb") is refused: WordPress never writes
 * one. Sizes are bounded by limits.ts; the whole read runs in the import worker with its time limit.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ArchiveFormatError } from '../errors.js';
import { WXR_MAX_COMMENTS_PER_ITEM, WXR_MAX_ITEM_BYTES, WXR_MAX_ITEMS } from '../limits.js';

export type WxrAuthor = { login: string; email: string; name: string; wpId: string | null };
export type WxrComment = {
  id: string;
  /** ISO instant (from comment_date_gmt, else comment_date read as UTC). */
  date: string;
  content: string;
  approved: string;
  type: string;
  userId: string;
  authorName: string;
  authorEmail: string;
  /** Comment meta; a key can repeat. */
  meta: Map<string, string[]>;
};
export type WxrItem = {
  line: number;
  wpId: string;
  type: string;
  status: string;
  title: string;
  slug: string;
  /** ISO instant; null when WordPress has none (a draft). */
  date: string | null;
  /** Minutes east of UTC the site's local date was in (post_date − post_date_gmt). */
  offsetMinutes: number;
  creator: string;
  excerpt: string;
  content: string;
  password: string;
  categories: string[];
  tags: string[];
  meta: Map<string, string>;
  comments: WxrComment[];
};
export type WxrFile = { site: string; authors: WxrAuthor[]; items: WxrItem[]; broken: { line: number; reason: string }[] };

/** A WXR file, by content: an RSS document in WordPress's export namespace. */
export function isWxr(text: string): boolean {
  const head = text.slice(0, 4096);
  return /<rss[\s>]/.test(head) && /xmlns:wp="https?:\/\/wordpress\.org\/export\//.test(head);
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['category', 'wp:postmeta', 'wp:comment', 'wp:commentmeta', 'wp:author'].includes(name),
});

type Node = Record<string, unknown>;

export function parseWxr(raw: string, file: string): WxrFile {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lineAt = lineCounter(text);
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) throw new ArchiveFormatError(file, lineAt(doctype.index), 'a WordPress export has no DOCTYPE; this file declares one (entities are not expanded), so it is not read');
  const { items, head } = cutItems(text, file, lineAt);
  const authors: WxrAuthor[] = [];
  for (const match of head.matchAll(/<wp:author>[\s\S]*?<\/wp:author>/g)) {
    let node: Node;
    try {
      node = parseFragment(match[0]);
    } catch (error) {
      throw new ArchiveFormatError(file, lineAt(match.index), `an author cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const author of asArray(node['wp:author'])) {
      const a = author as Node;
      authors.push({ login: str(a['wp:author_login']), email: str(a['wp:author_email']), name: str(a['wp:author_display_name']) || str(a['wp:author_login']), wpId: str(a['wp:author_id']) || null });
    }
  }
  const baseUrl = /<wp:base_blog_url>([\s\S]*?)<\/wp:base_blog_url>/.exec(head)?.[1];
  const site = (baseUrl ? str(parseFragment(`<x>${baseUrl}</x>`).x).trim() : '') || /<link>([^<]*)<\/link>/.exec(head)?.[1]?.trim() || 'wordpress';
  const parsed: WxrItem[] = [];
  const broken: { line: number; reason: string }[] = [];
  for (const item of items) {
    const line = lineAt(item.start);
    const source = text.slice(item.start, item.end);
    if (source.length > WXR_MAX_ITEM_BYTES) {
      broken.push({ line, reason: `the item is larger than ${WXR_MAX_ITEM_BYTES / (1024 * 1024)} MiB` });
      continue;
    }
    let node: Node;
    try {
      const valid = XMLValidator.validate(source, { allowBooleanAttributes: true });
      if (valid !== true) {
        broken.push({ line: line + valid.err.line - 1, reason: `broken XML: ${valid.err.msg}` });
        continue;
      }
      node = (parseFragment(source).item ?? {}) as Node;
    } catch (error) {
      // fast-xml-parser's own limits (elements nested too deep, say), or a stack overflow.
      broken.push({ line, reason: `the item cannot be read: ${error instanceof Error ? error.message : String(error)}` });
      continue;
    }
    const comments = asArray(node['wp:comment']);
    if (comments.length > WXR_MAX_COMMENTS_PER_ITEM) {
      broken.push({ line, reason: `the item has more than ${WXR_MAX_COMMENTS_PER_ITEM} comments` });
      continue;
    }
    parsed.push(toItem(node, line, comments));
  }
  return { site: site.replace(/\/+$/, ''), authors, items: parsed, broken };
}

function toItem(node: Node, line: number, comments: unknown[]): WxrItem {
  const categories: string[] = [];
  const tags: string[] = [];
  for (const category of asArray(node.category)) {
    const c = category as Node;
    const name = str(c['#text'] ?? c).trim();
    if (!name) continue;
    if (c['@domain'] === 'post_tag') tags.push(name);
    else if (c['@domain'] === 'category') categories.push(name);
  }
  const meta = new Map<string, string>();
  for (const entry of asArray(node['wp:postmeta'])) {
    const m = entry as Node;
    meta.set(str(m['wp:meta_key']), str(m['wp:meta_value']));
  }
  const gmt = wpDate(str(node['wp:post_date_gmt']));
  const local = wpDate(str(node['wp:post_date']));
  return {
    line,
    wpId: str(node['wp:post_id']).trim(),
    type: str(node['wp:post_type']).trim(),
    status: str(node['wp:status']).trim(),
    title: str(node.title).trim(),
    slug: str(node['wp:post_name']).trim(),
    date: gmt !== null ? new Date(gmt).toISOString() : local !== null ? new Date(local).toISOString() : null,
    offsetMinutes: gmt !== null && local !== null ? Math.round((local - gmt) / 60_000) : 0,
    creator: str(node['dc:creator']).trim(),
    excerpt: str(node['excerpt:encoded']),
    content: str(node['content:encoded']),
    password: str(node['wp:post_password']),
    categories,
    tags,
    meta,
    comments: comments.map((comment) => {
      const c = comment as Node;
      const commentMeta = new Map<string, string[]>();
      for (const entry of asArray(c['wp:commentmeta'])) {
        const m = entry as Node;
        const key = str(m['wp:meta_key']);
        commentMeta.set(key, [...(commentMeta.get(key) ?? []), str(m['wp:meta_value'])]);
      }
      const date = wpDate(str(c['wp:comment_date_gmt'])) ?? wpDate(str(c['wp:comment_date']));
      return {
        id: str(c['wp:comment_id']).trim(),
        date: new Date(date ?? 0).toISOString(),
        content: str(c['wp:comment_content']),
        approved: str(c['wp:comment_approved']).trim(),
        type: str(c['wp:comment_type']).trim(),
        userId: str(c['wp:comment_user_id']).trim(),
        authorName: str(c['wp:comment_author']).trim(),
        authorEmail: str(c['wp:comment_author_email']).trim(),
        meta: commentMeta,
      };
    }),
  };
}

/** `2013-01-10 20:15:40` as UTC milliseconds; null for WordPress's `0000-00-00 00:00:00` and anything unreadable. */
function wpDate(text: string): number | null {
  const match = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)$/.exec(text.trim());
  if (!match || match[1] === '0000') return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The `<item>…</item>` ranges of the channel, found without parsing the whole document: CDATA
 * sections and comments are skipped (an entry's HTML may well contain "<item>").
 */
function cutItems(text: string, file: string, lineAt: (offset: number) => number): { items: { start: number; end: number }[]; head: string } {
  const items: { start: number; end: number }[] = [];
  const token = /<!\[CDATA\[|<!--|<item(?=[\s>])|<\/item>/g;
  let open = -1;
  let headEnd = -1;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    if (match[0] === '<![CDATA[' || match[0] === '<!--') {
      const close = text.indexOf(match[0] === '<!--' ? '-->' : ']]>', token.lastIndex);
      if (close === -1) throw new ArchiveFormatError(file, lineAt(match.index), `${match[0] === '<!--' ? 'a comment' : 'a CDATA section'} is never closed`);
      token.lastIndex = close + 3;
      continue;
    }
    if (match[0] === '</item>') {
      if (open === -1) throw new ArchiveFormatError(file, lineAt(match.index), '</item> without an <item>');
      items.push({ start: open, end: token.lastIndex });
      open = -1;
      continue;
    }
    if (open !== -1) throw new ArchiveFormatError(file, lineAt(open), '<item> is not closed before the next one');
    if (headEnd === -1) headEnd = match.index;
    if (items.length >= WXR_MAX_ITEMS) throw new ArchiveFormatError(file, lineAt(match.index), `the file has more than ${WXR_MAX_ITEMS} items; export it in parts (Tools → Export by date)`);
    open = match.index;
  }
  if (open !== -1) throw new ArchiveFormatError(file, lineAt(open), '<item> is never closed');
  return { items, head: text.slice(0, headEnd === -1 ? text.length : headEnd) };
}

function parseFragment(xml: string): Node {
  return parser.parse(xml) as Node;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** A text node's string ('' for an empty element or one with only attributes). */
function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && '#text' in value) return str((value as Node)['#text']);
  return '';
}

/** Line of an offset (1-based), by binary search over the line starts. */
function lineCounter(text: string): (offset: number) => number {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
