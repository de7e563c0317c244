import type { Entry } from '../contract/index.js';
import { entryContent, entryHeader } from './entry-view.js';
import type { Times } from './times.js';

/**
 * The pinned entry above the stream (issue 15): shown like an entry, collapsed to a few lines
 * with "Show more" when it is long. The toggle is a <details> the stylesheet reads, so it works
 * without JavaScript; here it is dropped when the entry fits anyway, and the box follows pins,
 * unpins and edits live. The stream shows the pinned entry as a note (client/entry-view.ts).
 */
export class Pinned {
  constructor(
    private readonly times: Times,
    private readonly permalinkBase: string,
  ) {
    this.fit();
    // Re-measured when the width changes (a phone turned, a window resized): lines re-wrap.
    let width = window.innerWidth;
    window.addEventListener('resize', () => {
      if (window.innerWidth === width) return;
      width = window.innerWidth;
      this.fit();
    }, { passive: true });
  }

  /** One pinned entry per post: pinning another replaces it, unpinning or deleting it clears the box. */
  update(id: number, entry: Entry | null): void {
    const box = document.getElementById('pinned');
    const body = document.getElementById('pinned-body');
    if (!box || !body) return;
    const shown = body.dataset.pinnedId === String(id);
    if (!entry) {
      if (shown) {
        body.replaceChildren();
        body.dataset.pinnedId = '';
        box.hidden = true;
      }
      return;
    }
    body.replaceChildren(entryHeader(entry, this.times, this.permalinkBase, false), ...entryContent(entry, this.times, this.permalinkBase));
    body.dataset.pinnedId = String(entry.id);
    box.hidden = false;
    // A newly pinned entry starts collapsed.
    if (!shown) document.getElementById('pinned-more')?.removeAttribute('open');
    this.fit();
  }

  /** Collapsed only when there is more than the few lines shown. */
  private fit(): void {
    const box = document.getElementById('pinned');
    const body = document.querySelector<HTMLElement>('#pinned-body > .entry-body');
    const more = document.getElementById('pinned-more') as HTMLDetailsElement | null;
    if (!box || !body || box.hidden || more?.open) return;
    box.setAttribute('data-collapsible', '');
    if (body.scrollHeight <= body.clientHeight + 2) box.removeAttribute('data-collapsible');
    // An image still loading has no height yet: measure again once it has one.
    body.querySelectorAll('img').forEach((image) => {
      if (!image.complete) image.addEventListener('load', () => this.fit(), { once: true });
    });
  }
}
