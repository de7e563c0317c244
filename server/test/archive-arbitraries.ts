/**
 * fast-check generators of whole liveblog posts for the archive round-trip properties: entries
 * of random Markdown blocks (paragraphs, lists, quotes, code fences with header-looking lines,
 * headings), Unicode (RTL, CJK, emoji), flags, bylines, and times across zones and days.
 * Test-only (imported by *.test.ts files).
 */
import fc from 'fast-check';
import type { EntryFields } from '../archive/entry-header.js';
import type { ExportEntry, ExportPost } from '../archive/jekyll.js';

const WORDS = ['vote', 'minister', 'Zoë', 'naïve', 'مرحبا', 'שלום', '日本語', '🎉', '👩🏽‍💻', 'x²', '«quoted»', '**bold**', '_it_', '`code`', '[link](https://example.com/a?b=1)', '10:00', '50%', 'a&b', 'C#', '{{ site.title }}'];
const word = fc.constantFrom(...WORDS);
const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((words) => words.join(' '));

/** Lines that look like markers or headers, to put where they must stay text (code, mid-paragraph). */
const lookalike = fc.constantFrom('**09:40**', '{: .entry .key}', '[10:05] not a marker here', '**Update 11:00:**', '{: at="2026-01-01T00:00:00Z"}', '---');

const paragraph = fc.oneof(
  { weight: 4, arbitrary: fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n')) },
  // A marker-looking start inside an entry is the entry's text, not a new entry.
  { weight: 1, arbitrary: line.map((text) => `**09:40** ${text}`) },
);
const list = fc.tuple(fc.boolean(), fc.array(line, { minLength: 1, maxLength: 4 })).map(([ordered, items]) => items.map((item, i) => `${ordered ? `${i + 1}.` : '-'} ${item}`).join('\n'));
const quote = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.map((text) => `> ${text}`).join('\n'));
const code = fc
  .tuple(fc.constantFrom('', 'yaml', 'js'), fc.array(fc.oneof(line, lookalike), { minLength: 1, maxLength: 4 }))
  .map(([lang, lines]) => `\`\`\`${lang}\n${lines.join('\n')}\n\`\`\``);
const heading = fc.tuple(fc.integer({ min: 2, max: 4 }), line).map(([level, text]) => `${'#'.repeat(level)} ${text}`);
const block = fc.oneof({ weight: 4, arbitrary: paragraph }, list, quote, code, heading);

export const body = fc.array(block, { minLength: 1, maxLength: 4 }).map((blocks) => blocks.join('\n\n'));

const ZONES = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham'];
const AUTHORS = ['Ada Lovelace', 'Zoë Ølsen', 'محمد علي', '李雷', 'Bob "B" {Builder}'];

export type GeneratedPost = { post: ExportPost; entries: (ExportEntry & EntryFields)[] };

const MINUTE = 60_000;
/** Gaps between entries: the same instant, seconds, minutes, hours, or days (a multi-day event). */
const gap = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 59 }).map((s) => s * 1000), fc.integer({ min: 1, max: 600 }).map((m) => m * MINUTE), fc.integer({ min: 1, max: 96 * 60 }).map((m) => m * MINUTE));

export const post = fc
  .record({
    title: fc.array(word, { minLength: 1, maxLength: 5 }).map((words) => words.join(' ')),
    description: fc.oneof(fc.constant(''), line),
    status: fc.constantFrom('live', 'ended', 'scheduled'),
    timezone: fc.constantFrom(...ZONES),
    language: fc.constantFrom(null, 'de', 'ar', 'ja', 'pt-BR'),
    summary: fc.oneof(fc.constant(''), list),
    // 1990–2035, whole seconds or not.
    /** A post with no start time of its own (made in the newsroom without one). */
    noStart: fc.boolean(),
    startMs: fc.integer({ min: 631_152_000, max: 2_082_758_400 }).chain((s) => fc.constantFrom(s * 1000, s * 1000 + 250)),
    /** How far the first entry is from the post's start: before it (up to two days) or after. */
    lead: fc.integer({ min: -48 * 60, max: 48 * 60 }).map((m) => m * MINUTE),
    tags: fc.uniqueArray(fc.constantFrom('Cloud', 'Wahl', 'انتخابات', '選挙'), { maxLength: 3 }),
    categories: fc.uniqueArray(fc.constantFrom('Liveblog', 'News'), { maxLength: 2 }),
    entries: fc.array(
      fc.record({
        body,
        gap,
        millis: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 999 })),
        keyEvent: fc.boolean(),
        pin: fc.boolean(),
        author: fc.option(fc.constantFrom(...AUTHORS), { nil: null }),
        // The newsroom's fields (issue 17), as the API would have written them.
        coAuthors: fc.uniqueArray(fc.constantFrom(...AUTHORS), { maxLength: 2 }),
        headline: fc.option(line.map((text) => text.slice(0, 200)), { nil: null }),
        location: fc.option(fc.constantFrom('San Francisco', 'Zürich', 'القاهرة', '東京', 'Hall "B"'), { nil: null }),
        tags: fc.uniqueArray(fc.constantFrom('keynote', 'wahl', '選挙', 'big-news', 'q_and_a'), { maxLength: 3 }),
        claim: fc.constantFrom(null, 'unconfirmed', 'confirmed', 'denied'),
        correction: fc.option(fc.tuple(line.map((text) => text.slice(0, 280)), fc.integer({ min: 631_152_000_000, max: 2_082_758_400_000 })), { nil: null }),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  })
  .map((raw): GeneratedPost => {
    let at = raw.startMs + raw.lead;
    let pinned = false;
    const entries = raw.entries.map((entry) => {
      at += entry.gap;
      const pin = entry.pin && !pinned && entry.body.length % 3 === 0;
      pinned ||= pin;
      return {
        body: entry.body,
        createdAt: new Date(Math.floor(at / 1000) * 1000 + entry.millis).toISOString(),
        keyEvent: entry.keyEvent,
        pinned: pin,
        author: entry.author,
        // Co-authors follow a byline (the first author is the byline).
        coAuthors: entry.author === null ? [] : entry.coAuthors.filter((name) => name !== entry.author),
        headline: entry.headline,
        location: entry.location,
        tags: entry.tags,
        claim: entry.claim,
        correctionNote: entry.correction?.[0] ?? null,
        correctedAt: entry.correction ? new Date(entry.correction[1]).toISOString() : null,
      };
    });
    entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const title = raw.title.replace(/\*\*|`|_/g, '').trim() || 'Untitled';
    return {
      post: {
        title,
        slug: `p-${raw.startMs.toString(36)}-${raw.entries.length}`,
        description: raw.description,
        status: raw.status,
        timezone: raw.timezone,
        language: raw.language,
        summary: raw.summary,
        startsAt: raw.noStart ? null : new Date(raw.startMs).toISOString(),
        createdAt: new Date(raw.startMs).toISOString(),
        tags: raw.tags,
        categories: raw.categories,
      },
      entries,
    };
  });
