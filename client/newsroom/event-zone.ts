/**
 * Interim: the event zone's wall clock for find-in-post and jump-to-time, until clock.ts (issue 14,
 * "one clock", written alongside) lands. `fromEventInput` and `toEventInput` have clock.ts's
 * signatures, so at the merge find.ts and jump.ts import them from there and this file goes.
 */

const PARTS = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } as const;

/** The wall clock in `zone` at `ms`, as the UTC milliseconds of the same digits. */
function wallClock(ms: number, zone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { ...PARTS, timeZone: zone }).formatToParts(ms).map((part) => [part.type, part.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/**
 * `YYYY-MM-DDTHH:MM[:SS]` on the event's wall clock → the UTC ISO instant (undefined when it is
 * not such a value). The zone's offset is read at the guessed instant, then again at the
 * corrected one, which settles it across a daylight-saving change.
 */
export function fromEventInput(value: string, zone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second = '0'] = match.slice(1).map((part) => part ?? '0');
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
  if (Number.isNaN(wall)) return undefined;
  let instant = wall - (wallClock(wall, zone) - wall);
  instant = wall - (wallClock(instant, zone) - instant);
  return new Date(instant).toISOString();
}

/** The UTC ISO instant → `YYYY-MM-DDTHH:MM[:SS]` on the event's wall clock. */
export function toEventInput(iso: string, zone: string, precision: 'minutes' | 'seconds'): string {
  const wall = new Date(wallClock(new Date(iso).getTime(), zone)).toISOString();
  return wall.slice(0, precision === 'seconds' ? 19 : 16);
}

/** "13:09:45 PT": a time on the desk, in the event zone, labelled. */
export function eventClock(iso: string, zone: string): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return `${time} ${zoneLabel(zone, date)}`;
}

/** The zone's abbreviation ("PT", "CET", "UTC"), else its offset ("GMT+5:30"). */
export function zoneLabel(zone: string, at: Date = new Date()): string {
  const name = (locale: string, style: 'shortGeneric' | 'short') =>
    new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: style }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const offset = name('en-US', 'short');
  return [name('en-US', 'shortGeneric'), name('en-GB', 'short'), offset].find((label) => /^[A-Z]{2,5}$/.test(label)) ?? offset;
}
