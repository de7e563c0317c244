import type { Entry, Revision, StoredEntry } from '../../contract/index.js';
import { entryRevisions, stale, updateEntry } from '../api-client.js';
import { clockElement } from './clock.js';
import { element } from './dom.js';
import { errorText, inlineError } from './notices.js';
import { readersView, renderText, renderTextDiff, sourceView, type ReadersView } from './rendered-diff.js';
import { differsFromEntry, metaChanges, restorePatch } from './revision-meta.js';
import { canModify, type Viewer } from './timeline.js';

/**
 * The history view: every revision with who and when, what changed in the text readers see
 * (rendered, word by word: see rendered-diff.ts), what else changed (pin, key moment, shown time,
 * headline, authors, location, tags, label, correction: revision-meta.ts), and "Restore this
 * version" on older ones (its text and its fields). A restore is an ordinary edit, sent with If-Match of
 * the version this view was loaded at: if someone saved meanwhile, nothing is overwritten; the
 * view says who, and reloads with their version on top.
 */
export type HistoryOptions = {
  viewer: Viewer;
  /** A version was restored (the desk shows the saved entry without waiting for the live feed). */
  saved(entry: Entry): void;
};

export async function showHistory(entryId: number, dialog: HTMLDialogElement, target: HTMLElement, options: HistoryOptions, notice?: string): Promise<void> {
  if (!notice) target.replaceChildren(element('p', {}, 'Loading…'));
  if (!dialog.open) dialog.showModal();
  try {
    const { entry, revisions } = await entryRevisions(entryId);
    const status = element('p', { className: 'history-notice', tabIndex: -1 }, notice ?? '');
    status.setAttribute('role', 'status');
    const list = element('ol', { className: 'revisions', reversed: true });
    revisions
      .map((revision, index) => ({ revision, previous: revisions[index - 1] }))
      .reverse()
      .forEach(({ revision, previous }) => {
        // Times in the event zone, labelled, the browser's as a hint (clock.ts).
        const heading = element('p', { className: 'revision-meta', id: `revision-${entry.id}-${revision.version}` }, `Version ${revision.version} · ${revision.action} by ${revision.actor?.name ?? 'unknown'} · `, clockElement(revision.createdAt, 'seconds'));
        if (previous && previous.shownAt !== revision.shownAt && revision.shownAt) {
          heading.append(element('span', { className: 'time-change' }, ' · shown time → ', clockElement(revision.shownAt, 'seconds')));
        }
        const item = element('li', { className: 'revision', dataset: { version: String(revision.version) } }, heading, ...whatChanged(revision, previous));
        if (restorable(revision, entry, options.viewer)) item.append(restoreButton(revision, entry, dialog, target, options));
        list.append(item);
      });
    target.replaceChildren(status, list);
    if (notice) status.focus();
  } catch (error) {
    target.replaceChildren(inlineError(`History unavailable: ${errorText(error)}`));
  }
}

const view = (revision: Revision): ReadersView => (revision.html === null ? sourceView(revision.body) : readersView(revision.html));

/** The text diff against the version before, and the flags that changed with it. */
function whatChanged(revision: Revision, previous: Revision | undefined): HTMLElement[] {
  if (!previous) return [renderText(view(revision))];
  const notes: string[] = [];
  if (revision.action === 'pinned') notes.push('Pinned.');
  if (revision.action === 'unpinned') notes.push('Unpinned.');
  if (revision.action === 'deleted') notes.push('Deleted: readers stopped seeing it.');
  if (revision.action === 'restored') notes.push('Restored: readers see it again.');
  if (revision.keyEvent !== previous.keyEvent) notes.push(revision.keyEvent ? 'Marked as a key moment.' : 'No longer a key moment.');
  if (revision.shownAt !== previous.shownAt && revision.shownAt) notes.push('Shown time corrected.');
  const parts: HTMLElement[] = notes.map((note) => element('p', { className: 'diff-note' }, note));
  const fields = metaChanges(revision, previous);
  parts.push(...fields.map((line) => element('p', { className: 'diff-note diff-meta' }, line)));
  notes.push(...fields);
  if (revision.body !== previous.body || notes.length === 0) parts.push(renderTextDiff(view(previous), view(revision)));
  return parts;
}

/** An older version whose text or fields differ from the current ones, on an entry this person may change. */
function restorable(revision: Revision, entry: StoredEntry, viewer: Viewer): boolean {
  return revision.version !== entry.version && differsFromEntry(revision, entry, viewer) && !entry.deletedAt && canModify(viewer, entry);
}

function restoreButton(revision: Revision, entry: StoredEntry, dialog: HTMLDialogElement, target: HTMLElement, options: HistoryOptions): HTMLButtonElement {
  const button = element('button', { type: 'button', className: 'restore-version' }, 'Restore this version');
  button.setAttribute('aria-describedby', `revision-${entry.id}-${revision.version}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const saved = await updateEntry(entry.id, entry.version, restorePatch(revision, entry, options.viewer));
      options.saved(saved);
      await showHistory(entry.id, dialog, target, options, `Version ${revision.version} restored: the entry is now version ${saved.version}.`);
    } catch (error) {
      const theirs = stale(error)?.entry;
      if (!theirs) {
        button.disabled = false;
        button.after(inlineError(`Not restored: ${errorText(error)}`));
        return;
      }
      const who = await entryRevisions(entry.id).then(
        ({ revisions }) => revisions.find((candidate) => candidate.version === theirs.version)?.actor?.name,
        () => undefined,
      );
      await showHistory(
        entry.id,
        dialog,
        target,
        options,
        `${who ?? 'Someone'} saved version ${theirs.version} meanwhile, so nothing was restored (their change is at the top). Restore version ${revision.version} again if you still want it.`,
      );
    }
  });
  return button;
}
