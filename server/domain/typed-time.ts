/**
 * An author's own shown time (issue 14, "calm on bad Wi-Fi"). An entry typed on dead Wi-Fi waits
 * in the composer's outbox and may go out minutes later; it should still show the time it was
 * typed. So on create, an author (who may not otherwise set `createdAt`: correcting shown times
 * is the editors' right) may send the time the entry was typed, and only that: a time in the
 * last 24 hours (the outbox keeps an entry that long at most before it must be looked at) and
 * never in the future, allowing for a laptop clock a little ahead of the server's.
 */

/** How far back an author's typed time may go. */
export const TYPED_TIME_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** How far ahead of the server's clock a typed time may be: the author's clock may run a little fast. */
export const TYPED_TIME_CLOCK_SKEW_MS = 2 * 60 * 1000;

export type TypedTimeWindow = { earliest: string; latest: string };

/** The typed times an author may send at `now`, both ends included (ISO 8601, UTC). */
export function typedTimeWindow(now: Date): TypedTimeWindow {
  return {
    earliest: new Date(now.getTime() - TYPED_TIME_MAX_AGE_MS).toISOString(),
    latest: new Date(now.getTime() + TYPED_TIME_CLOCK_SKEW_MS).toISOString(),
  };
}

/** Whether `createdAt` (an ISO 8601 instant) is a time an author may have typed an entry at, at `now`. */
export function isTypedTime(createdAt: string, now: Date): boolean {
  const at = Date.parse(createdAt);
  return Number.isFinite(at) && at >= now.getTime() - TYPED_TIME_MAX_AGE_MS && at <= now.getTime() + TYPED_TIME_CLOCK_SKEW_MS;
}
