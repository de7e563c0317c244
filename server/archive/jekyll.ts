import { Lexer, type Token } from 'marked';
import { stringify } from 'yaml';
import { slugify } from '../domain/slug.js';
import { formatDate, markerOffsetMinutes, parseDate, type ParsedDate } from './dates.js';
import { ArchiveFormatError } from './errors.js';
import { readFrontMatter, splitFrontMatter, type PostMeta } from './front-matter.js';
import { MAX_BLOCK_NESTING, MAX_BLOCKS } from './limits.js';
import { assignTimes, clockAt, splitMarker, withMarker, type ClockTime } from './time-markers.js';
import { ENTRY_BODY_MAX } from '../../contract/index.js';

/** Jekyll / WordPress-export Markdown: front matter, then one entry per block. Pure functions. */

export type ParsedEntry = { body: string; createdAt: string; line: number };
export type ParsedPost = PostMeta & { entries: ParsedEntry[] };

type Block = { text: string; line: number };

/** Top-level Markdown blocks (paragraph, list, quote, code…), as written, with their first line. */
function blocks(body: string, firstLine: number, file: string): Block[] {
  const out: Block[] = [];
  let line = firstLine;
  for (const token of lexBlocks(body, firstLine, file)) {
    const text = token.raw.trim();
    const leading = token.raw.length - token.raw.trimStart().length;
    const blockLine = line + countNewlines(token.raw.slice(0, leading));
    line += countNewlines(token.raw);
    if (token.type === 'space' || text === '') continue;
    // WordPress leaves `<!--more-->` and similar comments; they are not entries.
    if (token.type === 'html' && /^<!--[\s\S]*-->$/.test(text)) continue;
    out.push({ text, line: blockLine });
  }
  return out;
}

class BlockLimit extends Error {}

/**
 * marked's block lexer, within limits.ts: at most MAX_BLOCKS top-level blocks and MAX_BLOCK_NESTING
 * levels of lists and quotes. marked re-scans the rest of a list or quote for every level, so a
 * file nested thousands deep takes minutes (or overflows the stack); refusing the level past the
 * limit, and the block past the count, stops it early with the line of the block it happened in.
 * Only `raw` of the top-level tokens is used, so inline tokens are never lexed.
 */
function lexBlocks(body: string, firstLine: number, file: string): Token[] {
  const lexer = new Lexer({ gfm: true });
  const top: Token[] = [];
  let count = 0;
  // marked fills the array it is given with push(); counting there stops a file of millions of blocks.
  top.push = (...tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type !== 'space' && ++count > MAX_BLOCKS) throw new BlockLimit(`the file has more than ${MAX_BLOCKS} Markdown blocks; split it into several files`);
    }
    return Array.prototype.push.apply(top, tokens);
  };
  // Lists and quotes lex their content through lexer.blockTokens (the extension API), so each
  // call below the top one is one level of nesting.
  const inner = lexer.blockTokens.bind(lexer) as (src: string, tokens?: Token[], lastParagraphClipped?: boolean) => Token[];
  let depth = -1;
  lexer.blockTokens = ((src: string, tokens?: Token[], lastParagraphClipped?: boolean): Token[] => {
    depth += 1;
    try {
      if (depth > MAX_BLOCK_NESTING) throw new BlockLimit(`lists or quotes are nested more than ${MAX_BLOCK_NESTING} deep`);
      return inner(src, tokens, lastParagraphClipped);
    } finally {
      depth -= 1;
    }
  }) as Lexer['blockTokens'];
  try {
    lexer.blockTokens(body, top);
  } catch (error) {
    // The block being lexed starts where the finished ones end.
    let consumed = 0;
    for (const token of top) consumed += token.raw.length;
    const rest = body.slice(consumed);
    const line = firstLine + countNewlines(body.slice(0, consumed)) + countNewlines(rest.slice(0, rest.length - rest.trimStart().length));
    if (error instanceof BlockLimit) throw new ArchiveFormatError(file, line, error.message);
    // A stack overflow, or marked's own "infinite loop" guard: this file cannot be read as Markdown.
    throw new ArchiveFormatError(file, line, `the Markdown cannot be read here: ${error instanceof Error ? error.message : String(error)}`);
  }
  return top;
}

function countNewlines(text: string): number {
  let count = 0;
  for (const char of text) if (char === '\n') count += 1;
  return count;
}

/** Parses one file; throws ArchiveFormatError (file and line) for anything it cannot import. */
export function parseJekyll(text: string, file: string): ParsedPost {
  const { yaml, body, bodyLine } = splitFrontMatter(text, file);
  const meta = readFrontMatter(yaml, file);
  const pieces: { time: ClockTime | null; body: string; line: number }[] = [];
  let pending: { time: ClockTime; line: number } | null = null;
  for (const block of blocks(body, bodyLine, file)) {
    const { time, body: rest } = splitMarker(block.text);
    // A marker alone on its line ("**09:40**" then a list) belongs to the next block.
    if (time && rest.trim() === '') {
      pending = { time, line: block.line };
      continue;
    }
    pieces.push(pending && !time ? { time: pending.time, body: rest, line: pending.line } : { time, body: rest, line: block.line });
    pending = null;
  }
  for (const piece of pieces) {
    if (piece.body.length > ENTRY_BODY_MAX) {
      throw new ArchiveFormatError(file, piece.line, `the entry is longer than ${ENTRY_BODY_MAX} characters; split it into several paragraphs`);
    }
  }
  const times = assignTimes(
    pieces.map((piece) => piece.time),
    Date.parse(meta.startsAt),
    meta.offsetMinutes,
  );
  const frontMatter = exportFrontMatter({ ...meta, createdAt: meta.startsAt }, meta.frontMatter);
  return {
    ...meta,
    frontMatter,
    entries: pieces.map((piece, index) => ({ body: piece.body, createdAt: new Date(times[index]!).toISOString(), line: piece.line })),
  };
}

export type ExportPost = {
  title: string;
  slug: string;
  description: string;
  status: string;
  timezone: string;
  /** A language of the post's own, written as `lang:`; null (or absent) when it follows the site's default. */
  language?: string | null | undefined;
  startsAt: string | null;
  createdAt: string;
  tags: string[];
  categories: string[];
};

/**
 * The front matter an export writes: the original fields (unknown ones included, in their order
 * and style) with the post's current values. Import stores this form too, so exporting and
 * importing again is a fixed point.
 */
export function exportFrontMatter(post: ExportPost, original: Record<string, unknown>): Record<string, unknown> {
  const { startMs, date } = timing(post, original);
  const fm: Record<string, unknown> = { ...original };
  fm.title = post.title;
  if ('slug' in original || post.slug !== slugify(post.title)) fm.slug = post.slug;
  fm.date = date && date.ms === startMs ? original.date : formatDate(startMs, markerOffset(post, original, date, startMs));
  setOptional(fm, 'description', post.description, '', original.excerpt === post.description ? 'excerpt' : undefined);
  setOptional(fm, 'status', post.status, 'ended');
  setOptional(fm, 'timezone', post.timezone, 'UTC');
  if (post.language) fm.lang = post.language;
  else delete fm.lang;
  setLabels(fm, 'categories', post.categories);
  setLabels(fm, 'tags', post.tags);
  return fm;
}

function timing(post: ExportPost, original: Record<string, unknown>) {
  const zone = 'timezone' in original || post.timezone !== 'UTC' ? post.timezone : undefined;
  const date = typeof original.date === 'string' ? parseDate(original.date, zone) : null;
  return { startMs: Date.parse(post.startsAt ?? post.createdAt), date, zone };
}

function markerOffset(post: ExportPost, original: Record<string, unknown>, date: ParsedDate | null, startMs: number): number {
  return markerOffsetMinutes(timing(post, original).zone, date, startMs);
}

/**
 * Writes a post back in the same format: exportFrontMatter, then each entry as a paragraph with
 * a time marker in the post's zone (or the original date's offset). Importing it gives the same post.
 */
export function formatJekyll(post: ExportPost, original: Record<string, unknown>, entries: { body: string; createdAt: string }[]): string {
  const fm = exportFrontMatter(post, original);
  const { startMs, date } = timing(post, original);
  const offsetMinutes = markerOffset(post, original, date, startMs);
  const paragraphs = entries.map((entry) => withMarker(clockAt(Date.parse(entry.createdAt), offsetMinutes), entry.body));
  return `---\n${stringify(fm, { lineWidth: 0 })}---\n\n${paragraphs.join('\n\n')}\n`;
}

/** A field the file had is always written; one it lacked only when it differs from the import default. */
function setOptional(fm: Record<string, unknown>, key: string, value: string, importDefault: string, carriedBy?: string): void {
  if (carriedBy) return;
  if (key in fm || value !== importDefault) fm[key] = value;
}

/** Keeps `categories: Liveblog` a scalar when it still is one value; writes a list otherwise. */
function setLabels(fm: Record<string, unknown>, key: string, labels: string[]): void {
  const before = fm[key];
  if (labels.length === 0) {
    if (key in fm && before !== null && !(Array.isArray(before) && before.length === 0)) fm[key] = [];
    return;
  }
  const sameScalar = labels.length === 1 && before !== undefined && !Array.isArray(before) && String(before) === labels[0];
  if (sameScalar) return;
  const sameList = Array.isArray(before) && before.length === labels.length && before.every((item, i) => String(item) === labels[i]);
  if (!sameList) fm[key] = labels.length === 1 && typeof before === 'string' ? labels[0] : labels;
}
