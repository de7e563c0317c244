import { diffWords } from 'diff';
import { entryRevisions } from '../api-client.js';
import { clockElement } from './clock.js';
import { element } from './dom.js';

/** The history view: every revision with who and when, and a word diff against the one before. */
export async function showHistory(entryId: number, dialog: HTMLDialogElement, target: HTMLElement): Promise<void> {
  target.replaceChildren(element('p', {}, 'Loading…'));
  if (!dialog.open) dialog.showModal();
  try {
    const { revisions } = await entryRevisions(entryId);
    const list = element('ol', { className: 'revisions', reversed: true });
    revisions
      .map((revision, index) => ({ revision, previous: revisions[index - 1] }))
      .reverse()
      .forEach(({ revision, previous }) => {
        // Times in the event zone, labelled, the browser's as a hint (clock.ts).
        const heading = element('p', { className: 'revision-meta' }, `Version ${revision.version} · ${revision.action} by ${revision.actor?.name ?? 'unknown'} · `, clockElement(revision.createdAt, 'seconds'));
        if (previous && previous.shownAt !== revision.shownAt && revision.shownAt) {
          heading.append(element('span', { className: 'time-change' }, ' · shown time → ', clockElement(revision.shownAt, 'seconds')));
        }
        list.append(element('li', { className: 'revision', dataset: { version: String(revision.version) } }, heading, renderDiff(previous?.body ?? '', revision.body)));
      });
    target.replaceChildren(list);
  } catch (error) {
    target.replaceChildren(element('p', { className: 'error' }, `History unavailable: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/** Markdown sources compared word by word; built from text nodes only, never as HTML. */
export function renderDiff(before: string, after: string): HTMLElement {
  const pre = element('pre', { className: 'diff' });
  for (const part of diffWords(before, after)) {
    pre.append(part.added ? element('ins', {}, part.value) : part.removed ? element('del', {}, part.value) : document.createTextNode(part.value));
  }
  return pre;
}
