import type { Outbox, OutboxItem, OutboxState } from './outbox.js';
import { clockElement } from './clock.js';
import { element } from './dom.js';

/**
 * The outbox as the author sees it, under the box: each entry queued, sending, published (with
 * its time) or failed (with why, and Retry / Discard). outbox.ts keeps the items; this only shows them.
 */

const LABELS: Record<OutboxState, string> = { queued: 'Queued', sending: 'Sending…', published: 'Published', failed: 'Failed' };

export function renderOutbox(list: HTMLOListElement, items: OutboxItem[], timeZone: string, outbox: Pick<Outbox, 'retry' | 'discard'>): void {
  list.replaceChildren(
    ...items.map((item) => {
      const li = element('li', { className: `outbox-item state-${item.state}`, dataset: { key: item.key, state: item.state } });
      li.append(element('span', { className: 'state' }, LABELS[item.state]));
      // The published time in the event zone, labelled (clock.ts: the page's zone, `timeZone` at first).
      if (item.entry) li.append(' ', clockElement(item.entry.createdAt, 'seconds'));
      li.append(' ', element('span', { className: 'excerpt' }, item.body.length > 80 ? `${item.body.slice(0, 80)}…` : item.body));
      if (item.reason) li.append(' ', element('span', { className: 'reason' }, item.reason));
      if (item.state === 'failed') {
        li.append(' ', element('button', { type: 'button', onclick: () => outbox.retry(item.key) }, 'Retry'), ' ', element('button', { type: 'button', onclick: () => outbox.discard(item.key) }, 'Discard'));
      }
      return li;
    }),
  );
}
