import { formattingLocale } from '../../contract/i18n/languages.js';
/**
 * Day separators on the server-rendered page (issue 15, orientation): a post that runs past
 * midnight reads as one long list of times unless the days are marked. The server marks them in
 * the event's time zone, so a reader without JavaScript sees them; the reader script redraws them
 * in the reader's own zone (client/day-separators.ts), keyed by the same `data-day`.
 */

type DayFormats = { key: Intl.DateTimeFormat; label: Intl.DateTimeFormat };

/**
 * One pair per language and zone, as pages.ts keeps its time formatters (building one costs
 * ~100 µs). The label is in the post's language ("Samstag, 14. März 2026", "السبت، ١٤ مارس ٢٠٢٦").
 */
const formats = new Map<string, DayFormats>();
function formatsFor(timeZone: string, language: string): DayFormats {
  const cacheKey = `${language} ${timeZone}`;
  let set = formats.get(cacheKey);
  if (!set) {
    set = {
      // en-CA writes dates as YYYY-MM-DD: a key that sorts and compares as text.
      key: new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }),
      label: new Intl.DateTimeFormat(formattingLocale(language), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone }),
    };
    if (formats.size < 1000) formats.set(cacheKey, set);
  }
  return set;
}

export type Day = { key: string; label: string };

/** The calendar day `iso` falls on in `timeZone`: "2026-03-14" and "Saturday 14 March 2026" (in `language`, a BCP 47 tag). */
export function dayOf(iso: string, timeZone: string, language = 'en'): Day {
  const date = new Date(iso);
  const { key, label } = formatsFor(timeZone, language);
  return { key: key.format(date), label: label.format(date) };
}

/**
 * For items in the order they are shown: the day to announce before each one, where a new day
 * starts. Nothing at all when every item falls on the same day (the header already dates it).
 */
export function dayBreaks<T extends { createdAt: string }>(items: readonly T[], timeZone: string, language = 'en'): (Day | undefined)[] {
  const days = items.map((item) => dayOf(item.createdAt, timeZone, language));
  if (new Set(days.map((day) => day.key)).size < 2) return items.map(() => undefined);
  return days.map((day, index) => (index === 0 || days[index - 1]!.key !== day.key ? day : undefined));
}
