/**
 * One clock for the newsroom (issue 14). An editor in Berlin on a Los Angeles event used to see
 * three clocks on one screen; now every time the newsroom shows is in the post's event zone,
 * always labelled ("23:35 PT"), with the browser-zone equivalent as a hint when it reads
 * differently ("08:35 your time"), and every time field (<input type=datetime-local>, which has
 * no zone of its own) is typed in the event zone. This file is the only place that formats or
 * parses a newsroom time; it has no other state than the page's event zone.
 *
 * Daylight saving, when an event-zone wall time is turned into an instant (fromEventInput):
 * - a wall time that happens twice (clocks go back: 01:30 in Los Angeles on the first Sunday of
 *   November) means the earlier of the two (01:30 PDT);
 * - a wall time that does not exist (clocks go forward: 02:30 on the second Sunday of March)
 *   moves forward by the length of the gap (03:30 PDT), as a wall clock that was not yet
 *   turned forward would read it.
 * This is Temporal's and java.time's default ("compatible"). Fields show the saved value and
 * what it will save as, so neither case passes unseen, and a field left unchanged never resends
 * its value (a time in the repeated hour stays the later one).
 */

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formats = new Map<string, Intl.DateTimeFormat>();
/** Building an Intl.DateTimeFormat costs ~100 µs; the desk formats thousands of times: one per use and zone. */
function format(key: string, zone: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `${key}\u0000${zone}`;
  let found = formats.get(cacheKey);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    formats.set(cacheKey, found);
  }
  return found;
}

function wallAt(ms: number, zone: string): Wall {
  const parts = format('wall', zone, 'en-US', { hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Date.UTC, without its mapping of years 0–99 to 1900–1999. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

const wallMs = (wall: Wall) => utc(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second);

/** The zone's offset from UTC at an instant, in ms (whole seconds: the sub-second part is not the zone's). */
function offsetAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallMs(wallAt(whole, zone)) - whole;
}

/** The canonical name of a zone the browser knows (any case), or undefined. */
export function knownZone(value: string): string | undefined {
  if (!value.trim()) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value.trim() }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The browser's own zone. */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const ABBREVIATION = /^[A-Z]{1,5}$/;
const zoneName = (zone: string, ms: number, locale: string, style: 'shortGeneric' | 'short') =>
  format(`name-${locale}-${style}`, zone, locale, { timeZoneName: style }).formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? '';

/**
 * The short label of a zone at an instant: the generic abbreviation where English has one
 * ("PT", "ET", "MST"), else the British one ("CET"/"CEST", "BST", "UTC"), else the offset
 * ("GMT+5:30", "GMT+9"). Never a long name ("Germany Time"). In another language (a reader page
 * in German or French), that language's own short name: "MEZ", "UTC+1", "غرينتش+1".
 */
export function zoneLabel(zone: string, at: Date | number = Date.now(), locale = 'en'): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!/^en(-|$)/i.test(locale)) return zoneName(zone, ms, locale, 'short');
  const generic = zoneName(zone, ms, 'en-US', 'shortGeneric');
  if (ABBREVIATION.test(generic)) return generic;
  const british = zoneName(zone, ms, 'en-GB', 'short');
  if (ABBREVIATION.test(british)) return british;
  return zoneName(zone, ms, 'en-US', 'short');
}

export type ClockOptions = {
  /** Show seconds (the desk: entries a few seconds apart). Default: minutes. */
  seconds?: boolean;
  /** "Today" is the event's today at this instant. Default: now. */
  now?: Date | number;
  /** The zone of the person looking. Default: the browser's. */
  localZone?: string;
};

export type ClockText = {
  /** "23:35 PT", or "Sat 14 Mar, 23:35 PT" when not the event's today (with the year when not this year). */
  text: string;
  /** "08:35 your time" ("Sun 15 Mar, 08:35 your time" on another day), or undefined when the browser's clock reads the same. */
  hint: string | undefined;
  /** Both in full, for a tooltip. */
  title: string;
};

const sameDay = (a: Wall, b: Wall) => a.year === b.year && a.month === b.month && a.day === b.day;

/** "Sat 14 Mar, " (or "Sat 14 Mar 2026, "): from parts, as locales put commas in different places. */
function dayPrefix(ms: number, zone: string, withYear: boolean): string {
  const parts = format('day', zone, 'en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? '';
  return `${[get('weekday'), get('day'), get('month'), ...(withYear ? [get('year')] : [])].join(' ')}, `;
}

function clockFace(ms: number, zone: string, seconds: boolean): string {
  return format(seconds ? 'hms' : 'hm', zone, 'en-GB', { hourCycle: 'h23', hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) }).format(ms);
}

/** A time as the newsroom says it: in the event zone, labelled, with the browser's equivalent. */
export function describeTime(iso: string, zone: string, options: ClockOptions = {}): ClockText {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { text: iso, hint: undefined, title: iso };
  const localZone = options.localZone ?? browserZone();
  const event = wallAt(ms, zone);
  const today = wallAt(typeof options.now === 'number' ? options.now : (options.now ?? new Date()).getTime(), zone);
  const label = zoneLabel(zone, ms);
  const date = sameDay(event, today) ? '' : dayPrefix(ms, zone, event.year !== today.year);
  const text = `${date}${clockFace(ms, zone, options.seconds ?? false)} ${label}`;
  const long = (z: string) => format('long', z, 'en-GB', { hourCycle: 'h23', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(ms);
  const eventTitle = `${long(zone)} ${label} (event time, ${zone})`;
  const local = wallAt(ms, localZone);
  if (wallMs(local) === wallMs(event)) return { text, hint: undefined, title: eventTitle };
  const localDate = sameDay(local, event) ? '' : dayPrefix(ms, localZone, local.year !== event.year);
  return {
    text,
    hint: `${localDate}${clockFace(ms, localZone, false)} your time`,
    title: `${eventTitle} · ${long(localZone)} ${zoneLabel(localZone, ms)} (your time, ${localZone})`,
  };
}

/** One line of text: "23:35 PT (08:35 your time)". */
export function timeText(iso: string, zone: string, options: ClockOptions = {}): string {
  const { text, hint } = describeTime(iso, zone, options);
  return hint ? `${text} (${hint})` : text;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The value of an <input type=datetime-local> typed in `zone` for an instant: "2026-03-14T23:35" (or "…:07"). */
export function toEventInput(iso: string, zone: string, precision: 'minutes' | 'seconds'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallAt(ms, zone);
  const minutes = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
  return precision === 'seconds' ? `${minutes}:${pad(w.second)}` : minutes;
}

const INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const DAY_MS = 86_400_000;

/**
 * The UTC ISO instant of an <input type=datetime-local> value typed in `zone`; undefined when the
 * field is empty, is not a time, or the zone is unknown. Daylight saving: see the top of this file.
 */
export function fromEventInput(value: string, zone: string): string | undefined {
  const match = INPUT.exec(value.trim());
  if (!match || !knownZone(zone)) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const wall: Wall = { year, month, day, hour, minute, second };
  const local = wallMs(wall);
  // Dates roll 31 February over into March: a wall time that is not a date is refused.
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() + 1 !== month || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number((match[7] ?? '').padEnd(3, '0'));
  // A zone changes its offset at most once within a day either side: the offsets there are the candidates.
  const before = offsetAt(local - DAY_MS, zone);
  const candidates = [before, offsetAt(local, zone), offsetAt(local + DAY_MS, zone)]
    .map((offset) => local - offset)
    .filter((instant) => wallMs(wallAt(instant, zone)) === local)
    .sort((a, b) => a - b);
  const instant = candidates[0] ?? local - before;
  const date = new Date(instant + millis);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * What a "Starts at" field saves, given the zone field next to it. The field holds a wall time
 * in whatever zone the form names, so changing only the zone keeps the wall time and moves the
 * instant: 09:00 typed while the zone still said Europe/Berlin means 09:00 in Los Angeles once
 * the zone is corrected (the usual mistake is the zone, not the hour). A field and zone both
 * left as loaded keep the saved instant exactly (no rounding to the minute, no DST shift).
 * Undefined: the field cannot be saved (not a time, or an unknown zone).
 */
export function startsAtToSave(field: { value: string; loaded: string }, zone: { value: string; loaded: string }, saved: string | null): string | null | undefined {
  if (field.value === field.loaded && zone.value === zone.loaded) return saved;
  if (!field.value) return null;
  return fromEventInput(field.value, zone.value);
}

/** The next full hour in `zone`, for a field to start from. */
export function nextFullHourInput(zone: string, now: Date | number = Date.now()): string {
  const ms = typeof now === 'number' ? now : now.getTime();
  const w = wallAt(ms, zone);
  const next = new Date(utc(w.year, w.month, w.day, w.hour + 1));
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}T${pad(next.getUTCHours())}:00`;
}

// ---- The page's clock: the DOM side ----------------------------------------------------------

/** A newsroom page shows one post, so one event zone; the composer sets it and follows changes. */
let pageZone = 'UTC';

export function eventZone(): string {
  return pageZone;
}

/** Renders a time into `node` (a .clock span): <time> with the event time, then the hint. */
function paint(node: HTMLElement): void {
  const iso = node.dataset.clock ?? '';
  const { text, hint, title } = describeTime(iso, pageZone, { seconds: node.dataset.precision === 'seconds' });
  const time = document.createElement('time');
  time.dateTime = iso;
  time.title = title;
  time.textContent = text;
  const children: Node[] = [time];
  if (hint) {
    const small = document.createElement('span');
    small.className = 'clock-hint';
    small.textContent = ` (${hint})`;
    children.push(small);
  }
  node.replaceChildren(...children);
}

/** A time for the page, in the event zone: `<span class="clock"><time …>23:35 PT</time> (08:35 your time)</span>`. */
export function clockElement(iso: string, precision: 'minutes' | 'seconds' = 'minutes'): HTMLSpanElement {
  const node = document.createElement('span');
  node.className = 'clock';
  node.dataset.clock = iso;
  node.dataset.precision = precision;
  paint(node);
  return node;
}

let watchedDay = '';
let watching = false;

/**
 * Sets the page's event zone. Times already on the page are repainted in it (so the desk, the
 * outbox and history never show two zones), and again whenever the event's day turns (a time
 * from before midnight gains its date).
 */
export function setEventZone(zone: string): void {
  const changed = zone !== pageZone;
  pageZone = zone;
  watchedDay = toEventInput(new Date().toISOString(), pageZone, 'minutes').slice(0, 10);
  if (typeof document === 'undefined') return;
  if (changed) repaintAll();
  if (!watching) {
    watching = true;
    window.setInterval(() => {
      const day = toEventInput(new Date().toISOString(), pageZone, 'minutes').slice(0, 10);
      if (day === watchedDay) return;
      watchedDay = day;
      repaintAll();
    }, 60_000);
  }
}

function repaintAll(): void {
  document.querySelectorAll<HTMLElement>('.clock[data-clock]').forEach(paint);
}
