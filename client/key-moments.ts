import type { Entry } from '../contract/index.js';
import { claimElement } from './byline.js';
import { headlineOf } from './entry-view.js';
import { ui } from './i18n.js';
import type { Times } from './times.js';

/**
 * The Key moments box (issue 15): newest first, the latest three shown (the stylesheet hides the
 * rest; on phones a horizontal strip), and "All N key moments", which without JavaScript is a link
 * to the "Key moments only" view and here opens the whole list in place. Kept current live.
 */
const SHOWN = 3;

export class KeyMoments {
  private readonly toggle: HTMLButtonElement | undefined;

  constructor(private readonly times: Times) {
    const box = document.getElementById('key-moments');
    const link = document.getElementById('key-moments-all');
    if (!box || !link) return;
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'key-moments-all';
    toggle.id = 'key-moments-toggle';
    toggle.setAttribute('aria-expanded', 'false');
    toggle.setAttribute('aria-controls', 'key-moments-list');
    toggle.addEventListener('click', () => {
      box.classList.toggle('expanded');
      this.label();
    });
    link.hidden = true;
    link.after(toggle);
    this.toggle = toggle;
    this.label();
  }

  update(id: number, entry: Entry | null): void {
    const box = document.getElementById('key-moments');
    const list = document.getElementById('key-moments-list');
    if (!box || !list) return;
    list.querySelector(`li[data-key-id="${id}"]`)?.remove();
    if (entry) {
      const item = document.createElement('li');
      item.dataset.keyId = String(entry.id);
      item.dataset.createdAt = entry.createdAt;
      const link = document.createElement('a');
      link.href = `#entry-${entry.id}`;
      const time = document.createElement('time');
      time.dateTime = entry.createdAt;
      this.times.decorate(time, false);
      const text = document.createElement('span');
      text.className = 'key-moment-text';
      text.textContent = headlineOf(entry) || excerpt(entry.html, 90);
      link.append(time, ' ', text);
      // The claim label changes live here too (issue 17).
      const claim = claimElement(entry);
      if (claim) link.append(' ', claim);
      item.append(link);
      // Newest first: before the first one that is older.
      const older = [...list.querySelectorAll<HTMLElement>('li[data-key-id]')].find((other) => (other.dataset.createdAt ?? '') < entry.createdAt);
      list.insertBefore(item, older ?? null);
    }
    box.hidden = list.children.length === 0;
    this.label();
  }

  private label(): void {
    const box = document.getElementById('key-moments');
    const count = document.getElementById('key-moments-list')?.children.length ?? 0;
    if (!box || !this.toggle) return;
    const expanded = box.classList.contains('expanded');
    this.toggle.hidden = count <= SHOWN;
    this.toggle.textContent = expanded ? ui.t('reader.fewerKeyMoments') : ui.plural('reader.allKeyMoments', count);
    this.toggle.setAttribute('aria-expanded', String(expanded));
  }
}

function excerpt(html: string, max: number): string {
  const text = (new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
