import { knownZone, zoneLabel } from './clock.js';
import { element } from './dom.js';

/**
 * The post's time zone, picked from a searchable list instead of typed free text (issue 14):
 * an ARIA 1.2 combobox over Intl.supportedValuesOf('timeZone'). Typing any part of a name
 * ("angeles", "los ang", "new york") filters the list; arrows move, Enter picks, Escape closes;
 * a screen reader hears the field, how many zones match and the active one. A native <datalist>
 * would do the filtering, but its popup cannot be styled, labelled with each zone's current
 * time, or tested. A value that is no zone is refused inline (the server refuses it too).
 */

const MAX_SHOWN = 50;
let allZones: string[] | undefined;

/** Every zone the browser knows, UTC included (some runtimes list it only as an alias). */
export function timeZones(): string[] {
  allZones ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();
  return allZones;
}

const words = (text: string) => text.toLowerCase().replace(/[_/]+/g, ' ').split(/[\s,]+/).filter(Boolean);

/**
 * Zones whose name holds every word of the query; names where a word starts with the query's
 * first word come first ("los" finds America/Los_Angeles before Europe/Toulouse… if there were one).
 */
export function matchZones(query: string, zones: readonly string[] = timeZones()): string[] {
  const wanted = words(query);
  if (wanted.length === 0) return [...zones];
  const scored: [number, string][] = [];
  for (const zone of zones) {
    const name = words(zone);
    const flat = name.join(' ');
    if (!wanted.every((word) => flat.includes(word))) continue;
    const prefix = name.some((part) => part.startsWith(wanted[0]!)) ? 0 : 1;
    scored.push([prefix, zone]);
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).map(([, zone]) => zone);
}

export type ZonePicker = {
  /** The label with the field, its list and its error: put it in the form. */
  root: HTMLElement;
  input: HTMLInputElement;
  /** The picked zone (canonical spelling), or undefined when the field holds no zone. */
  value(): string | undefined;
  set(zone: string): void;
  /** Shows or clears the inline error; true when the field holds a zone. */
  validate(): boolean;
};

let pickers = 0;

export function zonePicker(options: { label: string; name: string; value: string; onPick?: (zone: string) => void }): ZonePicker {
  const id = `zone-picker-${++pickers}`;
  const input = element('input', { id, name: options.name, className: 'zone-input', autocomplete: 'off', spellcheck: false, value: options.value, placeholder: 'Type a city or region' });
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', `${id}-list`);
  input.setAttribute('aria-describedby', `${id}-error`);
  const list = element('ul', { id: `${id}-list`, className: 'zone-list', hidden: true });
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Matching zones');
  const count = element('span', { className: 'visually-hidden', role: 'status' });
  const error = element('span', { id: `${id}-error`, className: 'error zone-error' });
  const root = element('div', { className: 'zone-picker' }, element('label', { htmlFor: id }, options.label), element('div', { className: 'zone-field' }, input, list), count, error);

  let shown: string[] = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (index: number) => {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    const option = list.children[index];
    if (option) {
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  /** Shows the zones matching `query`; with none, the whole list from the zone the field holds on. */
  const open = (query: string) => {
    let matches = matchZones(query);
    const current = value();
    if (!query && current && matches.includes(current)) matches = matches.slice(matches.indexOf(current));
    shown = matches.slice(0, MAX_SHOWN);
    const now = Date.now();
    list.replaceChildren(
      ...shown.map((zone, index) => {
        const option = element('li', { id: `${id}-option-${index}`, dataset: { zone } }, zone, ' ', element('span', { className: 'muted' }, zoneLabel(zone, now)));
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        return option;
      }),
    );
    if (matches.length > MAX_SHOWN) list.append(element('li', { className: 'muted zone-more', role: 'presentation' }, `${matches.length - MAX_SHOWN} more: keep typing`));
    if (shown.length === 0) list.append(element('li', { className: 'muted zone-more', role: 'presentation' }, 'No time zone matches'));
    count.textContent = `${matches.length} time zone${matches.length === 1 ? '' : 's'} match`;
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    highlight(-1);
  };
  const pick = (zone: string) => {
    input.value = zone;
    close();
    validate();
    // As if typed: the form's own listeners (unsaved changes) hear it.
    input.dispatchEvent(new Event('input', { bubbles: true }));
    options.onPick?.(zone);
  };

  const value = () => {
    const typed = input.value.trim();
    const canonical = knownZone(typed);
    if (!canonical) return undefined;
    // The list's own spelling when the name matches it in another case ("europe/berlin").
    return timeZones().find((zone) => zone.toLowerCase() === typed.toLowerCase()) ?? canonical;
  };
  const validate = () => {
    const zone = value();
    const message = zone ? '' : input.value.trim() ? `“${input.value.trim()}” is not a time zone: pick one from the list.` : 'Pick a time zone from the list.';
    input.setCustomValidity(message);
    input.setAttribute('aria-invalid', String(!zone));
    error.textContent = message;
    return Boolean(zone);
  };

  input.addEventListener('input', (event) => {
    if (!event.isTrusted) return;
    open(input.value);
    if (value()) validate();
  });
  input.addEventListener('focus', () => input.select());
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      // Opened on a field that already holds a zone: the whole list, not just that zone.
      if (list.hidden) open(value() ? '' : input.value);
      const last = shown.length - 1;
      if (last < 0) return;
      highlight(event.key === 'ArrowDown' ? (active >= last ? 0 : active + 1) : active <= 0 ? last : active - 1);
    } else if (event.key === 'Enter' && !list.hidden && active >= 0) {
      event.preventDefault();
      pick(shown[active]!);
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  // mousedown, not click: the field keeps its focus, so the list is still there to be clicked.
  list.addEventListener('mousedown', (event) => {
    const option = (event.target as HTMLElement).closest<HTMLElement>('[data-zone]');
    event.preventDefault();
    if (option) pick(option.dataset.zone!);
  });
  input.addEventListener('blur', () => {
    close();
    const zone = value();
    if (zone && zone !== input.value) input.value = zone;
    if (validate() && zone) options.onPick?.(zone);
  });

  return {
    root,
    input,
    value,
    set: (zone) => {
      input.value = zone;
      options.value = zone;
      input.setCustomValidity('');
      input.setAttribute('aria-invalid', 'false');
      error.textContent = '';
    },
    validate,
  };
}
