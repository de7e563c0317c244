import type { Outbox, OutboxCondition, OutboxSnapshot, OutboxState } from './outbox.js';
import { clockElement } from './clock.js';
import { element } from './dom.js';

/**
 * The outbox as the author sees it, under the box: each entry queued, sending, published (with
 * its time, on one line) or failed (with why, and Retry / Discard). The first queued entry says
 * what the queue waits for; the banner (queue-banner.ts) says it for the whole page. outbox.ts
 * keeps the items; this only shows them.
 */

const LABELS: Record<OutboxState, string> = { queued: 'Queued', sending: 'Sending…', published: 'Published', failed: 'Failed' };

/** What keeps the head of the queue waiting, on its row. */
const WAITING: Record<OutboxCondition, string | undefined> = {
  ok: undefined,
  offline: 'Offline: will be sent when the connection returns',
  unreachable: 'Server unreachable: retrying',
  'signed-out': 'Your session has ended: waiting for you to log in again',
  'someone-else': 'Held: this browser is now signed in as someone else; sign in as its author to send it',
};

export function renderOutbox(list: HTMLOListElement, snapshot: OutboxSnapshot, timeZone: string, outbox: Pick<Outbox, 'retry' | 'discard'>): void {
  const head = snapshot.items.find((item) => item.state === 'queued');
  list.replaceChildren(
    ...snapshot.items.map((item) => {
      const li = element('li', { className: `outbox-item state-${item.state}`, dataset: { key: item.key, state: item.state } });
      li.append(element('span', { className: 'state' }, LABELS[item.state]));
      // The published time in the event zone, labelled (clock.ts).
      if (item.entry) li.append(' ', clockElement(item.entry.createdAt, 'seconds'));
      const excerpt = item.body.length > 80 ? `${item.body.slice(0, 80)}…` : item.body;
      li.append(' ', element('span', { className: 'excerpt', ...(item.state === 'published' ? { title: excerpt } : {}) }, excerpt));
      const reason = item.state === 'failed' ? item.reason : item === head ? WAITING[snapshot.condition] : undefined;
      if (reason) li.append(' ', element('span', { className: 'reason' }, reason));
      if (item.state === 'failed') {
        li.append(' ', element('button', { type: 'button', onclick: () => outbox.retry(item.key) }, 'Retry'), ' ', element('button', { type: 'button', onclick: () => outbox.discard(item.key) }, 'Discard'));
      }
      return li;
    }),
  );
}
