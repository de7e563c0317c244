import { describeTime, startsAtToSave, toEventInput } from './clock.js';
import { element } from './dom.js';
import { zonePicker, type ZonePicker } from './zone-picker.js';

/**
 * A post's "Starts at" and "Time zone" fields, as the new-post form and the post settings both
 * ask them: the start is typed in the zone the zone field names (its label says which), and a
 * line under it reads what will be saved, in the event zone and in the browser's ("Sat 14 Mar,
 * 09:00 PT (18:00 your time)"), so a daylight-saving gap or a zone change is seen before saving.
 * Changing the zone keeps the typed wall time (see startsAtToSave).
 */
export type EventStart = {
  /** The start field with its label and the line under it. */
  start: HTMLElement;
  zone: ZonePicker;
  startInput: HTMLInputElement;
  /** Shows a saved post's start and zone (and takes them as the unchanged state). */
  load(startsAt: string | null, zone: string): void;
  /** What to send as startsAt; undefined: not savable (not a time, or no zone). */
  toSave(): string | null | undefined;
};

let count = 0;

export function eventStartFields(options: { startsAt: string | null; zone: string; required?: boolean; value?: string }): EventStart {
  const id = `event-start-${++count}`;
  let saved = options.startsAt;
  let loadedValue = '';
  let loadedZone = options.zone;
  const startInput = element('input', { type: 'datetime-local', id, name: 'startsAt', required: options.required ?? false });
  startInput.setAttribute('aria-describedby', `${id}-hint`);
  const zoneName = element('span', { className: 'zone-name' });
  const hint = element('span', { id: `${id}-hint`, className: 'field-hint muted' });
  const start = element('div', { className: 'event-start' }, element('label', { htmlFor: id }, 'Starts at ', zoneName), startInput, hint);

  const zoneNow = () => zone.value() ?? loadedZone;
  const toSave = () => startsAtToSave({ value: startInput.value, loaded: loadedValue }, { value: zone.value() ?? '', loaded: loadedZone }, saved);
  const refresh = () => {
    const eventZone = zoneNow();
    zoneName.textContent = `(${eventZone} time)`;
    const at = toSave();
    hint.textContent = at === undefined ? (startInput.value && zone.value() ? 'Not a time' : '') : at === null ? 'No start time' : `Saves as ${describeTime(at, eventZone).text}${hintOf(at, eventZone)}`;
  };
  const zone = zonePicker({ label: 'Time zone', name: 'timezone', value: options.zone, onPick: refresh });
  startInput.addEventListener('input', refresh);

  const load = (startsAt: string | null, eventZone: string) => {
    saved = startsAt;
    loadedZone = eventZone;
    zone.set(eventZone);
    startInput.value = startsAt ? toEventInput(startsAt, eventZone, 'minutes') : '';
    loadedValue = startInput.value;
    refresh();
  };
  load(options.startsAt, options.zone);
  // A new post's suggested start is typed-in, not loaded: it is saved in whatever zone is picked.
  if (options.value !== undefined) {
    startInput.value = options.value;
    refresh();
  }
  return { start, zone, startInput, load, toSave };
}

function hintOf(iso: string, zone: string): string {
  const { hint } = describeTime(iso, zone);
  return hint ? ` (${hint})` : '';
}
