import { element } from './dom.js';

/**
 * One "More actions" menu per desk entry (issue 14): five buttons per entry made ~250 tab stops on
 * a 50-entry desk. Edit stays a button of its own; the rest live behind one disclosure button
 * (`aria-expanded`), whose items are ordinary buttons that keep their `data-action` hooks.
 * Keyboard: Enter, Space or ↓ opens it on the first item (↑ on the last); ↑/↓/Home/End move
 * between items, Tab moves on as usual; Esc closes it and returns to the button; so do a click
 * outside and Tab leaving it. The behaviour is delegated, once per container, so the thousand
 * articles of a long desk carry no listeners of their own.
 */

export type MenuItem = { action: string; label: string; className?: string };

/** The button and the (closed) list of `items`; `describedBy` names the entry for screen readers. */
export function renderEntryMenu(id: string, items: MenuItem[], describedBy: string): HTMLElement {
  const button = element('button', { type: 'button', className: 'menu-button', dataset: { focusKey: 'menu' } }, 'More');
  // Attributes, not ARIA reflection (element.ariaExpanded): older Firefox ESRs lack the latter.
  setAttributes(button, { 'aria-label': 'More actions', 'aria-expanded': 'false', 'aria-controls': id, 'aria-describedby': describedBy });
  const list = element(
    'div',
    { className: 'menu', id, hidden: true },
    ...items.map(({ action, label, className }) => element('button', { type: 'button', className: `menu-item action-${action}${className ? ` ${className}` : ''}`, dataset: { action, focusKey: 'menu' } }, label)),
  );
  setAttributes(list, { role: 'group', 'aria-label': 'Entry actions' });
  return element('div', { className: 'entry-menu' }, button, list);
}

function setAttributes(node: Element, attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
}

const items = (menu: Element) => [...menu.querySelectorAll<HTMLButtonElement>('.menu > button:not([disabled])')];

function open(menu: HTMLElement, focus: 'first' | 'last'): void {
  closeAll(menu.ownerDocument, menu);
  menu.querySelector('.menu-button')!.setAttribute('aria-expanded', 'true');
  menu.querySelector<HTMLElement>('.menu')!.hidden = false;
  menu.classList.add('open');
  const all = items(menu);
  (focus === 'first' ? all[0] : all[all.length - 1])?.focus();
}

/** Closes `menu`; with `refocus`, the focus goes back to its button. */
export function closeMenu(menu: HTMLElement, refocus: boolean): void {
  if (!menu.classList.contains('open')) return;
  const button = menu.querySelector<HTMLButtonElement>('.menu-button')!;
  button.setAttribute('aria-expanded', 'false');
  menu.querySelector<HTMLElement>('.menu')!.hidden = true;
  menu.classList.remove('open');
  if (refocus) button.focus();
}

function closeAll(root: Document, except?: HTMLElement): void {
  root.querySelectorAll<HTMLElement>('.entry-menu.open').forEach((menu) => menu !== except && closeMenu(menu, false));
}

/**
 * Wires every entry menu inside `container`. Call before the container's own click handler for
 * the actions: choosing an item closes its menu (focus back on the button) before the action runs.
 */
export function setupEntryMenus(container: HTMLElement): void {
  container.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    const menu = target.closest<HTMLElement>('.entry-menu');
    if (!menu) return;
    if (target.closest('.menu-button')) {
      if (menu.classList.contains('open')) closeMenu(menu, true);
      else open(menu, 'first');
    } else if (target.closest('.menu > button')) closeMenu(menu, true);
  });
  container.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    const menu = target.closest<HTMLElement>('.entry-menu');
    if (!menu) return;
    if (target.matches('.menu-button') && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      event.preventDefault();
      open(menu, event.key === 'ArrowDown' ? 'first' : 'last');
      return;
    }
    if (!menu.classList.contains('open')) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      closeMenu(menu, true);
      return;
    }
    const all = items(menu);
    const at = all.indexOf(target as HTMLButtonElement);
    if (at < 0) return;
    const move = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[event.key];
    if (move === undefined) return;
    event.preventDefault();
    all[(move + all.length) % all.length]!.focus();
  });
  container.addEventListener('focusout', (event) => {
    const menu = (event.target as HTMLElement).closest<HTMLElement>('.entry-menu.open');
    const next = event.relatedTarget as Node | null;
    // Only when the focus moves elsewhere on the page: a click on nothing is the outside click's.
    if (menu && next && !menu.contains(next)) closeMenu(menu, false);
  });
  container.ownerDocument.addEventListener('pointerdown', (event) => {
    const inside = (event.target as HTMLElement).closest?.('.entry-menu.open');
    container.querySelectorAll<HTMLElement>('.entry-menu.open').forEach((menu) => menu !== inside && closeMenu(menu, false));
  });
}
