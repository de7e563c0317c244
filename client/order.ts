import type { Timeline } from './timeline.js';

/**
 * Newest · Oldest (issue 15). The server renders live posts newest first and ended ones oldest
 * first, like an article, with "Jump to latest"; both are links that work without JavaScript
 * (`?order=`). Here they reorder the stream in place (an ended post shown in part opens the other
 * order's page instead: its start and its end are different pages), and a choice made on a live post is
 * remembered for live posts in this browser; an ended post always opens at its start. An
 * explicit `?order=` in the address wins over the remembered choice.
 */
const ORDER_KEY = 'liveline:order';

type Order = 'newest' | 'oldest';

export class OrderControl {
  private readonly links: HTMLAnchorElement[];

  constructor(
    private readonly timeline: Timeline,
    private readonly list: HTMLElement,
  ) {
    this.links = [...document.querySelectorAll<HTMLAnchorElement>('#order-choice a[data-order]')];
    if (!this.ended && list.dataset.orderSource !== 'url' && readPreference() === 'oldest') timeline.setNewestFirst(false);
    for (const link of this.links) {
      link.addEventListener('click', (event) => {
        // An ended post shown in part (its start, or its latest page): the other order is another
        // page of the post, which the link opens; a live post reorders what it shows.
        if (this.ended && !timeline.complete) return;
        event.preventDefault();
        this.choose(link.dataset.order === 'oldest' ? 'oldest' : 'newest');
      });
    }
    document.getElementById('jump-latest')?.addEventListener('click', (event) => {
      // The newest entry is pages away (an ended post read from its start): the link opens the newest-first view.
      if (document.getElementById('load-later')) return;
      event.preventDefault();
      timeline.jumpToNewest();
    });
    this.refresh();
  }

  private get ended(): boolean {
    return this.list.dataset.status === 'ended';
  }

  private choose(order: Order): void {
    this.timeline.setNewestFirst(order === 'newest');
    if (!this.ended) writePreference(order);
    // The address says the view only when it is not the post's default, so a reload shows it again
    // and the other views' links (filter, key moments) keep it.
    const fallback: Order = this.ended ? 'oldest' : 'newest';
    const url = new URL(location.href);
    if (order === fallback) url.searchParams.delete('order');
    else url.searchParams.set('order', order);
    history.replaceState(history.state, '', url);
    for (const link of document.querySelectorAll<HTMLAnchorElement>('#filter-choice a, #key-moments-all, nav.earlier a')) {
      const href = new URL(link.href);
      if (order === fallback) href.searchParams.delete('order');
      else href.searchParams.set('order', order);
      link.href = `${href.pathname}${href.search}`;
    }
    this.refresh();
  }

  /** Marks the chosen order, and shows "Jump to latest" while the newest entry is at the bottom. */
  refresh(): void {
    const current: Order = this.timeline.newestFirst ? 'newest' : 'oldest';
    for (const link of this.links) {
      if (link.dataset.order === current) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    }
    const jump = document.getElementById('jump-latest') as HTMLAnchorElement | null;
    if (!jump) return;
    if (document.getElementById('load-later')) {
      jump.hidden = this.timeline.newestFirst;
      return;
    }
    const articles = this.timeline.articles();
    const newest = this.timeline.newestFirst ? articles[0] : articles[articles.length - 1];
    jump.hidden = this.timeline.newestFirst || articles.length < 2;
    if (newest) jump.href = `#${newest.id}`;
  }
}

function readPreference(): Order | undefined {
  try {
    const stored = localStorage.getItem(ORDER_KEY);
    return stored === 'oldest' || stored === 'newest' ? stored : undefined;
  } catch {
    return undefined; // storage disabled (privacy mode): the default order
  }
}

function writePreference(order: Order): void {
  try {
    localStorage.setItem(ORDER_KEY, order);
  } catch {
    // Not remembered, but the choice still applies to this page.
  }
}
