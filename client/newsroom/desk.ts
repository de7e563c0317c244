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

  const render = () => {
    const sorted = [...entries.values()].sort(newestFirst);
    const nodes = sorted.map((entry) => editing.get(entry.id)?.form ?? renderDeskEntry(entry, viewer, timeZone));
    timeline.replaceChildren(...nodes);
    if (sorted.length === 0) timeline.append(element('p', { className: 'muted', id: 'timeline-empty' }, 'No entries yet.'));
    if (olderCursor) timeline.append(loadEarlier);
  };

  const edit = (entry: Entry) => {
    const editor = openEntryEditor(entry, viewer, () => {
      editing.delete(entry.id);
      render();
    });
    editing.set(entry.id, editor);
    render();
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
      render();
      void deleted.refresh();
    },
    older: (cursor) => {
      olderCursor = cursor;
      render();
    },
    deleted: (id) => {
      entries.delete(id);
      editing.delete(id);
      render();
      void deleted.refresh();
    },
  };
}
