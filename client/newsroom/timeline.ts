import type { Actor, Entry } from '../../contract/index.js';
import { clockElement } from './clock.js';
import { element } from './dom.js';

/** Markup of one entry on the desk: the published HTML plus the actions this user may take. */
export type Viewer = Pick<Actor, 'id' | 'role'>;

export function canModify(viewer: Viewer, entry: Entry): boolean {
  return viewer.role !== 'author' || entry.author?.id === viewer.id;
}

export function renderDeskEntry(entry: Entry, viewer: Viewer, timeZone: string): HTMLElement {
  const header = element(
    'header',
    {},
    // In the page's event zone (clock.ts: `timeZone`, and whatever the post's zone changes to), labelled, with the browser's time as a hint.
    clockElement(entry.createdAt, 'seconds'),
    ' ',
    element('span', { className: 'author' }, entry.author?.name ?? 'unknown'),
  );
  if (entry.keyEvent) header.append(' ', element('span', { className: 'badge key-event-badge' }, 'Key event'));
  if (entry.pinned) header.append(' ', element('span', { className: 'badge pinned-badge' }, 'Pinned'));
  if (entry.version > 1) header.append(' ', element('span', { className: 'edited' }, `v${entry.version}`));
  const body = element('div', { className: 'entry-body' });
  body.innerHTML = entry.html; // sanitized on the server when it was written
  const actions = element('div', { className: 'actions' });
  const button = (action: string, label: string) => element('button', { type: 'button', className: `action-${action}`, dataset: { action } }, label);
  if (canModify(viewer, entry)) {
    actions.append(button('edit', 'Edit'), button('key-event', entry.keyEvent ? 'Unmark key event' : 'Mark key event'), button('pin', entry.pinned ? 'Unpin' : 'Pin'));
  }
  actions.append(button('history', 'History'));
  if (canModify(viewer, entry)) actions.append(button('delete', 'Delete'));
  return element(
    'article',
    { className: `desk-entry${entry.keyEvent ? ' key-event' : ''}${entry.pinned ? ' pinned' : ''}`, id: `desk-entry-${entry.id}`, dataset: { entryId: String(entry.id), version: String(entry.version) } },
    header,
    body,
    actions,
  );
}

/** Timeline order on the desk: newest first, by shown time then id. */
export function newestFirst(a: Entry, b: Entry): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return b.id - a.id;
}
