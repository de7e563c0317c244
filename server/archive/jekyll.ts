import { Lexer, type Token } from 'marked';
import { stringify } from 'yaml';
import { slugify } from '../domain/slug.js';
import { formatDate, markerOffsetMinutes, parseDate, type ParsedDate } from './dates.js';
import { ArchiveFormatError } from './errors.js';
import { readFrontMatter, splitFrontMatter, type PostMeta } from './front-matter.js';
import { MAX_BLOCK_NESTING, MAX_BLOCKS } from './limits.js';
import { AUTHORS_MAX, CLAIMS, CORRECTION_NOTE_MAX, HEADLINE_MAX, LOCATION_MAX } from '../../contract/entry-meta.js';
import { normalizeTag, TAGS_MAX } from '../../contract/tags.js';
import { EMPTY_FIELDS, formatHeader, readHeader, type EntryFields } from './entry-header.js';
import { assignTimes, clockAt, instantOnDay, splitMarker, type ClockTime } from './time-markers.js';
import { ENTRY_BODY_MAX } from '../../contract/index.js';

/**
 * Jekyll / WordPress-export Markdown: front matter, then the entries: one per entry header
 * (entry-header.ts, what an export writes), else one per block (a plain blog post). Pure functions.
 */

export type ParsedEntry = EntryFields & { body: string; createdAt: string; line: number };
export type ParsedPost = PostMeta & { entries: ParsedEntry[] };

/** A top-level block as written: its text, first line, and where its text starts and ends in the body. */
type Block = { text: string; line: number; start: number; end: number; type: string };

/** Top-level Markdown blocks (paragraph, list, quote, code…), as written, with their first line. */
function blocks(body: string, firstLine: number, file: string): Block[] {
  const out: Block[] = [];
  let line = firstLine;
  let offset = 0;
  for (const token of lexBlocks(body, firstLine, file)) {
    const text = token.raw.trim();
    const leading = token.raw.length - token.raw.trimStart().length;
    const blockLine = line + countNewlines(token.raw.slice(0, leading));
    const start = offset + leading;
    line += countNewlines(token.raw);
    offset += token.raw.length;
    if (token.type === 'space' || text === '') continue;
    // WordPress leaves `<!--more-->` and similar comments; they are not entries.
    if (token.type === 'html' && /^<!--[\s\S]*-->$/.test(text)) continue;
    out.push({ text, line: blockLine, start, end: start + text.length, type: token.type });
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

type Piece = { time: ClockTime | number | null; body: string; line: number; fields: EntryFields };

/**
 * The entries of a Markdown body. A body with entry headers (entry-header.ts, what an export
 * writes) has one entry per header, with every block up to the next header; blocks before the
 * first header, and every block of a body without headers (a plain blog post), are one entry
 * each, timed by a leading marker when they have one.
 */
export function readEntries(body: string, bodyLine: number, file: string, startMs: number, offsetMinutes: number): ParsedEntry[] {
  const all = blocks(body, bodyLine, file);
  const headers = all.map((block) => (block.type === 'paragraph' ? readHeader(block.text) : null));
  const firstHeader = headers.findIndex((header) => header !== null);
  const pieces: Piece[] = [];
  let pending: { time: ClockTime; line: number } | null = null;
  const plain = firstHeader === -1 ? all : all.slice(0, firstHeader);
  for (const block of plain) {
    const { time, body: rest } = splitMarker(block.text);
    // A marker alone on its line ("**09:40**" then a list) belongs to the next block.
    if (time && rest.trim() === '') {
      pending = { time, line: block.line };
      continue;
    }
    pieces.push(pending && !time ? { time: pending.time, body: rest, line: pending.line, fields: { ...EMPTY_FIELDS } } : { time, body: rest, line: block.line, fields: { ...EMPTY_FIELDS } });
    pending = null;
  }
  if (firstHeader !== -1) {
    let pinnedLine: number | null = null;
    for (let index = firstHeader; index < all.length; ) {
      const block = all[index]!;
      const header = headers[index]!;
      let next = index + 1;
      while (next < all.length && headers[next] === null) next += 1;
      // The entry is its blocks exactly as written, from the end of the header to the next one.
      const text = body.slice(block.end, next < all.length ? all[next]!.start : body.length).replace(/^(?:[ \t]*\n)+/, '').trimEnd();
      if (text === '') throw new ArchiveFormatError(file, block.line, 'an entry header without an entry: write the entry below its time and attribute lines');
      let time: ClockTime | number = header.time;
      if (header.at !== null) {
        const at = Date.parse(header.at);
        if (Number.isNaN(at) || !/^\d{4}-\d\d-\d\dT/.test(header.at)) throw new ArchiveFormatError(file, block.line, `at="${header.at}" is not an instant such as 2026-03-14T09:40:12.345+01:00`);
        time = at;
      }
      if (header.fields.pinned) {
        if (pinnedLine !== null) throw new ArchiveFormatError(file, block.line, `a post has one pinned entry; line ${pinnedLine} is pinned already`);
        pinnedLine = block.line;
      }
      pieces.push({ time, body: text, line: block.line, fields: checkedFields(header.fields, file, block.line) });
      index = next;
    }
  }
  for (const piece of pieces) {
    if (piece.body.length > ENTRY_BODY_MAX) {
      throw new ArchiveFormatError(file, piece.line, `the entry is longer than ${ENTRY_BODY_MAX} characters; split it into several paragraphs`);
    }
  }
  const times = assignTimes(pieces.map((piece) => piece.time), startMs, offsetMinutes);
  return pieces.map((piece, index) => ({ body: piece.body, createdAt: new Date(times[index]!).toISOString(), line: piece.line, ...piece.fields }));
}

/**
 * A header's fields held to the API's rules (contract/entry-meta.ts, contract/tags.ts), so a file
 * cannot import what the newsroom could not write; the error names the header's line.
 */
function checkedFields(fields: EntryFields, file: string, line: number): EntryFields {
  const fail = (message: string) => new ArchiveFormatError(file, line, message);
  if (fields.headline !== null && fields.headline.length > HEADLINE_MAX) throw fail(`headline is longer than ${HEADLINE_MAX} characters`);
  if (fields.location !== null && fields.location.length > LOCATION_MAX) throw fail(`location is longer than ${LOCATION_MAX} characters`);
  if (fields.claim !== null && !(CLAIMS as readonly string[]).includes(fields.claim)) throw fail(`claim="${fields.claim}" is not one of ${CLAIMS.join(', ')}`);
  if (fields.coAuthors.length > AUTHORS_MAX - 1) throw fail(`at most ${AUTHORS_MAX - 1} co-authors`);
  const tags = [...new Set(fields.tags.map(normalizeTag).filter(Boolean))];
  if (tags.length > TAGS_MAX) throw fail(`at most ${TAGS_MAX} tags`);
  if ((fields.correctionNote === null) !== (fields.correctedAt === null)) throw fail('a correction needs both its note (correction="…") and its time (corrected="…")');
  if (fields.correctionNote !== null && fields.correctionNote.length > CORRECTION_NOTE_MAX) throw fail(`the correction note is longer than ${CORRECTION_NOTE_MAX} characters`);
  if (fields.correctedAt !== null && (Number.isNaN(Date.parse(fields.correctedAt)) || !/^\d{4}-\d\d-\d\dT/.test(fields.correctedAt))) {
    throw fail(`corrected="${fields.correctedAt}" is not an instant such as 2026-03-14T10:05:00.000Z`);
  }
  return { ...fields, tags, correctedAt: fields.correctedAt === null ? null : new Date(fields.correctedAt).toISOString() };
}

/** Parses one file; throws ArchiveFormatError (file and line) for anything it cannot import. */
export function parseJekyll(text: string, file: string): ParsedPost {
  const { yaml, body, bodyLine } = splitFrontMatter(text, file);
  const meta = readFrontMatter(yaml, file);
  const entries = readEntries(body, bodyLine, file, Date.parse(meta.startsAt), meta.offsetMinutes);
  const frontMatter = exportFrontMatter({ ...meta, startsAt: meta.noStart ? null : meta.startsAt, summary: meta.summary ?? '', createdAt: meta.startsAt, lastEntryAt: entries.at(-1)?.createdAt ?? null }, meta.frontMatter);
  return { ...meta, frontMatter, entries };
}

export type ExportPost = {
  title: string;
  slug: string;
  description: string;
  status: string;
  timezone: string;
  /** A language of the post's own, written as `lang:`; null (or absent) when it follows the site's default. */
  language?: string | null | undefined;
  /** "What we know" (Markdown), written as `summary:` when there is one. */
  summary?: string | null | undefined;
  startsAt: string | null;
  /** When an ended post ended; written as `ended:` when it is not its last entry's time (what an import assumes). */
  endedAt?: string | null | undefined;
  /** The last entry's time, to tell whether `ended:` is needed. */
  lastEntryAt?: string | null | undefined;
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
  if (post.summary) fm.summary = post.summary;
  else delete fm.summary;
  if (post.startsAt === null) fm.starts = 'none';
  else if (fm.starts === 'none') delete fm.starts;
  const impliedEnd = post.lastEntryAt ?? post.startsAt;
  if (post.status === 'ended' && post.endedAt && post.endedAt !== impliedEnd) {
    fm.ended = fm.ended !== undefined && parseDate(String(fm.ended))?.ms === Date.parse(post.endedAt) ? fm.ended : formatDate(Date.parse(post.endedAt), markerOffset(post, original, date, startMs));
  } else {
    delete fm.ended;
  }
  setLabels(fm, 'categories', post.categories);
  setLabels(fm, 'tags', post.tags);
  return fm;
}

function timing(post: ExportPost, original: Record<string, unknown>) {
  const zone = 'timezone' in original || post.timezone !== 'UTC' ? post.timezone : undefined;
  const date = typeof original.date === 'string' ? parseDate(original.date, zone) : null;
  // A post without a start time is dated by the file it came from, else by when it was created.
  const startMs = post.startsAt !== null ? Date.parse(post.startsAt) : (date?.ms ?? Date.parse(post.createdAt));
  return { startMs, date, zone };
}

function markerOffset(post: ExportPost, original: Record<string, unknown>, date: ParsedDate | null, startMs: number): number {
  return markerOffsetMinutes(timing(post, original).zone, date, startMs);
}

/** An entry to write; fields it lacks are written as absent (no flag, no author). */
export type ExportEntry = Partial<EntryFields> & { body: string; createdAt: string };

/**
 * Writes a post back in the same format: exportFrontMatter, then each entry under its header (a
 * time marker in the post's zone, or the original date's offset, and its attribute lines).
 * Importing it gives the same post; exporting that again gives the same text.
 */
export function formatJekyll(post: ExportPost, original: Record<string, unknown>, entries: ExportEntry[]): string {
  const fm = exportFrontMatter({ ...post, lastEntryAt: entries.at(-1)?.createdAt ?? null }, original);
  // Jekyll runs Liquid over a post: `{{ … }}` or `{% … %}` in an entry would be evaluated, not shown.
  if (!('render_with_liquid' in fm) && [post.summary ?? '', ...entries.map((entry) => entry.body)].some((text) => /\{[{%]/.test(text))) {
    fm.render_with_liquid = false;
  }
  const { startMs, date } = timing(post, original);
  const offsetMinutes = markerOffset(post, original, date, startMs);
  let reference = startMs;
  const written = entries.map((entry) => {
    const instant = Date.parse(entry.createdAt);
    const time = clockAt(instant, offsetMinutes);
    // The import reads a marker on the day of the entry before it (or of the post's date): when
    // that is not this entry's instant, or it has milliseconds, `at` says it exactly.
    const at = instantOnDay(time, reference, offsetMinutes) === instant ? null : formatDate(instant, offsetMinutes).replace(' ', 'T');
    reference = instant;
    return `${formatHeader(time, at, { ...EMPTY_FIELDS, ...entry })}\n\n${entry.body}`;
  });
  return `---\n${stringify(fm, { lineWidth: 0 })}---\n\n${written.join('\n\n')}\n`;
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
