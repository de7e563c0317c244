import type { Entry } from '../../contract/index.js';
import { deleteEntry, pin, restoreEntry, stale, unpin, updateEntry } from '../api-client.js';
import { setupDeletedList } from './deleted-list.js';
import { element } from './dom.js';
import { openEntryEditor, type EntryEditor } from './entry-editor.js';
import { setupEntryMenus } from './entry-menu.js';
import type { FeedEvents } from './feed.js';
import { showHistory } from './history.js';
import { banner, errorText, toast, toastRegion } from './notices.js';
import { focusEntry, isOlder, type EntryPosition } from './reveal.js';
import { focusKeyIn, newestFirst, refocus, renderDeskEntry, type Viewer } from './timeline.js';

/** What the composer's other parts ask of the desk: find and jump reveal an entry on it. */
export type Desk = Pick<FeedEvents, 'entry' | 'page' | 'older' | 'deleted'> & {
  /** Loads earlier pages (in batches) until the entry is on the desk; its node, or undefined when it is not on the post. */
  reveal(target: EntryPosition): Promise<HTMLElement | undefined>;
  /** The newest entry on the desk. */
  newest(): Entry | undefined;
};

/** "Load earlier" asks for this many entries a click; revealing an entry far back, for more at a time. */
const PAGE_SIZE = 50;
const REVEAL_PAGE_SIZE = 200;

/**
 * The desk: the post's live timeline in the composer, newest first, with what this user may do
 * to each entry (edit in place; in its menu: mark as key moment, pin, see its history, delete
 * with an Undo) and the deleted entries to restore. It is fed by the live feed, so every change,
 * whoever made it, shows up once. Failures show in a banner above the timeline, never a dialog.
 */
export function setupDesk(root: HTMLElement, viewer: Viewer, timeZone: string, slug: () => string, loadOlder: (cursor: string, limit: number) => Promise<void>): Desk {
  const timeline = root.querySelector<HTMLElement>('#timeline')!;
  const historyDialog = root.querySelector<HTMLDialogElement>('#history-dialog')!;
  const entries = new Map<number, Entry>();
  const editing = new Map<number, EntryEditor>();
  const deleted = setupDeletedList(root, slug, viewer);
  const alerts = element('div', { id: 'desk-alerts' });
  timeline.before(alerts);
  const deskError = banner(alerts);
  toastRegion();

  // Older entries (beyond the latest 50) load on demand, so an editor can fix any of them. One
  // page loads at a time: a click during a reveal's loading waits for it, and the other way round.
  // The button is aria-disabled meanwhile, never disabled: that would take a keyboard user's focus.
  let olderCursor: string | null = null;
  let loading: Promise<void> | undefined;
  // The desk shows one stretch of the timeline, from the newest entry down to the oldest of the
  // pages loaded: an older entry a colleague edits waits for its page instead of showing up alone
  // below the rest (where it would also hide how far the desk really goes back).
  let loadedThrough: EntryPosition | undefined;
  const beyondLoaded = (entry: Entry) => olderCursor !== null && loadedThrough !== undefined && isOlder(entry, loadedThrough);
  const loadEarlier = element('button', { type: 'button', id: 'load-earlier' }, 'Load earlier entries');
  const loadPage = (limit: number): Promise<void> => {
    if (loading) return loading;
    if (!olderCursor) return Promise.resolve();
    loadEarlier.setAttribute('aria-disabled', 'true');
    loading = loadOlder(olderCursor, limit).finally(() => {
      loading = undefined;
      loadEarlier.removeAttribute('aria-disabled');
    });
    return loading;
  };
  loadEarlier.addEventListener('click', () => {
    loadPage(PAGE_SIZE).catch((error: unknown) => deskError.show(errorText(error)));
  });

  // The timeline is keyed and incremental (issue 14): a change inserts, replaces or removes only
  // its own article, in place, so an entry being edited (its form, its caret, its focus) is never
  // detached by a colleague's publishing, and a loaded page of older entries is one insert (placePage).
  const order: Entry[] = [];
  /** Each entry in `order` as it is there (the map above may already hold a newer version). */
  const placed = new Map<number, Entry>();
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

  /** Where the entry with `id` is in `order` (-1: not there), by binary search on its placed version. */
  const positionOf = (id: number): number => {
    const previous = placed.get(id);
    if (!previous) return -1;
    const index = indexOf(previous);
    return order[index]?.id === id ? index : order.findIndex((candidate) => candidate.id === id);
  };

  /** What ends the list of articles: "Load earlier" while there is more, else nothing. */
  const end = (): Node | null => (loadEarlier.parentNode === timeline ? loadEarlier : null);

  /** The node that should follow position `index`: the next entry's, else what ends the list. */
  const anchorAfter = (index: number): Node | null => {
    const next = order[index + 1];
    if (next) return nodes.get(next.id) ?? null;
    return end();
  };

  const place = (entry: Entry) => {
    if (beyondLoaded(entry) && !editing.has(entry.id)) return remove(entry.id);
    const known = positionOf(entry.id);
    const previous = known >= 0 ? order[known] : undefined;
    if (known >= 0) order.splice(known, 1);
    const index = indexOf(entry);
    order.splice(index, 0, entry);
    placed.set(entry.id, entry);
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

  /**
   * A loaded page, in one batch (issue 14: "Load earlier" used to cost more with every page): the
   * entries new to the desk are rendered into fragments, one per gap between entries already
   * there (an earlier page: one fragment, at the end), and each fragment is inserted once. No
   * article already on the desk is touched; ones the page brings again go through `place`.
   */
  const placePage = (page: Entry[]) => {
    const fresh = page.filter((entry) => !placed.has(entry.id)).sort(newestFirst);
    for (const entry of page) if (placed.has(entry.id)) place(entry);
    if (fresh.length === 0) return;
    const runs = new Map<Node | null, DocumentFragment>();
    for (const entry of fresh) {
      const next = order[indexOf(entry)];
      const anchor = (next && nodes.get(next.id)) ?? end();
      const node = renderDeskEntry(entry, viewer, timeZone);
      nodes.set(entry.id, node);
      placed.set(entry.id, entry);
      let run = runs.get(anchor);
      if (!run) runs.set(anchor, (run = document.createDocumentFragment()));
      run.append(node);
    }
    const tail = order[order.length - 1];
    if (!tail || isOlder(fresh[0]!, tail)) order.push(...fresh);
    else order.splice(0, order.length, ...merge(order, fresh));
    for (const [anchor, run] of runs) timeline.insertBefore(run, anchor);
    empty.remove();
  };

  const remove = (id: number) => {
    const known = positionOf(id);
    if (known >= 0) order.splice(known, 1);
    placed.delete(id);
    nodes.get(id)?.remove();
    nodes.delete(id);
    if (order.length === 0 && !empty.isConnected) timeline.prepend(empty);
  };

  const showLoadEarlier = () => {
    if (olderCursor) {
      if (loadEarlier.parentNode !== timeline || loadEarlier.nextSibling) timeline.append(loadEarlier);
      return;
    }
    // The last page is in: a keyboard user on the button goes on from the oldest entry.
    const focused = document.activeElement === loadEarlier;
    loadEarlier.remove();
    const oldest = order[order.length - 1];
    const node = oldest && nodes.get(oldest.id);
    if (focused && node) focusEntry(node);
  };

  /** Loads earlier pages until `target` is on the desk, or it is clear the post does not have it. */
  const reveal = async (target: EntryPosition): Promise<HTMLElement | undefined> => {
    for (;;) {
      const node = nodes.get(target.id);
      if (node) return node;
      // Everything down to an entry older than the target is loaded: it is gone (deleted, moved).
      if (!olderCursor || (loadedThrough && isOlder(loadedThrough, target))) return undefined;
      const cursor = olderCursor;
      await loadPage(REVEAL_PAGE_SIZE);
      if (olderCursor === cursor && !loading) return undefined;
    }
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
    reveal,
    newest: () => order[0],
    page: (page) => {
      for (const entry of page) {
        if (!loadedThrough || isOlder(entry, loadedThrough)) loadedThrough = { id: entry.id, createdAt: entry.createdAt };
        entries.set(entry.id, entry);
        editing.get(entry.id)?.seen(entry.version);
      }
      placePage(page);
      refreshDeleted();
    },
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

/** Two lists in desk order (newest first) as one. */
function merge(a: Entry[], b: Entry[]): Entry[] {
  const merged: Entry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(newestFirst(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!);
  return merged.concat(a.slice(i), b.slice(j));
}
