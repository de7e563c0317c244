import { LineCounter, parseDocument, isAlias, isCollection, isMap, isScalar, visit, type Document } from 'yaml';
import { z } from 'zod';
import { SLUG_PATTERN, slugify } from '../domain/slug.js';
import { dateFromFileName, markerOffsetMinutes, parseDate } from './dates.js';
import { ArchiveFormatError } from './errors.js';
import { FRONT_MATTER_MAX_BYTES, YAML_MAX_ALIAS_COUNT } from './limits.js';
import { POST_STATUSES, SUMMARY_MAX, canonicalLanguage, isTimeZone } from '../../contract/index.js';

/** Jekyll / WordPress-export front matter: the fields Liveline understands; every other field is kept as is. */

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const label = scalar.pipe(z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'));
/** `categories: Liveblog` and `categories: [Liveblog, Storage]` mean the same. */
const labelList = z
  .union([label.transform((one) => [one]), z.array(label).max(50), z.null().transform(() => [])])
  .optional()
  .transform((list) => list ?? []);

export const frontMatterSchema = z.looseObject({
  title: scalar.pipe(z.string().trim().min(1, 'title must not be empty').max(200)).optional(),
  slug: scalar
    .transform((value) => (SLUG_PATTERN.test(value) ? value : slugify(value)))
    .optional(),
  date: scalar.optional(),
  description: scalar.pipe(z.string().max(2000)).optional(),
  excerpt: scalar.pipe(z.string().max(2000)).optional(),
  status: z.enum(POST_STATUSES).optional(),
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').optional(),
  /** The post's language, as Jekyll sites write it (jekyll-seo-tag, Polyglot): a BCP 47 tag. */
  lang: scalar.pipe(z.string().refine((tag) => canonicalLanguage(tag) !== undefined, 'must be a BCP 47 language tag such as en, de-AT or pt-BR')).optional(),
  /** When an ended post ended, if not at its last entry. */
  ended: scalar.optional(),
  /** `none`: the post has no start time (`date` is then when it was created). */
  starts: scalar.optional(),
  /** "What we know": the post's summary, Markdown (usually a short list). */
  summary: scalar.pipe(z.string().max(SUMMARY_MAX, `must be at most ${SUMMARY_MAX} characters`)).optional(),
  wordpress_id: z.union([z.number().int(), z.string().min(1)]).optional(),
  categories: labelList,
  tags: labelList,
});

export type PostMeta = {
  title: string;
  slug: string;
  description: string;
  status: (typeof POST_STATUSES)[number];
  timezone: string;
  /** From `lang:`; null (no `lang`) follows the site's DEFAULT_LANGUAGE. */
  language: string | null;
  /** `starts: none`: the post has no start time of its own; `startsAt` (its date) still times the entries. */
  noStart: boolean;
  /** From `ended:`; null: an ended post ended with its last entry. */
  endedAt: string | null;
  /** From `summary:`; null (no `summary`) keeps the post's current one on a re-import. */
  summary: string | null;
  startsAt: string;
  /** UTC offset the date was written in; time markers are read in it. */
  offsetMinutes: number;
  tags: string[];
  categories: string[];
  /** `wordpress:2210` when the file has a wordpress_id, else `slug:<slug>`. */
  importKey: string;
  /** Every field exactly as the file had it, unknown ones included, in the file's order. */
  frontMatter: Record<string, unknown>;
};

export type SplitFile = { yaml: string; body: string; bodyLine: number };

/** Separates `---` front matter from the body; CRLF and a BOM are normalised first. */
export function splitFrontMatter(text: string, file: string): SplitFile {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!/^---[ \t]*\n/.test(normalized)) {
    throw new ArchiveFormatError(file, 1, 'no YAML front matter: the file must start with a line "---"');
  }
  const close = /^(?:---|\.\.\.)[ \t]*$/m;
  const rest = normalized.slice(normalized.indexOf('\n') + 1);
  const end = close.exec(rest);
  if (!end) throw new ArchiveFormatError(file, 1, 'the front matter is not closed by a line "---"');
  const yaml = rest.slice(0, end.index);
  if (Buffer.byteLength(yaml) > FRONT_MATTER_MAX_BYTES) {
    // The line the limit is passed on: the YAML starts on line 2.
    const within = Buffer.from(yaml).subarray(0, FRONT_MATTER_MAX_BYTES).toString();
    throw new ArchiveFormatError(file, 2 + lineBreaks(within), `the front matter is larger than ${FRONT_MATTER_MAX_BYTES / 1024} KiB; keep the post's fields in it and the entries below it`);
  }
  const afterClose = rest.slice(end.index + end[0].length).replace(/^\n/, '');
  return { yaml, body: afterClose, bodyLine: 2 + lineCount(yaml) + 1 };
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function lineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/** Parses and validates the front matter; errors name the line in the file (the YAML starts on line 2). */
export function readFrontMatter(yamlText: string, file: string): PostMeta {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  const [yamlError] = doc.errors;
  if (yamlError) {
    throw new ArchiveFormatError(file, fileLine(yamlError.pos[0]), `broken YAML front matter: ${yamlError.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) throw new ArchiveFormatError(file, 2, 'the front matter must be a mapping of fields (key: value)');
  const raw = toPlainData(doc, file, fileLine);
  const parsed = frontMatterSchema.safeParse(raw);
  const lineOf = (key: unknown) => {
    const node = typeof key === 'string' ? (doc.get(key, true) as { range?: [number, number, number] } | undefined) : undefined;
    return node?.range ? fileLine(node.range[0]) : 1;
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    throw new ArchiveFormatError(file, lineOf(issue.path[0]), `${field}: ${issue.message}`);
  }
  const fm = parsed.data;
  if (fm.title === undefined) throw new ArchiveFormatError(file, 1, 'title is required in the front matter');
  const dateText = fm.date ?? dateFromFileName(file);
  if (dateText === null) {
    throw new ArchiveFormatError(file, 1, 'date is required (e.g. "date: 2011-03-14 09:02:44+00:00", or a file name like 2011-03-14-slug.md)');
  }
  const date = parseDate(dateText, fm.timezone);
  if (!date) throw new ArchiveFormatError(file, lineOf('date'), `date: "${dateText}" is not a date such as 2011-03-14 09:02:44+00:00`);
  const slug = fm.slug ?? slugify(fm.title);
  const endedAt = fm.ended === undefined ? null : parseDate(fm.ended, fm.timezone);
  if (fm.ended !== undefined && !endedAt) throw new ArchiveFormatError(file, lineOf('ended'), `ended: "${fm.ended}" is not a date such as 2011-03-14 18:00:00+00:00`);
  return {
    title: fm.title,
    slug,
    description: fm.description ?? fm.excerpt ?? '',
    status: fm.status ?? 'ended',
    timezone: fm.timezone ?? 'UTC',
    language: fm.lang === undefined ? null : canonicalLanguage(fm.lang)!,
    summary: fm.summary ?? null,
    endedAt: endedAt === null ? null : new Date(endedAt.ms).toISOString(),
    noStart: fm.starts === 'none',
    startsAt: new Date(date.ms).toISOString(),
    offsetMinutes: markerOffsetMinutes(fm.timezone, date, date.ms),
    tags: fm.tags,
    categories: fm.categories,
    importKey: fm.wordpress_id === undefined ? `slug:${slug}` : `wordpress:${fm.wordpress_id}`,
    frontMatter: raw,
  };
}

/**
 * The document as plain data. The yaml package throws (a ReferenceError) for aliases it will not
 * expand, past YAML_MAX_ALIAS_COUNT or to an anchor that does not exist; that is the file's fault,
 * so it is reported at the first alias to a missing anchor, else at the first alias.
 */
function toPlainData(doc: Document, file: string, fileLine: (offset: number) => number): Record<string, unknown> {
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (error) {
    // One pass in document order (an anchor must come before its aliases); Alias.resolve would
    // search the whole document for each alias.
    const anchors = new Set<string>();
    let first: number | undefined;
    let unresolved: number | undefined;
    visit(doc, (_key, node) => {
      if (isAlias(node)) {
        const at = node.range?.[0] ?? 0;
        first ??= at;
        if (!anchors.has(node.source)) {
          unresolved = at;
          return visit.BREAK;
        }
      } else if ((isScalar(node) || isCollection(node)) && node.anchor) {
        anchors.add(node.anchor);
      }
      return undefined;
    });
    const line = fileLine(unresolved ?? first ?? 0);
    const message = error instanceof Error ? error.message : String(error);
    const excessive = /alias count/i.test(message);
    throw new ArchiveFormatError(
      file,
      line,
      excessive
        ? `the front matter's YAML aliases (*name) expand to more than ${YAML_MAX_ALIAS_COUNT} values; write the values out instead`
        : `broken YAML front matter: ${message.split('\n')[0]}`,
    );
  }
}
