import type { Entry } from '../contract/index.js';
import type { Times } from './times.js';

/** The Key moments box and the pinned entry above the stream, kept current from live changes. */
export class Highlights {
  constructor(private readonly times: Times) {}

  update(entry: Entry): void {
    this.updateKeyMoment(entry.id, entry.keyEvent ? entry : null);
    this.updatePinned(entry.id, entry.pinned ? entry : null);
  }

  removed(id: number): void {
    this.updateKeyMoment(id, null);
    this.updatePinned(id, null);
  }

  private updateKeyMoment(id: number, entry: Entry | null): void {
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
      link.append(time, ` ${excerpt(entry.html, 90)}`);
      item.append(link);
      const later = [...list.querySelectorAll<HTMLElement>('li[data-key-id]')].find(
        (other) => (other.querySelector('time')?.dateTime ?? '') > entry.createdAt,
      );
      list.insertBefore(item, later ?? null);
    }
    box.hidden = list.children.length === 0;
  }

  /** One pinned entry per post: pinning another replaces it, unpinning or deleting it clears the box. */
  private updatePinned(id: number, entry: Entry | null): void {
    const box = document.getElementById('pinned');
    const body = document.getElementById('pinned-body');
    if (!box || !body) return;
    const shown = body.dataset.pinnedId === String(id);
    if (!entry) {
      if (shown) {
        body.replaceChildren();
        body.dataset.pinnedId = '';
        box.hidden = true;
      }
      return;
    }
    const time = document.createElement('time');
    time.dateTime = entry.createdAt;
    this.times.decorate(time, false);
    const link = document.createElement('a');
    link.href = `#entry-${entry.id}`;
    link.append(time);
    const meta = document.createElement('p');
    meta.className = 'pinned-time';
    meta.append(link);
    const content = document.createElement('div');
    content.innerHTML = entry.html; // sanitized on the server at write time
    body.replaceChildren(meta, ...content.childNodes);
    body.dataset.pinnedId = String(entry.id);
    box.hidden = false;
  }
}

function excerpt(html: string, max: number): string {
  const text = (new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim();
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
