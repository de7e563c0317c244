import { deletedEntries, restoreEntry } from '../api-client.js';
import { element } from './dom.js';
import { banner, errorText } from './notices.js';
import { canModify, type Viewer } from './timeline.js';

/**
 * The desk's "Deleted entries" list: what this user may restore, one click each. It is reloaded
 * after every change to the timeline, debounced, since deletions arrive through the live feed.
 * A failed restore says why in a banner above the list.
 */
export function setupDeletedList(root: HTMLElement, slug: () => string, viewer: Viewer): { refresh(): Promise<void> } {
  const section = root.querySelector<HTMLElement>('#deleted')!;
  const list = root.querySelector<HTMLOListElement>('#deleted-list')!;
  const slot = element('div', { className: 'deleted-alerts' });
  list.before(slot);
  const failure = banner(slot);
  let timer: number | undefined;
  const load = async () => {
    try {
      const { entries } = await deletedEntries(slug());
      const mine = entries.filter((entry) => canModify(viewer, entry));
      section.hidden = mine.length === 0;
      list.replaceChildren(
        ...mine.map((entry) => {
          const restore = element('button', { type: 'button', className: 'restore' }, 'Restore');
          restore.addEventListener('click', async () => {
            try {
              await restoreEntry(entry.id, entry.version);
              failure.clear();
              await load();
            } catch (error) {
              failure.show(`Not restored: ${errorText(error)}`);
            }
          });
          return element('li', { dataset: { entryId: String(entry.id) } }, element('span', { className: 'excerpt' }, entry.body.slice(0, 100)), ' ', restore);
        }),
      );
    } catch {
      /* offline: the list stays as it was */
    }
  };
  return {
    refresh: () => {
      window.clearTimeout(timer);
      return new Promise((resolve) => {
        timer = window.setTimeout(() => void load().then(resolve), 200);
      });
    },
  };
}
