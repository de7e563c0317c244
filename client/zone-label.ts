import { locale } from './i18n.js';
import { browserZone, zoneLabel } from './newsroom/clock.js';

/**
 * Entry times switch to the reader's zone (times.ts) without saying so on every line; the first
 * entry time of the stream carries the zone's label ("14:05 CET"), so a reader who jumps straight
 * to the entries still knows whose clock they read. The label follows the first entry as entries
 * arrive, move or the order flips (a MutationObserver on the stream's children, so whoever builds
 * or reorders the entries need not know about it).
 */
export function labelFirstEntryTime(list: HTMLElement): void {
  const zone = browserZone();
  const paint = () => {
    const first = list.querySelector<HTMLTimeElement>(':scope > article[data-entry-id] header time[datetime]');
    list.querySelectorAll('.zone-label').forEach((label) => {
      if (label.previousElementSibling !== first) label.remove();
    });
    if (!first || first.nextElementSibling?.classList.contains('zone-label')) return;
    const date = new Date(first.dateTime);
    if (Number.isNaN(date.getTime())) return;
    const label = document.createElement('span');
    label.className = 'zone-label';
    // A leading space, so the accessible name and a copied line read "14:05 CET", not "14:05CET".
    label.textContent = ` ${zoneLabel(zone, date, locale)}`;
    first.after(label);
  };
  paint();
  new MutationObserver(paint).observe(list, { childList: true });
}
