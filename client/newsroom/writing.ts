import type { Post } from '../../contract/index.js';
import { setupEntryBox, type EntryBox } from './entry-box.js';
import { forgetPages, forgetPagesOf } from './offline-cache.js';
import { Outbox, type OutboxSnapshot } from './outbox.js';
import { renderOutbox } from './outbox-view.js';
import { QueueBanner } from './queue-banner.js';

/**
 * The composer's "Write an entry" section, wired together: the box, the outbox that sends what
 * is written, its rows, and the banner with the offline state. When the outbox learns the
 * session is gone, or someone else's, this browser's kept copies of the newsroom pages go too
 * (offline-cache.ts).
 */
export function setupWriting(root: HTMLElement, userId: number, post: () => Post, timeZone: string): { outbox: Outbox; entryBox: EntryBox } {
  const list = root.querySelector<HTMLOListElement>('#outbox')!;
  const banner = new QueueBanner(root.querySelector('.write') ?? list, () => `/login?next=${encodeURIComponent(`/admin/posts/${post().slug}`)}`);
  let condition = '';
  const changed = (snapshot: OutboxSnapshot) => {
    renderOutbox(list, snapshot, timeZone, outbox);
    banner.show(snapshot);
    entryBox.setQueueing(snapshot.condition !== 'ok');
    if (snapshot.condition !== condition) {
      if (snapshot.condition === 'signed-out') void forgetPages().catch(() => undefined);
      if (snapshot.condition === 'someone-else') void forgetPagesOf(userId).catch(() => undefined);
      condition = snapshot.condition;
    }
  };
  const outbox: Outbox = new Outbox(post().id, userId, () => post().slug, { changed: (snapshot) => changed(snapshot), event: (event) => banner.event(event) });
  const entryBox = setupEntryBox(root, userId, post().id, (body, keyEvent, meta) => outbox.add(body, keyEvent, meta));
  changed(outbox.snapshot());
  outbox.pump();
  return { outbox, entryBox };
}
