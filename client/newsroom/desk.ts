import type { Entry } from '../../contract/index.js';
import { deleteEntry, pin, unpin, updateEntry } from '../api-client.js';
import { setupDeletedList } from './deleted-list.js';
import { element } from './dom.js';
import { openEntryEditor, type EntryEditor } from './entry-editor.js';
import type { FeedEvents } from './feed.js';
import { showHistory } from './history.js';
import { canModify, newestFirst, renderDeskEntry, type Viewer } from './timeline.js';

/**
 * The desk: the post's live timeline in the composer, newest first, with what this user may do
 * to each entry (edit in place, mark as key event, pin, see its history, delete after a
 * confirmation) and the deleted entries to restore. It is fed by the live feed, so every change,
 * whoever made it, shows up once.
 */
export function setupDesk(root: HTMLElement, viewer: Viewer, timeZone: string, slug: () => string, loadOlder: (cursor: string) => Promise<void>): Pick<FeedEvents, 'entry' | 'older' | 'deleted'> {
  const timeline = root.querySelector<HTMLElement>('#timeline')!;
  const historyDialog = root.querySelector<HTMLDialogElement>('#history-dialog')!;
  const entries = new Map<number, Entry>();
  const editing = new Map<number, EntryEditor>();
  const deleted = setupDeletedList(root, slug, viewer);

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
        window.alert(error instanceof Error ? error.message : String(error));
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
      if (node) node.replaceWith(fresh);
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

  const edit = (entry: Entry) => {
    const editor = openEntryEditor(entry, viewer, () => {
      editing.delete(entry.id);
      const current = entries.get(entry.id);
      const form = nodes.get(entry.id);
      nodes.delete(entry.id);
      if (current) {
        const article = renderDeskEntry(current, viewer, timeZone);
        nodes.set(entry.id, article);
        if (form?.isConnected) form.replaceWith(article);
        else place(current);
      } else form?.remove();
    });
    editing.set(entry.id, editor);
    nodes.get(entry.id)?.replaceWith(editor.form);
    nodes.set(entry.id, editor.form);
    editor.focus();
  };

  const act = async (action: string, entry: Entry): Promise<void> => {
    try {
      if (action === 'edit') return edit(entry);
      if (action === 'history') return await showHistory(entry.id, historyDialog, historyDialog.querySelector('#history')!);
      if (action === 'delete') {
        if (!window.confirm('Delete this entry? Readers stop seeing it at once; it can be restored.')) return;
        await deleteEntry(entry.id, entry.version);
      }
      if (action === 'pin') await (entry.pinned ? unpin : pin)(entry.id);
      if (action === 'key-event') await updateEntry(entry.id, entry.version, { keyEvent: !entry.keyEvent });
    } catch (error) {
      window.alert(error instanceof Error ? error.message : String(error));
    }
  };

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
