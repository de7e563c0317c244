import type { Entry } from '../../contract/index.js';

/**
 * How find-in-post and jump-to-time end: the entry they found, brought onto the desk (desk.ts
 * loads the pages down to it), then scrolled into view, focused (so keyboard and screen-reader
 * users continue from it) and highlighted for a moment.
 */

/** Where an entry sits in the timeline: ordered by shown time, then id. */
export type EntryPosition = Pick<Entry, 'id' | 'createdAt'>;

/** `a` comes before `b` in time (further down the desk, which is newest first). */
export function isOlder(a: EntryPosition, b: EntryPosition): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
}

/** Focus on an entry's article without scrolling; an article is not focusable by itself. */
export function focusEntry(node: HTMLElement): void {
  if (node.tabIndex < 0 && !node.hasAttribute('tabindex')) node.tabIndex = -1;
  node.focus({ preventScroll: true });
}

/** Into view, focused, and highlighted once (a CSS animation; the class goes when it ends). */
export function spotlight(node: HTMLElement): void {
  node.scrollIntoView({ block: 'center' });
  focusEntry(node);
  node.classList.remove('spotlight');
  void node.offsetWidth; // restart the animation when the same entry is shown twice in a row
  node.classList.add('spotlight');
  node.addEventListener('animationend', () => node.classList.remove('spotlight'), { once: true });
}
