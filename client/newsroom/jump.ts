import type { Entry } from '../../contract/index.js';
import { entriesAt } from '../api-client.js';
import type { Desk } from './desk.js';
import { element } from './dom.js';
import { fromEventInput, timeText, toEventInput, zoneLabel } from './clock.js';
import { spotlight } from './reveal.js';

/**
 * Jump-to-time on the desk: a time of day (and, if the event runs over several days, a date) on
 * the event's clock, the post's time zone whatever the browser's. The server answers the last
 * entry shown at or before that instant (GET …/entries?at=); the desk then reveals it.
 */

export type JumpContext = { slug: () => string; timeZone: string; desk: Pick<Desk, 'reveal' | 'newest'>; status: (message: string) => void };

/** An event past midnight: a time up to this long before the newest entry is still "today's" (as imports read time markers). */
const PAST_MIDNIGHT_MS = 12 * 3600_000;
const DAY_MS = 24 * 3600_000;

export function setupJump(container: HTMLElement, { slug, timeZone, desk, status }: JumpContext): void {
  const zone = zoneLabel(timeZone);
  const time = element('input', { type: 'time', id: 'jump-time', name: 'time', step: '1', required: true });
  const date = element('input', { type: 'date', id: 'jump-date', name: 'date' });
  const form = element(
    'form',
    { className: 'jump', id: 'jump' },
    element('label', { htmlFor: 'jump-time' }, `Jump to time (${zone})`),
    ' ',
    time,
    ' ',
    element('label', { htmlFor: 'jump-date' }, 'Date'),
    ' ',
    date,
    ' ',
    element('button', { type: 'submit' }, 'Go'),
  );
  date.setAttribute('aria-describedby', 'jump-date-hint');
  form.append(element('span', { className: 'muted hint', id: 'jump-date-hint' }, 'Date optional: the day of the latest entry.'));
  container.append(form);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void jump();
  });

  const jump = async () => {
    const at = instantOf(time.value, date.value, timeZone, desk.newest());
    if (!at) return status(time.value ? 'There are no entries to jump between yet.' : 'Enter a time of day to jump to.');
    try {
      status('Loading…');
      const [target] = (await entriesAt(slug(), at.iso, 1)).entries.slice(-1);
      if (!target) return status(`No entry at or before ${at.label}: the post starts later.`);
      const node = await desk.reveal(target);
      if (!node) return status('That entry is no longer on the post. Try again.');
      spotlight(node);
      status(`Showing ${timeText(target.createdAt, timeZone, { seconds: true })}, the last entry at or before ${at.label}.`);
    } catch (error) {
      status(`Could not jump: ${error instanceof Error ? error.message : String(error)}.`);
    }
  };
}

/**
 * The instant a jump asks for: `time` (HH:MM, or HH:MM:SS) on `date` (YYYY-MM-DD) in the event
 * zone, to the end of the minute given without seconds (an entry at 13:09:45 is "at 13:09"), else
 * of the second. No
 * date: the day of the newest entry, or the day before when the time is later than the newest
 * entry but was less than 12 hours before it on that day (an event that went past midnight).
 */
function instantOf(time: string, date: string, zone: string, newest: Entry | undefined): { iso: string; label: string } | undefined {
  if (!/^\d{2}:\d{2}(:\d{2})?$/.test(time)) return undefined;
  const wholeMinute = time.length === 5;
  const clock = wholeMinute ? `${time}:59` : time;
  let day = date;
  if (!day) {
    if (!newest) return undefined;
    day = toEventInput(newest.createdAt, zone, 'minutes').slice(0, 10);
    const sameDay = fromEventInput(`${day}T${clock}`, zone);
    if (sameDay && sameDay > newest.createdAt) {
      const dayBefore = toEventInput(new Date(Date.parse(sameDay) - DAY_MS).toISOString(), zone, 'minutes').slice(0, 10);
      const earlier = fromEventInput(`${dayBefore}T${clock}`, zone);
      if (earlier && Date.parse(newest.createdAt) - Date.parse(earlier) < PAST_MIDNIGHT_MS) day = dayBefore;
    }
  }
  const start = fromEventInput(`${day}T${clock}`, zone);
  if (!start) return undefined;
  const iso = new Date(Date.parse(start) + 999).toISOString();
  const label = `${time} ${zoneLabel(zone, new Date(start))}${date ? ` on ${day}` : ''}`;
  return { iso, label };
}
