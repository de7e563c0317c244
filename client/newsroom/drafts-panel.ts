import type { Draft, DraftPatch } from '../../contract/index.js';
import { deleteDraft, publishDraft, updateDraft } from './drafts-api.js';
import { clockElement } from './clock.js';
import { element } from './dom.js';
import { deskMetaLines, entryMetaFields } from './entry-meta-fields.js';
import { errorText } from './notices.js';
import { isEditor, type Viewer } from './timeline.js';

/**
 * The desk's Drafts panel (issue 17): the post's entries that are not public yet, everyone's
 * for authors and editors, one's own for a contributor, live from the newsroom socket. Each can
 * be edited in place, published (keeping its author's byline), submitted for review, taken
 * back, unscheduled or deleted, as far as this person may (the server decides again). Editors
 * find the submitted ones in the review queue (review-queue.ts) instead.
 *
 * Lists are keyed: a change re-renders only its own item, and never one being edited.
 */

export type DraftList = { render(drafts: Draft[]): void };

const STATE_LABEL: Record<Draft['state'], string> = { draft: 'Draft', submitted: 'Waiting for review', scheduled: 'Scheduled', rejected: 'Rejected' };

/**
 * The item's header: who wrote it, where it is, when it was last saved (and by whom, when not its
 * author); then its headline and what else it will be published with (co-authors, location,
 * label, tags), as the desk shows an entry's.
 */
export function draftHead(draft: Draft): HTMLElement[] {
  return [draftHeader(draft), ...deskMetaLines(draft)];
}

export function draftHeader(draft: Draft): HTMLElement {
  const header = element('header', {}, element('span', { className: 'author' }, draft.author.name), ' ', element('span', { className: `badge draft-state draft-state-${draft.state}` }, STATE_LABEL[draft.state]));
  if (draft.state === 'scheduled' && draft.publishAt) header.append(' for ', clockElement(draft.publishAt, 'seconds'));
  header.append(' · saved ', clockElement(draft.updatedAt, 'minutes'));
  if (draft.updatedBy && draft.updatedBy.id !== draft.author.id) header.append(` by ${draft.updatedBy.name}`);
  return header;
}

export function draftBody(draft: Draft): HTMLElement {
  const body = element('div', { className: 'entry-body' });
  // Sanitized by the server's entry renderer, as every entry's HTML.
  body.innerHTML = draft.html;
  return body;
}

export type KeyedList = {
  place(drafts: Draft[]): void;
  /** Renders the item again on the next place (it was edited in place, or its form closed). */
  invalidate(id: number): void;
};

export function keyedList(list: HTMLOListElement, render: (draft: Draft) => HTMLElement, editing: Set<number>): KeyedList {
  const items = new Map<number, { version: number; node: HTMLElement }>();
  let last: Draft[] = [];
  const place = (drafts: Draft[]) => {
    last = drafts;
    const wanted = new Set(drafts.map((draft) => draft.id));
    for (const [id, item] of items) {
      if (!wanted.has(id)) {
        item.node.remove();
        items.delete(id);
        editing.delete(id);
      }
    }
    let previous: Element | null = null;
    for (const draft of drafts) {
      let item = items.get(draft.id);
      if (!item || (item.version !== draft.version && !editing.has(draft.id))) {
        const node = render(draft);
        if (item) item.node.replaceWith(node);
        item = { version: draft.version, node };
        items.set(draft.id, item);
      }
      const anchor: ChildNode | null = previous ? previous.nextSibling : list.firstChild;
      if (anchor !== item.node) list.insertBefore(item.node, anchor);
      previous = item.node;
    }
  };
  return {
    place,
    invalidate(id) {
      const item = items.get(id);
      if (item) item.version = -1;
      place(last);
    },
  };
}

/**
 * Opens a listed draft for editing in place (the Drafts panel, the review queue): its text and
 * its fields, as an entry's editor has them (headline, location, label, tags and co-authors as
 * chips; the byline stays its author; no correction). `save` sends what changed; `done` closes it.
 */
export function editDraftInPlace(draft: Draft, node: HTMLElement, viewer: Viewer, save: (patch: DraftPatch) => Promise<void>, done: () => void): void {
  const textarea = element('textarea', { rows: 4, value: draft.body, ariaLabel: `Edit the draft by ${draft.author.name}` });
  const saveButton = element('button', { type: 'button' }, 'Save');
  const cancel = element('button', { type: 'button' }, 'Cancel');
  const meta = entryMetaFields(draft, viewer, textarea, { kind: 'draft' });
  const form = element('div', { className: 'draft-edit' }, meta.element, textarea, ...meta.belowBody, element('div', { className: 'draft-actions' }, saveButton, ' ', cancel));
  node.querySelector('.entry-body')!.replaceWith(form);
  for (const line of node.querySelectorAll(':scope > .desk-headline, :scope > .desk-meta')) line.remove();
  node.querySelector<HTMLElement>(':scope > .draft-actions')!.hidden = true;
  cancel.addEventListener('click', done);
  saveButton.addEventListener('click', async () => {
    const error = node.querySelector<HTMLElement>('.draft-error')!;
    error.textContent = '';
    try {
      await save(meta.patch(textarea.value));
      done();
    } catch (failure) {
      error.textContent = errorText(failure);
    }
  });
  textarea.focus();
}

/** `saved`: a draft as a request answered it (shown at once; the socket brings it too). */
export function setupDraftsPanel(root: HTMLElement, viewer: Viewer, saved: (draft: Draft) => void): DraftList {
  const count = element('span', { className: 'count', id: 'drafts-count' }, '0');
  const list = element('ol', { id: 'drafts-list', className: 'drafts-list' });
  const empty = element('p', { className: 'muted', id: 'drafts-empty' }, 'No drafts. “Save draft” keeps an entry here, shared with the desk, until it is published.');
  const panel = element('section', { className: 'drafts', id: 'drafts', ariaLabel: 'Drafts' }, element('h2', {}, 'Drafts ', count), empty, list);
  root.querySelector('.write')!.after(panel);
  const editing = new Set<number>();
  const mine = (draft: Draft) => draft.author.id === viewer.id;
  const author = viewer.role !== 'contributor';

  const act = async (node: HTMLElement, run: () => Promise<unknown>) => {
    const error = node.querySelector<HTMLElement>('.draft-error')!;
    error.textContent = '';
    try {
      await run();
    } catch (failure) {
      error.textContent = errorText(failure);
    }
  };

  const edit = (draft: Draft, node: HTMLElement) => {
    editing.add(draft.id);
    editDraftInPlace(draft, node, viewer, async (patch) => saved(await updateDraft(draft, patch)), () => {
      editing.delete(draft.id);
      keyed.invalidate(draft.id);
    });
  };

  const renderItem = (draft: Draft): HTMLElement => {
    const actions = element('div', { className: 'draft-actions' });
    const node = element('li', { className: 'draft', dataset: { draftId: String(draft.id), state: draft.state } }, ...draftHead(draft));
    if (draft.note) node.append(element('p', { className: 'draft-note' }, `${draft.state === 'rejected' ? 'Rejected' : 'Returned'} by the editor: ${draft.note}`));
    node.append(draftBody(draft), actions, element('p', { className: 'error draft-error', role: 'alert' }));
    const button = (action: string, label: string, run: () => Promise<unknown>) => {
      const control = element('button', { type: 'button', dataset: { draftAction: action } }, label);
      control.addEventListener('click', () => act(node, run));
      actions.append(control, ' ');
    };
    const open = draft.state === 'draft' || draft.state === 'scheduled';
    if (isEditor(viewer) || (mine(draft) && draft.state !== 'rejected') || (author && open)) {
      const control = element('button', { type: 'button', dataset: { draftAction: 'edit' } }, 'Edit');
      control.addEventListener('click', () => edit(draft, node));
      actions.append(control, ' ');
    }
    if (author && open) button('publish', 'Publish', () => publishDraft(draft));
    if (mine(draft) && draft.state === 'draft' && !isEditor(viewer)) button('submit', 'Submit for review', () => updateDraft(draft, { state: 'submitted' }));
    if (mine(draft) && draft.state === 'submitted') button('withdraw', 'Take back', () => updateDraft(draft, { state: 'draft' }));
    if (author && draft.state === 'scheduled') button('unschedule', 'Unschedule', () => updateDraft(draft, { state: 'draft' }));
    if (mine(draft) || isEditor(viewer)) button('delete', 'Delete', () => deleteDraft(draft));
    return node;
  };

  const keyed = keyedList(list, renderItem, editing);
  return {
    render(drafts) {
      // Editors review submitted entries in the queue; everyone else sees theirs here, waiting.
      const shown = drafts.filter((draft) => !(isEditor(viewer) && draft.state === 'submitted'));
      keyed.place(shown);
      count.textContent = String(shown.length);
      empty.hidden = shown.length > 0;
    },
  };
}
