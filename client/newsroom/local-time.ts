/**
 * <input type=datetime-local> speaks the browser's local time without a zone; the API speaks UTC
 * ISO 8601. The desk's shown-time field (to the second) and the post's start time (to the minute)
 * convert here, both ways.
 */

export function toLocalInput(iso: string, precision: 'minutes' | 'seconds'): string {
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, precision === 'seconds' ? 19 : 16);
}

/** Undefined when the field is empty (or holds something that is not a time). */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
