import { deskMetaLines } from './entry-meta-fields.js';
import type { Actor, Entry } from '../../contract/index.js';
import { clockElement } from './clock.js';
import { element } from './dom.js';
import { renderEntryMenu } from './entry-menu.js';

/** Markup of one entry on the desk: the published HTML plus the actions this user may take. */
export type Viewer = Pick<Actor, 'id' | 'role'>;

/** Editors and admins: what the desk offers beyond one's own entries. */
export function isEditor(viewer: Viewer): boolean {
  return viewer.role === 'editor' || viewer.role === 'admin';
}

export function canModify(viewer: Viewer, entry: Entry): boolean {
  return isEditor(viewer) || (viewer.role !== 'contributor' && entry.author?.id === viewer.id);
}

/**
 * One entry on the desk. Few tab stops (issue 14): Edit is a button of its own (one click away),
 * everything else is in one "More actions" menu (entry-menu.ts); someone who may not change the
 * entry gets its History button only. Buttons keep `data-action` (the desk's click handler and
 * the tests use it) and `data-focus-key` (the desk puts the focus back on the same control when a
 * live update re-renders the entry).
 */
export function renderDeskEntry(entry: Entry, viewer: Viewer, timeZone: string): HTMLElement {
  const metaId = `desk-entry-${entry.id}-meta`;
  const header = element(
    'header',
    { id: metaId },
    // In the page's event zone (clock.ts: whatever the post's zone is or changes to), labelled, with the browser's time as a hint.
    clockElement(entry.createdAt, 'seconds'),
    ' ',
    element('span', { className: 'author' }, entry.author?.name ?? 'unknown'),
  );
  // The readers' words: "Key moment"; "edited" only when the body changed (a pin is not an edit).
  if (entry.keyEvent) header.append(' ', element('span', { className: 'badge key-event-badge' }, 'Key moment'));
  if (entry.pinned) header.append(' ', element('span', { className: 'badge pinned-badge' }, 'Pinned'));
  if (entry.edited) {
    const updated = new Date(entry.updatedAt);
    header.append(' ', element('span', { className: 'edited', title: `Last updated ${updated.toLocaleString('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'medium' })}` }, 'edited'));
  }
  const body = element('div', { className: 'entry-body' });
  body.innerHTML = entry.html; // sanitized on the server when it was written
  const actions = element('div', { className: 'actions' });
  const button = (action: string, label: string) => {
    const control = element('button', { type: 'button', className: `action-${action}`, dataset: { action, focusKey: action } }, label);
    control.setAttribute('aria-describedby', metaId);
    return control;
  };
  if (canModify(viewer, entry)) {
    actions.append(
      button('edit', 'Edit'),
      renderEntryMenu(`desk-entry-${entry.id}-menu`, [
        { action: 'key-event', label: entry.keyEvent ? 'Unmark key moment' : 'Mark as key moment' },
        { action: 'pin', label: entry.pinned ? 'Unpin' : 'Pin' },
        { action: 'history', label: 'History' },
        { action: 'delete', label: 'Delete', className: 'danger' },
      ], metaId),
    );
  } else actions.append(button('history', 'History'));
  return element(
    'article',
    { className: `desk-entry${entry.keyEvent ? ' key-event' : ''}${entry.pinned ? ' pinned' : ''}`, id: `desk-entry-${entry.id}`, dataset: { entryId: String(entry.id), version: String(entry.version) } },
    header,
    ...deskMetaLines(entry),
    body,
    actions,
  );
}

/** Which control of an entry has the focus (see `data-focus-key`), to give it back after a re-render. */
export function focusKeyIn(node: Element | undefined): string | undefined {
  const active = document.activeElement;
  if (!node || !active || !node.contains(active)) return undefined;
  return active instanceof HTMLElement ? (active.closest<HTMLElement>('[data-focus-key]')?.dataset.focusKey ?? 'article') : undefined;
}

/** Focuses the control `key` names in a freshly rendered entry (the menu's button for its items). */
export function refocus(node: HTMLElement, key: string): void {
  const target = key === 'menu' ? node.querySelector<HTMLElement>('.menu-button') : node.querySelector<HTMLElement>(`[data-focus-key="${key}"]`);
  (target ?? node.querySelector<HTMLElement>('button'))?.focus();
}

/** Timeline order on the desk: newest first, by shown time then id. */
export function newestFirst(a: Entry, b: Entry): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return b.id - a.id;
}
