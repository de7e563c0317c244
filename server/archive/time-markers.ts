/**
 * Time markers at the start of a liveblog paragraph: `**Update 09:40:**`, `**9:40am**`, `[09:40]`.
 * A marker sets the entry's time of day; the day comes from the post's date. Pure functions.
 */

export type ClockTime = { hours: number; minutes: number; seconds: number };

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?[ \t]*(?:([ap])\.?[ \t]*m\.?)?`;
const BOLD = new RegExp(String.raw`^\*\*(?:update(?:d)?\s+(?:at\s+)?)?${TIME}[ \t]*:?[ \t]*\*\*[ \t]*:?`, 'i');
// A bracketed time that is not the text of a Markdown link ("[09:40](http://…)").
const BRACKET = new RegExp(String.raw`^\[${TIME}\](?!\()[ \t]*:?`, 'i');

/** Splits a leading time marker off a block; `time` is null when the block has none. */
export function splitMarker(block: string): { time: ClockTime | null; body: string } {
  for (const pattern of [BOLD, BRACKET]) {
    const match = pattern.exec(block);
    if (!match) continue;
    const time = toClock(match);
    if (!time) continue;
    return { time, body: block.slice(match[0].length).replace(/^[ \t]*(?:[-–—][ \t]+)?/, '').replace(/^\s*\n/, '') };
  }
  return { time: null, body: block };
}

function toClock(match: RegExpExecArray): ClockTime | null {
  let hours = Number(match[1]);
  const minutes = Number(match[2]);
  const seconds = match[3] === undefined ? 0 : Number(match[3]);
  const half = match[4]?.toLowerCase();
  if (minutes > 59 || seconds > 59) return null;
  if (half) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (half === 'p' ? 12 : 0);
  } else if (hours > 23) {
    return null;
  }
  return { hours, minutes, seconds };
}

/** `**09:40**`, or `**09:40:15**` when the time has seconds: the form an export writes. */
export function formatMarker(time: ClockTime): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(time.hours)}:${pad(time.minutes)}${time.seconds ? `:${pad(time.seconds)}` : ''}`;
  return `**${clock}**`;
}

/** Blocks that would change meaning with text in front of them on the same line. */
const BLOCK_START = /^(?:[-*+][ \t]|\d{1,9}[.)][ \t]|>|#{1,6}[ \t]|```|~~~|\||<|[ \t]{4}|\n)/;

/** The paragraph an export writes: the marker, then the body (on the next line when it is a list, quote, code…). */
export function withMarker(time: ClockTime, body: string): string {
  return `${formatMarker(time)}${BLOCK_START.test(body) ? '\n' : ' '}${body}`;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HALF_DAY_MS = DAY_MS / 2;

/** The clock time of an instant in a fixed UTC offset (minutes east of UTC). */
export function clockAt(instantMs: number, offsetMinutes: number): ClockTime {
  const local = new Date(instantMs + offsetMinutes * 60_000);
  return { hours: local.getUTCHours(), minutes: local.getUTCMinutes(), seconds: local.getUTCSeconds() };
}

/**
 * The instant of `time` on the day of `referenceMs` (in the offset). A time more than 12 hours
 * before the reference belongs to the next day: a keynote that runs past midnight.
 */
export function instantOnDay(time: ClockTime, referenceMs: number, offsetMinutes: number): number {
  const offsetMs = offsetMinutes * 60_000;
  const local = new Date(referenceMs + offsetMs);
  const candidate =
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), time.hours, time.minutes, time.seconds) - offsetMs;
  return candidate < referenceMs - HALF_DAY_MS ? candidate + DAY_MS : candidate;
}

/** Spacing of entries that have no marker and nothing after them to spread up to. */
export const DEFAULT_STEP_MS = 60_000;

/**
 * Instants for a post's blocks in file order. Marked blocks take their marker's time; runs of
 * unmarked blocks are spread evenly between the times around them (from the post's date for
 * the first run), or one minute apart when no marked block follows. Whole seconds, so an
 * export's markers reproduce them exactly. A marker may be an exact instant (ms) instead of a clock time.
 */
export function assignTimes(markers: (ClockTime | number | null)[], startMs: number, offsetMinutes: number): number[] {
  const anchored: (number | null)[] = [];
  let reference = startMs;
  for (const marker of markers) {
    // A number is an exact instant (an entry header's `at`): it is the next reference as it is.
    if (marker !== null) reference = typeof marker === 'number' ? marker : instantOnDay(marker, reference, offsetMinutes);
    anchored.push(marker !== null ? reference : null);
  }
  const times: number[] = [];
  let index = 0;
  let previous: number | null = null; // null: before the first marked block
  while (index < markers.length) {
    const own = anchored[index];
    if (own !== null && own !== undefined) {
      times.push(own);
      previous = own;
      index += 1;
      continue;
    }
    let end = index;
    while (end < markers.length && anchored[end] === null) end += 1;
    const count = end - index;
    const from = previous ?? startMs;
    const next = anchored[end] ?? null;
    // The first run starts at the post's date itself; later runs start after their marked entry.
    const lead = previous === null ? 0 : 1;
    for (let i = 0; i < count; i += 1) {
      const at =
        next !== null && next > from
          ? from + ((next - from) * (i + lead)) / (count + lead)
          : from + (i + lead) * DEFAULT_STEP_MS;
      times.push(Math.round(at / 1000) * 1000);
    }
    index = end;
  }
  return times;
}
