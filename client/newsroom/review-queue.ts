import type { Draft } from '../../contract/index.js';
import { approveDraft, rejectDraft, returnDraft, updateDraft } from './drafts-api.js';
import { draftBody, draftHead, editDraftInPlace, keyedList, type DraftList } from './drafts-panel.js';
import { element } from './dom.js';
import { errorText } from './notices.js';
import type { Viewer } from './timeline.js';

/**
 * The editors' review queue (issue 17): what contributors submitted, oldest first, with a count
 * that follows it live, each with its headline and co-authors. Approve publishes it credited to its author; Return sends it back as a
 * draft with a note the author sees; Reject closes it (it never reaches readers); Edit opens it in
 * place, fields and all, for the editor to fix before approving (it stays in the queue). Each
 * step is audited on the server. `saved`: a draft as a request answered it.
 */
export function setupReviewQueue(root: HTMLElement, viewer: Viewer, saved: (draft: Draft) => void): DraftList {
  const count = element('span', { className: 'count', id: 'review-count' }, '0');
  const list = element('ol', { id: 'review-list', className: 'drafts-list' });
  const empty = element('p', { className: 'muted', id: 'review-empty' }, 'Nothing waiting for review.');
  const queue = element('section', { className: 'review-queue', id: 'review-queue', ariaLabel: 'Review queue' }, element('h2', {}, 'Review queue ', count), empty, list);
  root.querySelector('.write')!.after(queue);
  const editing = new Set<number>();

  const renderItem = (draft: Draft): HTMLElement => {
    const error = element('p', { className: 'error draft-error', role: 'alert' });
    const actions = element('div', { className: 'draft-actions' });
    const node = element('li', { className: 'draft', dataset: { draftId: String(draft.id), state: draft.state } }, ...draftHead(draft), draftBody(draft), actions, error);
    const run = async (action: () => Promise<unknown>) => {
      error.textContent = '';
      try {
        await action();
      } catch (failure) {
        error.textContent = errorText(failure);
      }
    };
    const button = (action: string, label: string) => {
      const control = element('button', { type: 'button', dataset: { draftAction: action } }, label);
      actions.append(control, ' ');
      return control;
    };
    button('approve', 'Approve and publish').addEventListener('click', () => run(() => approveDraft(draft)));
    button('edit', 'Edit').addEventListener('click', () => {
      editing.add(draft.id);
      editDraftInPlace(draft, node, viewer, async (patch) => saved(await updateDraft(draft, patch)), () => {
        editing.delete(draft.id);
        keyed.invalidate(draft.id);
      });
    });
    const withNote = (action: 'return' | 'reject', label: string, send: (note: string) => Promise<unknown>) =>
      button(action, label).addEventListener('click', () => {
        editing.add(draft.id);
        const note = element('input', { type: 'text', maxLength: 1000, ariaLabel: action === 'return' ? 'What should change' : 'Why (optional)', placeholder: action === 'return' ? 'What should change?' : 'Why? (optional)' });
        const confirm = element('button', { type: 'button', dataset: { draftAction: `${action}-confirm` } }, action === 'return' ? 'Send back' : 'Reject');
        const cancel = element('button', { type: 'button' }, 'Cancel');
        const form = element('div', { className: 'draft-note-form' }, note, ' ', confirm, ' ', cancel);
        actions.after(form);
        actions.hidden = true;
        cancel.addEventListener('click', () => {
          editing.delete(draft.id);
          keyed.invalidate(draft.id);
        });
        confirm.addEventListener('click', () =>
          run(async () => {
            await send(note.value.trim());
            editing.delete(draft.id);
          }),
        );
        note.focus();
      });
    withNote('return', 'Return with a note…', (text) => returnDraft(draft, text));
    withNote('reject', 'Reject…', (text) => rejectDraft(draft, text));
    return node;
  };

  const keyed = keyedList(list, renderItem, editing);
  return {
    render(drafts) {
      const waiting = drafts.filter((draft) => draft.state === 'submitted').sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id - b.id);
      keyed.place(waiting);
      count.textContent = String(waiting.length);
      empty.hidden = waiting.length > 0;
    },
  };
}
