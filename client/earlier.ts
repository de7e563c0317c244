import { entriesBefore } from './api-client.js';
import { ui } from './i18n.js';
import type { Timeline } from './timeline.js';

const MAX_PERMALINK_PAGES = 25;

/**
 * "Load earlier entries" over the API (the link still works without JavaScript), and permalinks
 * to entries that are not in the first page: earlier pages are loaded until the entry is found.
 */
export class Earlier {
  private loading: Promise<boolean> | undefined;

  constructor(
    private readonly slug: string,
    private readonly timeline: Timeline,
  ) {
    this.link?.addEventListener('click', (event) => {
      event.preventDefault();
      void this.loadPage(50);
    });
  }

  private get link(): HTMLAnchorElement | null {
    return document.getElementById('load-earlier') as HTMLAnchorElement | null;
  }

  /** Loads one older page; false when there is nothing more to load. */
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
      const page = await entriesBefore(this.slug, cursor, limit);
      this.timeline.addOlder(page.entries);
      if (page.nextCursor) {
        link.dataset.cursor = page.nextCursor;
        link.href = `${location.pathname}?before=${page.nextCursor}`;
      } else {
        link.closest('nav')?.remove();
      }
      return page.nextCursor !== null;
    } catch {
      link.textContent = ui.t('reader.earlierFailed');
      return false;
    } finally {
      link.removeAttribute('aria-busy');
    }
  }

  /** Scrolls to #entry-ID, loading earlier pages first when it is older than the first page. */
  async revealPermalink(): Promise<void> {
    const match = /^#entry-(\d+)$/.exec(location.hash);
    if (!match) return;
    const id = Number(match[1]);
    // Bounded: a permalink to a deleted entry must not pull a whole huge post into the page.
    for (let pages = 0; pages < MAX_PERMALINK_PAGES && !this.timeline.find(id) && (await this.loadPage(200)); pages++);
    const target = this.timeline.find(id);
    if (!target) return;
    target.classList.add('target');
    target.scrollIntoView({ block: 'start' });
  }
}
