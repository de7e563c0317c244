/** Front-matter dates: `2011-03-14 09:02:44+00:00`, `2011-03-14T09:02:44Z`, `2011-03-14`. Pure functions. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export type ParsedDate = { ms: number; offsetMinutes: number; hasZone: boolean };

/** The instant and the UTC offset a date was written in; a date without an offset is in `timeZone` (UTC by default). */
export function parseDate(text: string, timeZone = 'UTC'): ParsedDate | null {
  const match = DATE.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = match;
  const localMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.round(Number(`0.${frac}`) * 1000));
  const check = new Date(localMs);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return null;
  }
  if (zone) {
    const offsetMinutes = parseOffset(zone);
    return { ms: localMs - offsetMinutes * 60_000, offsetMinutes, hasZone: true };
  }
  // Wall-clock time in a zone: correct the guess once by the zone's offset at that instant.
  const guess = localMs - zoneOffsetMinutes(timeZone, localMs) * 60_000;
  const offsetMinutes = zoneOffsetMinutes(timeZone, guess);
  return { ms: localMs - offsetMinutes * 60_000, offsetMinutes, hasZone: false };
}

/** Minutes east of UTC of an IANA zone at an instant ("Europe/Berlin" in summer → 120). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(ms))
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = name ? /GMT([+-])(\d{2}):(\d{2})/.exec(name) : null;
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * The offset time markers are read and written in: the post's time zone when the file names one,
 * else the offset its date was written in, else UTC.
 */
export function markerOffsetMinutes(explicitZone: string | undefined, date: ParsedDate | null, ms: number): number {
  if (explicitZone) return zoneOffsetMinutes(explicitZone, ms);
  return date?.offsetMinutes ?? 0;
}

function parseOffset(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

/** `2011-03-14 09:02:44+00:00`: the WordPress-export style, in the given offset. */
export function formatDate(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const millis = local.slice(19, 23) === '.000' ? '' : local.slice(19, 23);
  return `${local.slice(0, 10)} ${local.slice(11, 19)}${millis}${zone}`;
}

/** Jekyll's `_posts/2011-03-14-slug.md` convention: the date from the file name. */
export function dateFromFileName(fileName: string): string | null {
  const match = /(?:^|[\\/])(\d{4}-\d{2}-\d{2})-[^\\/]*$/.exec(fileName);
  return match ? match[1]! : null;
}
