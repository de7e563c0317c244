import { deleteEntry, deletedEntries, entryRevisions, pin, preview as renderPreview, restoreEntry, stale, unpin, updateEntry } from '../api-client.js';
import { ApiError } from '../http.js';
import { element } from './dom.js';
import { Feed } from './feed.js';
import { showHistory } from './history.js';
import { Outbox, type OutboxItem } from './outbox.js';
import { setupSettings } from './settings.js';
import { canModify, newestFirst, renderDeskEntry, type Viewer } from './timeline.js';
import { uploadImage } from './uploads.js';
import { fromLocalInput, toLocalInput } from './local-time.js';
import type { Entry, EntryPatch, Post } from '../../contract/index.js';

/** The author's composer at /admin/posts/:slug: write, preview, publish offline-safe, and edit the timeline. */
export function startComposer(root: HTMLElement, viewer: Viewer): void {
  const initial = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}') as { post: Post };
  let post = initial.post;
  const timeZone = post.timezone;
  const entries = new Map<number, Entry>();
  /** Entries open for editing: the version the edit started from, never moved by live updates. */
  const editing = new Map<number, { baseVersion: number; form: HTMLElement }>();

  const textarea = root.querySelector<HTMLTextAreaElement>('#entry-body')!;
  const keyEvent = root.querySelector<HTMLInputElement>('#entry-key-event')!;
  const preview = root.querySelector<HTMLElement>('#preview')!;
  const outboxList = root.querySelector<HTMLOListElement>('#outbox')!;
  const timeline = root.querySelector<HTMLElement>('#timeline')!;
  const connection = root.querySelector<HTMLElement>('#connection')!;
  const uploadStatus = root.querySelector<HTMLElement>('#upload-status')!;
  const historyDialog = root.querySelector<HTMLDialogElement>('#history-dialog')!;

  // --- Draft: survives a reload -------------------------------------------------------------
  const draftKey = `liveline:draft:${post.id}`;
  textarea.value = localStorage.getItem(draftKey) ?? '';
  const saveDraft = () => (textarea.value ? localStorage.setItem(draftKey, textarea.value) : localStorage.removeItem(draftKey));

  // --- Preview: the server's own pipeline ---------------------------------------------------
  let previewTimer: number | undefined;
  let previewSeq = 0;
  const refreshPreview = () => {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(async () => {
      const mine = ++previewSeq;
      const body = textarea.value;
      if (!body.trim()) return void (preview.innerHTML = '');
      try {
        const { html } = await renderPreview({ body });
        if (mine === previewSeq) preview.innerHTML = html; // sanitized by the server
      } catch (error) {
        if (mine === previewSeq) preview.replaceChildren(element('p', { className: 'muted' }, error instanceof ApiError ? `Preview: ${error.message}` : 'Preview unavailable offline'));
      }
    }, 250);
  };
  textarea.addEventListener('input', () => {
    saveDraft();
    refreshPreview();
  });
  if (textarea.value) refreshPreview();

  // --- Publishing through the outbox ---------------------------------------------------------
  const outbox = new Outbox(post.id, () => post.slug, renderOutbox);
  function renderOutbox(items: OutboxItem[]): void {
    outboxList.replaceChildren(
      ...items.map((item) => {
        const label = { queued: 'Queued', sending: 'Sending…', published: 'Published', failed: 'Failed' }[item.state];
        const li = element('li', { className: `outbox-item state-${item.state}`, dataset: { key: item.key, state: item.state } });
        li.append(element('span', { className: 'state' }, label));
        if (item.entry) li.append(' ', element('time', { dateTime: item.entry.createdAt }, new Date(item.entry.createdAt).toLocaleTimeString('en-GB', { timeZone })));
        li.append(' ', element('span', { className: 'excerpt' }, item.body.length > 80 ? `${item.body.slice(0, 80)}…` : item.body));
        if (item.reason) li.append(' ', element('span', { className: 'reason' }, item.reason));
        if (item.state === 'failed') {
          li.append(' ', element('button', { type: 'button', onclick: () => outbox.retry(item.key) }, 'Retry'), ' ', element('button', { type: 'button', onclick: () => outbox.discard(item.key) }, 'Discard'));
        }
        return li;
      }),
    );
  }
  const publish = () => {
    const body = textarea.value;
    if (!body.trim()) return;
    outbox.add(body, keyEvent.checked);
    textarea.value = '';
    keyEvent.checked = false;
    saveDraft();
    preview.innerHTML = '';
    textarea.focus();
  };
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      publish();
    }
  });
  root.querySelector('#publish')!.addEventListener('click', publish);
  renderOutbox(outbox.items());
  outbox.pump();

  // --- Images: paste, drop or pick --------------------------------------------------------------
  const insertImage = async (file: File) => {
    uploadStatus.textContent = `Uploading ${file.name}…`;
    uploadStatus.className = '';
    try {
      const markdown = await uploadImage(file);
      const at = textarea.selectionStart ?? textarea.value.length;
      textarea.setRangeText(`${at > 0 && !textarea.value.slice(0, at).endsWith('\n') ? '\n' : ''}${markdown}\n`, at, textarea.selectionEnd ?? at, 'end');
      uploadStatus.textContent = 'Image added';
      saveDraft();
      refreshPreview();
    } catch (error) {
      uploadStatus.textContent = `Upload failed: ${error instanceof Error ? error.message : String(error)}`;
      uploadStatus.className = 'error';
    }
    textarea.focus();
  };
  textarea.addEventListener('paste', (event) => {
    const file = [...(event.clipboardData?.files ?? [])][0];
    if (file) {
      event.preventDefault();
      void insertImage(file);
    }
  });
  textarea.addEventListener('dragover', (event) => event.preventDefault());
  textarea.addEventListener('drop', (event) => {
    const file = [...(event.dataTransfer?.files ?? [])][0];
    if (file) {
      event.preventDefault();
      void insertImage(file);
    }
  });
  const picker = element('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', id: 'image-picker', className: 'visually-hidden' });
  const pickerLabel = element('label', { htmlFor: 'image-picker', className: 'button' }, 'Add image');
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    if (file) void insertImage(file);
    picker.value = '';
  });
  uploadStatus.before(picker, pickerLabel, ' ');

  // --- The live timeline -------------------------------------------------------------------------
  // Older entries (beyond the latest 50) load on demand, so an editor can fix any of them.
  let olderCursor: string | null = null;
  const loadEarlier = element('button', { type: 'button', id: 'load-earlier' }, 'Load earlier entries');
  loadEarlier.addEventListener('click', () => {
    if (!olderCursor) return;
    loadEarlier.disabled = true;
    feed.loadOlder(olderCursor).then(
      () => (loadEarlier.disabled = false),
      (error: unknown) => {
        loadEarlier.disabled = false;
        window.alert(error instanceof Error ? error.message : String(error));
      },
    );
  });
  const renderTimeline = () => {
    const sorted = [...entries.values()].sort(newestFirst);
    const nodes = sorted.map((entry) => editing.get(entry.id)?.form ?? renderDeskEntry(entry, viewer, timeZone));
    timeline.replaceChildren(...nodes);
    if (sorted.length === 0) timeline.append(element('p', { className: 'muted', id: 'timeline-empty' }, 'No entries yet.'));
    if (olderCursor) timeline.append(loadEarlier);
  };
  const deleted = setupDeleted(root, () => post.slug, viewer);
  const feed = new Feed(post.slug, {
    entry: (entry) => {
      entries.set(entry.id, entry);
      const edit = editing.get(entry.id);
      if (edit && entry.version !== edit.baseVersion) edit.form.querySelector('.meanwhile')?.replaceChildren(`Changed by someone else meanwhile (now version ${entry.version}); saving will show you both.`);
      renderTimeline();
      void deleted.refresh();
    },
    older: (cursor) => {
      olderCursor = cursor;
      renderTimeline();
    },
    deleted: (id) => {
      entries.delete(id);
      editing.delete(id);
      renderTimeline();
      void deleted.refresh();
    },
    post: (updated) => {
      post = updated;
      root.querySelector('#post-title')!.textContent = updated.title;
      const status = root.querySelector('#post-status')!;
      status.textContent = updated.status;
      status.className = `status status-${updated.status}`;
      root.querySelector<HTMLAnchorElement>('#reader-link')!.href = `/posts/${updated.slug}`;
      if (location.pathname !== `/admin/posts/${updated.slug}`) history.replaceState(null, '', `/admin/posts/${updated.slug}`);
      settings?.update(updated);
    },
    connection: (state) => {
      connection.textContent = state;
      connection.dataset.state = state === 'Live' ? 'live' : 'down';
    },
  });
  const settings = setupSettings(root, () => post);
  void feed.start();
  void deleted.refresh();

  timeline.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const article = button?.closest<HTMLElement>('[data-entry-id]');
    if (!button || !article) return;
    const entry = entries.get(Number(article.dataset.entryId));
    if (!entry) return;
    void act(button.dataset.action!, entry);
  });

  async function act(action: string, entry: Entry): Promise<void> {
    try {
      if (action === 'edit') return openEditor(entry);
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
  }

  /** Edit in place; a stale save (412) shows the other version and lets the editor choose. */
  function openEditor(entry: Entry): void {
    const form = element('form', { className: 'desk-entry editing', dataset: { entryId: String(entry.id) } });
    const body = element('textarea', { className: 'edit-body', rows: 5, value: entry.body });
    body.setAttribute('aria-label', 'Entry text');
    const shownAt = element('input', { type: 'datetime-local', className: 'edit-time', step: '1' });
    shownAt.value = toLocalInput(entry.createdAt, 'seconds');
    const initialShownAt = shownAt.value;
    const meanwhile = element('p', { className: 'meanwhile warning', role: 'status' });
    const conflict = element('div', { className: 'conflict', hidden: true });
    form.append(element('p', { className: 'muted' }, `Editing version ${entry.version}`), body);
    if (viewer.role !== 'author') form.append(element('label', {}, 'Shown time ', shownAt));
    form.append(meanwhile, conflict, element('button', { type: 'submit' }, 'Save'), ' ', element('button', { type: 'button', className: 'cancel', onclick: close }, 'Cancel'));
    editing.set(entry.id, { baseVersion: entry.version, form });
    renderTimeline();
    body.focus();

    function close(): void {
      editing.delete(entry.id);
      renderTimeline();
    }
    async function save(version: number): Promise<void> {
      const patch: EntryPatch = { body: body.value };
      const time = fromLocalInput(shownAt.value);
      if (viewer.role !== 'author' && time && shownAt.value !== initialShownAt) patch.createdAt = time;
      try {
        await updateEntry(entry.id, version, patch);
        close();
      } catch (error) {
        const theirs = stale(error)?.entry;
        if (theirs) return showConflict(theirs);
        conflict.hidden = false;
        conflict.replaceChildren(element('p', { className: 'error' }, error instanceof Error ? error.message : String(error)));
      }
    }
    function showConflict(theirs: Entry): void {
      // Name the person: the entry's author is not necessarily who saved the newer version.
      void entryRevisions(entry.id).then(
        ({ revisions }) => {
          const latest = revisions.find((revision) => revision.version === theirs.version);
          const who = conflict.querySelector('.who-saved');
          if (latest?.actor && who) who.textContent = `${latest.actor.name} saved this entry meanwhile (version ${theirs.version}, ${new Date(latest.createdAt).toLocaleTimeString('en-GB')}). Their version:`;
        },
        () => undefined,
      );
      const editor = editing.get(entry.id);
      if (editor) editor.baseVersion = theirs.version;
      const theirBody = element('div', { className: 'entry-body theirs' });
      theirBody.innerHTML = theirs.html; // sanitized by the server
      conflict.hidden = false;
      conflict.replaceChildren(
        element('p', { className: 'warning who-saved', role: 'alert' }, `Someone else saved this entry meanwhile (version ${theirs.version}). Their version:`),
        theirBody,
        element('button', { type: 'button', className: 'reapply', onclick: () => void save(theirs.version) }, 'Save mine over theirs'),
        ' ',
        element('button', { type: 'button', className: 'take-theirs', onclick: () => ((body.value = theirs.body), (conflict.hidden = true)) }, 'Start from theirs'),
      );
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void save(editing.get(entry.id)?.baseVersion ?? entry.version);
    });
    body.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
      if (event.key === 'Escape') close();
    });
  }
}

function setupDeleted(root: HTMLElement, slug: () => string, viewer: Viewer): { refresh(): Promise<void> } {
  const section = root.querySelector<HTMLElement>('#deleted')!;
  const list = root.querySelector<HTMLOListElement>('#deleted-list')!;
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
              await load();
            } catch (error) {
              window.alert(error instanceof Error ? error.message : String(error));
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
