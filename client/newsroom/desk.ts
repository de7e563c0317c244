import type { Entry } from '../../contract/index.js';
import { deleteEntry, pin, restoreEntry, stale, unpin, updateEntry } from '../api-client.js';
import { setupDeletedList } from './deleted-list.js';
import { element } from './dom.js';
import { openEntryEditor, type EntryEditor } from './entry-editor.js';
import { setupEntryMenus } from './entry-menu.js';
import type { FeedEvents } from './feed.js';
import { showHistory } from './history.js';
import { banner, errorText, toast, toastRegion } from './notices.js';
import { focusKeyIn, newestFirst, refocus, renderDeskEntry, type Viewer } from './timeline.js';

/**
 * The desk: the post's live timeline in the composer, newest first, with what this user may do
 * to each entry (edit in place; in its menu: mark as key moment, pin, see its history, delete
 * with an Undo) and the deleted entries to restore. It is fed by the live feed, so every change,
 * whoever made it, shows up once. Failures show in a banner above the timeline, never a dialog.
 */
export function setupDesk(root: HTMLElement, viewer: Viewer, timeZone: string, slug: () => string, loadOlder: (cursor: string) => Promise<void>): Pick<FeedEvents, 'entry' | 'older' | 'deleted'> {
  const timeline = root.querySelector<HTMLElement>('#timeline')!;
  const historyDialog = root.querySelector<HTMLDialogElement>('#history-dialog')!;
  const entries = new Map<number, Entry>();
  const editing = new Map<number, EntryEditor>();
  const deleted = setupDeletedList(root, slug, viewer);
  const alerts = element('div', { id: 'desk-alerts' });
  timeline.before(alerts);
  const deskError = banner(alerts);
  toastRegion();

  // Older entries (beyond the latest 50) load on demand, so an editor can fix any of them.
  let olderCursor: string | null = null;
  const loadEarlier = element('button', { type: 'button', id: 'load-earlier' }, 'Load earlier entries');
  loadEarlier.addEventListener('click', () => {
    if (!olderCursor) return;
    loadEarlier.disabled = true;
    loadOlder(olderCursor).then(
      () => (loadEarlier.disabled = false),
      (error: unknown) => {
        loadEarlier.disabled = false;
        deskError.show(errorText(error));
      },
    );
  });

  // The timeline is keyed and incremental (issue 14): a change inserts, replaces or removes only
  // its own article, in place, so an entry being edited (its form, its caret, its focus) is never
  // detached by a colleague's publishing, and loading a page of older entries costs one insert each.
  const order: Entry[] = [];
  const nodes = new Map<number, HTMLElement>();
  const empty = element('p', { className: 'muted', id: 'timeline-empty' }, 'No entries yet.');

  /** Where `entry` goes in `order` (newest first): a binary search. */
  const indexOf = (entry: Entry): number => {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newestFirst(order[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  /** The node that should follow position `index`: the next entry's, else what ends the list. */
  const anchorAfter = (index: number): Node | null => {
    const next = order[index + 1];
    if (next) return nodes.get(next.id) ?? null;
    return loadEarlier.parentNode === timeline ? loadEarlier : null;
  };

  const place = (entry: Entry) => {
    const known = order.findIndex((candidate) => candidate.id === entry.id);
    const previous = known >= 0 ? order[known] : undefined;
    if (known >= 0) order.splice(known, 1);
    const index = indexOf(entry);
    order.splice(index, 0, entry);
    const editor = editing.get(entry.id);
    let node = nodes.get(entry.id);
    if (!editor && (!node || previous?.version !== entry.version || node.dataset.version !== String(entry.version))) {
      const fresh = renderDeskEntry(entry, viewer, timeZone);
      // A re-render (a pin, a colleague's edit) keeps the focus on the same control.
      const focused = focusKeyIn(node);
      if (node) node.replaceWith(fresh);
      if (focused) refocus(fresh, focused);
      node = fresh;
      nodes.set(entry.id, node);
    }
    if (!node) return;
    const anchor = anchorAfter(index);
    // Moved only when its place changed: moving a node that holds the caret would drop focus.
    if (!node.isConnected || node.nextSibling !== anchor) timeline.insertBefore(node, anchor);
    empty.remove();
  };

  const remove = (id: number) => {
    const known = order.findIndex((candidate) => candidate.id === id);
    if (known >= 0) order.splice(known, 1);
    nodes.get(id)?.remove();
    nodes.delete(id);
    if (order.length === 0 && !empty.isConnected) timeline.prepend(empty);
  };

  const showLoadEarlier = () => {
    if (olderCursor) timeline.append(loadEarlier);
    else loadEarlier.remove();
  };

  // Which deleted entries exist changes with entries arriving or going: refreshed once per burst.
  let refreshQueued = false;
  const refreshDeleted = () => {
    if (refreshQueued) return;
    refreshQueued = true;
    queueMicrotask(() => {
      refreshQueued = false;
      void deleted.refresh();
    });
  };

  timeline.replaceChildren(empty);

  /** An entry as a request answered it: shown at once, unless the feed already brought a newer version. */
  const upsert = (entry: Entry) => {
    const known = entries.get(entry.id);
    if (known && known.version >= entry.version) return;
    entries.set(entry.id, entry);
    place(entry);
  };

  const edit = (entry: Entry) => {
    const editor = openEntryEditor(entry, viewer, (saved) => {
      editing.delete(entry.id);
      if (saved && (entries.get(entry.id)?.version ?? 0) < saved.version) entries.set(entry.id, saved);
      const current = entries.get(entry.id);
      const form = nodes.get(entry.id);
      const active = document.activeElement;
      const hadFocus = !active || active === document.body || Boolean(form?.contains(active));
      nodes.delete(entry.id);
      if (current) {
        const article = renderDeskEntry(current, viewer, timeZone);
        nodes.set(entry.id, article);
        if (form?.isConnected) form.replaceWith(article);
        else place(current);
        // Save, Cancel or Esc: back to this entry's Edit button (not the top of the page).
        if (hadFocus) refocus(article, 'edit');
      } else form?.remove();
    });
    editing.set(entry.id, editor);
    nodes.get(entry.id)?.replaceWith(editor.form);
    nodes.set(entry.id, editor.form);
    editor.focus();
  };

  /** Where the focus goes when an entry it was on disappears: the entry below it, else above. */
  const neighbourOf = (id: number): (() => void) => {
    const at = order.findIndex((candidate) => candidate.id === id);
    const next = order[at + 1] ?? order[at - 1];
    return () => {
      const node = next && nodes.get(next.id);
      if (node?.isConnected) refocus(node, 'menu');
      else root.querySelector<HTMLElement>('#entry-body')?.focus();
    };
  };

  /**
   * Delete at once (readers stop seeing it), then a toast with Undo for about 10 s; Undo is the
   * deleted list's restore. The focus goes to Undo, since what it was on is gone.
   */
  const deleteWithUndo = async (entry: Entry) => {
    const returnFocus = neighbourOf(entry.id);
    await deleteEntry(entry.id, entry.version);
    entries.delete(entry.id);
    remove(entry.id);
    refreshDeleted();
    toast('Entry deleted.', {
      focusAction: true,
      returnFocus,
      action: {
        label: 'Undo',
        run: async () => {
          try {
            // A deletion bumps the version by one; a 412 means someone changed it since.
            const restored = await restoreEntry(entry.id, entry.version + 1);
            upsert(restored);
            refreshDeleted();
            const node = nodes.get(restored.id);
            if (node) refocus(node, 'menu');
          } catch (error) {
            returnFocus();
            deskError.show(`Could not undo the delete: ${errorText(error)} (it stays under "Deleted entries").`);
          }
        },
      },
    });
  };

  const act = async (action: string, entry: Entry): Promise<void> => {
    try {
      if (action === 'edit') return edit(entry);
      if (action === 'history') {
        historyOf = entry.id;
        return await showHistory(entry.id, historyDialog, historyDialog.querySelector('#history')!, { viewer, saved: upsert });
      }
      if (action === 'delete') await deleteWithUndo(entry);
      if (action === 'pin') upsert(await (entry.pinned ? unpin : pin)(entry.id));
      if (action === 'key-event') upsert(await updateEntry(entry.id, entry.version, { keyEvent: !entry.keyEvent }));
      deskError.clear();
    } catch (error) {
      const theirs = stale(error)?.entry;
      if (theirs) upsert(theirs);
      deskError.show(theirs ? `Someone changed this entry meanwhile (now version ${theirs.version}); nothing was changed. The desk shows their version: try again.` : `${failed(action, entry)}: ${errorText(error)}`);
    }
  };

  // Closing the history gives the focus back to the entry's menu, even if a restore re-rendered it.
  let historyOf: number | undefined;
  historyDialog.addEventListener('close', () => {
    const node = historyOf === undefined ? undefined : nodes.get(historyOf);
    const active = document.activeElement;
    if (node?.isConnected && (!active || active === document.body || historyDialog.contains(active))) refocus(node, 'menu');
  });

  setupEntryMenus(timeline);
  timeline.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const article = button?.closest<HTMLElement>('[data-entry-id]');
    if (!button || !article) return;
    const entry = entries.get(Number(article.dataset.entryId));
    if (!entry) return;
    void act(button.dataset.action!, entry);
  });
  void deleted.refresh();

  return {
    entry: (entry) => {
      // A request's answer may have shown a version before the feed brings an older one.
      const known = entries.get(entry.id);
      if (known && known.version > entry.version) return;
      entries.set(entry.id, entry);
      editing.get(entry.id)?.seen(entry.version);
      place(entry);
      refreshDeleted();
    },
    older: (cursor) => {
      olderCursor = cursor;
      showLoadEarlier();
    },
    deleted: (id) => {
      entries.delete(id);
      editing.delete(id);
      remove(id);
      refreshDeleted();
    },
  };
}

/** What did not happen, in the words of the menu. */
function failed(action: string, entry: Entry): string {
  if (action === 'pin') return entry.pinned ? 'Not unpinned' : 'Not pinned';
  if (action === 'key-event') return entry.keyEvent ? 'Still a key moment' : 'Not marked as a key moment';
  if (action === 'delete') return 'Not deleted';
  return 'Failed';
}
