/**
 * The entry header of Liveline's Jekyll format: a time-marker line, then kramdown attribute
 * lines (block IALs), then the entry's blocks up to the next header. It is what makes a Jekyll
 * export lossless (multi-block entries stay whole, flags and fields survive) while staying
 * ordinary Markdown that `jekyll build` renders (kramdown applies the IAL to the marker's
 * paragraph: `<p class="entry key"><strong>09:40</strong></p>`):
 *
 *     **09:40**
 *     {: .entry .key .pinned}
 *     {: author="Ada Lovelace"}
 *
 *     First paragraph of the entry.
 *
 *     - a list, still the same entry
 *
 * Fields are rows of ENTRY_ATTRIBUTES: a flag is a class on the first line, a text field a line
 * of its own. Adding a field is one row. Pure functions.
 */
import { formatMarker, splitMarker, type ClockTime } from './time-markers.js';

/**
 * What a header carries besides the time; every field is optional in a file. People are names
 * (ids do not carry across databases): `author` is the byline, `coAuthors` the others, in order.
 */
export type EntryFields = {
  keyEvent: boolean;
  pinned: boolean;
  author: string | null;
  coAuthors: string[];
  headline: string | null;
  location: string | null;
  tags: string[];
  claim: string | null;
  correctionNote: string | null;
  correctedAt: string | null;
};

export const EMPTY_FIELDS: EntryFields = {
  keyEvent: false,
  pinned: false,
  author: null,
  coAuthors: [],
  headline: null,
  location: null,
  tags: [],
  claim: null,
  correctionNote: null,
  correctedAt: null,
};

/** Names are separated by semicolons (a name may hold a comma), tags by commas (a tag holds neither). */
const list = (separator: string) => ({
  write: (values: string[]) => (values.length ? values.join(`${separator} `) : null),
  read: (value: string) => value.split(separator).map((item) => item.trim()).filter(Boolean),
});
const names = list(';');
const tagList = list(',');

type FlagRow = { kind: 'flag'; className: string; get: (fields: EntryFields) => boolean; set: (fields: EntryFields) => void };
type TextRow = { kind: 'text'; attribute: string; get: (fields: EntryFields) => string | null; set: (fields: EntryFields, value: string) => void };
type AttributeRow = FlagRow | TextRow;

/**
 * One row per field, in the order lines are written: `{: author="Ada Lovelace"}`,
 * `{: coauthors="Bob Author; Cora Smith"}`, `{: headline="…"}`, `{: location="…"}`,
 * `{: tags="keynote, phones"}`, `{: claim="unconfirmed"}`, `{: correction="…"}` with
 * `{: corrected="2026-03-14T10:05:00.000Z"}`. Image captions and credits are Markdown lines under
 * the image, so they ride in the body.
 */
export const ENTRY_ATTRIBUTES: readonly AttributeRow[] = [
  { kind: 'flag', className: 'key', get: (f) => f.keyEvent, set: (f) => void (f.keyEvent = true) },
  { kind: 'flag', className: 'pinned', get: (f) => f.pinned, set: (f) => void (f.pinned = true) },
  { kind: 'text', attribute: 'author', get: (f) => f.author, set: (f, value) => void (f.author = value) },
  { kind: 'text', attribute: 'coauthors', get: (f) => names.write(f.coAuthors), set: (f, value) => void (f.coAuthors = names.read(value)) },
  { kind: 'text', attribute: 'headline', get: (f) => f.headline, set: (f, value) => void (f.headline = value) },
  { kind: 'text', attribute: 'location', get: (f) => f.location, set: (f, value) => void (f.location = value) },
  { kind: 'text', attribute: 'tags', get: (f) => tagList.write(f.tags), set: (f, value) => void (f.tags = tagList.read(value)) },
  { kind: 'text', attribute: 'claim', get: (f) => f.claim, set: (f, value) => void (f.claim = value) },
  { kind: 'text', attribute: 'correction', get: (f) => f.correctionNote, set: (f, value) => void (f.correctionNote = value) },
  { kind: 'text', attribute: 'corrected', get: (f) => f.correctedAt, set: (f, value) => void (f.correctedAt = value) },
];

/** The class every header carries: it says "a Liveline entry starts here" to readers and stylesheets. */
const ENTRY_CLASS = 'entry';
/** The exact instant, written only when the marker alone would not give it back (another day, milliseconds). */
const AT_ATTRIBUTE = 'at';

export type EntryHeader = { time: ClockTime; at: string | null; fields: EntryFields };

const ATTRIBUTE_LINE = /^\{:[ \t]*(.*?)[ \t]*\}[ \t]*$/;

/**
 * A paragraph that is an entry header: a marker alone on its first line, then one or more
 * attribute lines. Anything else (a plain paragraph, a marker followed by text) is null.
 */
export function readHeader(paragraph: string): EntryHeader | null {
  const lines = paragraph.split('\n');
  if (lines.length < 2) return null;
  const { time, body } = splitMarker(lines[0]!);
  if (!time || body.trim() !== '') return null;
  const fields: EntryFields = { ...EMPTY_FIELDS };
  let at: string | null = null;
  for (const line of lines.slice(1)) {
    const match = ATTRIBUTE_LINE.exec(line);
    if (!match) return null;
    const parsed = parseAttributeList(match[1]!);
    if (!parsed) return null;
    for (const row of ENTRY_ATTRIBUTES) {
      if (row.kind === 'flag' && parsed.classes.includes(row.className)) row.set(fields);
      if (row.kind === 'text' && parsed.values.has(row.attribute)) row.set(fields, parsed.values.get(row.attribute)!);
    }
    at = parsed.values.get(AT_ATTRIBUTE) ?? at;
  }
  return { time, at, fields };
}

/** The header an export writes; `at` when the marker alone would not give the entry's instant back. */
export function formatHeader(time: ClockTime, at: string | null, fields: EntryFields): string {
  const classes = [ENTRY_CLASS];
  const lines: string[] = [];
  for (const row of ENTRY_ATTRIBUTES) {
    if (row.kind === 'flag') {
      if (row.get(fields)) classes.push(row.className);
    } else {
      const value = row.get(fields);
      if (value !== null && value !== '') lines.push(`{: ${row.attribute}="${escapeValue(value)}"}`);
    }
  }
  if (at !== null) lines.push(`{: ${AT_ATTRIBUTE}="${at}"}`);
  return [formatMarker(time), `{: ${classes.map((name) => `.${name}`).join(' ')}}`, ...lines].join('\n');
}

/**
 * kramdown's attribute list syntax, the subset written here: `.class`, `#id`, `name="value"` or
 * `name='value'` (a backslash escapes the quote or `}`). Null for anything else, so a line that
 * only looks like one stays text.
 */
function parseAttributeList(text: string): { classes: string[]; values: Map<string, string> } | null {
  const classes: string[] = [];
  const values = new Map<string, string>();
  const token = /\s*(?:\.([\w-]+)|#([\w-]+)|([\w-]+)=(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)'))/y;
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const match = token.exec(text);
    if (!match) return text.slice(at).trim() === '' ? { classes, values } : null;
    if (match[1]) classes.push(match[1]);
    else if (match[3]) values.set(match[3], unescapeValue(match[4] ?? match[5] ?? ''));
    at = token.lastIndex;
  }
  return { classes, values };
}

/** Inverse of unescapeValue: a backslash, a double quote and `}` are escaped. */
function escapeValue(value: string): string {
  return value.replace(/[\\"}]/g, (char) => `\\${char}`).replace(/\n/g, ' ');
}

function unescapeValue(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}
