import type { EntryPage } from '../contract/index.js';
import { entriesAfter, entriesBefore } from './api-client.js';
import { ui } from './i18n.js';
import type { Timeline } from './timeline.js';

const MAX_PERMALINK_PAGES = 25;

/**
 * "Load earlier entries" and "Load later entries" over the API (both links still work without
 * JavaScript: `?before=` and `?after=`), and permalinks to entries that are not on the first
 * page: pages are loaded (earlier ones on a live post, later ones on an ended post read from its
 * start) until the entry is found.
 */
export class Earlier {
  private readonly earlier: PageLink;
  private readonly later: PageLink;

  constructor(
    slug: string,
    private readonly timeline: Timeline,
  ) {
    this.earlier = new PageLink('load-earlier', 'before', (cursor, limit) => entriesBefore(slug, cursor, limit), ui.t('reader.earlierFailed'), timeline);
    this.later = new PageLink('load-later', 'after', (cursor, limit) => entriesAfter(slug, cursor, limit), ui.t('reader.laterFailed'), timeline);
  }

  /** Scrolls to #entry-ID, loading other pages first when it is not on the one shown. */
  async revealPermalink(): Promise<void> {
    const match = /^#entry-(\d+)$/.exec(location.hash);
    if (!match) return;
    const id = Number(match[1]);
    // Bounded: a permalink to a deleted entry must not pull a whole huge post into the page.
    for (const link of [this.later, this.earlier]) {
      for (let pages = 0; pages < MAX_PERMALINK_PAGES && !this.timeline.find(id) && (await link.loadPage(200)); pages++);
    }
    const target = this.timeline.find(id);
    if (!target) return;
    target.classList.add('target');
    target.scrollIntoView({ block: 'start' });
  }
}

/** One of the two links: its cursor moves on with every page, and it goes when nothing is left. */
class PageLink {
  private loading: Promise<boolean> | undefined;

  constructor(
    private readonly id: string,
    private readonly parameter: 'before' | 'after',
    private readonly fetch: (cursor: string, limit: number) => Promise<EntryPage>,
    private readonly failed: string,
    private readonly timeline: Timeline,
  ) {
    this.link?.addEventListener('click', (event) => {
      event.preventDefault();
      void this.loadPage(50);
    });
  }

  private get link(): HTMLAnchorElement | null {
    return document.getElementById(this.id) as HTMLAnchorElement | null;
  }

  /** Loads one more page; false when there is nothing more to load. */
  loadPage(limit: number): Promise<boolean> {
    this.loading ??= this.fetchPage(limit).finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fetchPage(limit: number): Promise<boolean> {
    const link = this.link;
    const cursor = link?.dataset.cursor;
    if (!link || !cursor) return false;
    link.setAttribute('aria-busy', 'true');
    try {
      const page = await this.fetch(cursor, limit);
      this.timeline.addPage(page.entries);
      const next = this.parameter === 'before' ? page.nextCursor : (page.laterCursor ?? null);
      if (next) {
        link.dataset.cursor = next;
        link.href = `${location.pathname}?${this.parameter}=${next}`;
      } else {
        link.closest('nav')?.remove();
        this.timeline.pageEnded();
      }
      return next !== null;
    } catch {
      link.textContent = this.failed;
      return false;
    } finally {
      link.removeAttribute('aria-busy');
    }
  }
}
