import type { Entry } from '../contract/index.js';
import { ui } from './i18n.js';
import { entryArticle } from './entry-view.js';
import type { Times } from './times.js';

/**
 * The stream of entries on the page: builds entry markup like the server does, keeps the order
 * (oldest or newest first), follows the live edge, and never moves what the reader is looking at.
 */

const EDGE_PX = 120;

export class Timeline {
  /** As the server rendered the page (`data-order`): live posts newest first, ended ones oldest first. */
  newestFirst: boolean;
  /** Whether a new entry scrolls the page to it when the reader is at the live edge (not in an embed). */
  follow = true;
  /** The "Key moments only" view (`data-filter="key"`): other entries are not shown. */
  readonly keyOnly: boolean;
  /** The `?tag=` view (`data-filter-tag`, issue 17): only entries with this tag are shown. */
  readonly tagOnly: string | undefined;
  /** Runs after every change to the stream, inside it (day separators), so the reader's place is kept with it. */
  onLayout: () => void = () => undefined;
  /** Runs on every entry built for the page (the Share control). */
  onRender: (article: HTMLElement) => void = () => undefined;
  /**
   * The newest version this page has seen of each entry (a deletion is a version too), so a page
   * of older entries fetched meanwhile cannot bring back a deleted or outdated one; a restore
   * arrives with a higher version and goes through.
   */
  private readonly versions = new Map<number, number>();
  private unseen = 0;
  private announced = 0;
  private announceTimer: number | undefined;

  constructor(
    private readonly list: HTMLElement,
    private readonly times: Times,
    private readonly permalinkBase: string,
  ) {
    this.newestFirst = list.dataset.order === 'newest-first';
    this.keyOnly = list.dataset.filter === 'key';
    this.tagOnly = list.dataset.filterTag || undefined;
    this.newButton?.addEventListener('click', () => this.jumpToNewest());
    window.addEventListener('scroll', () => this.atLiveEdge() && this.clearUnseen(), { passive: true });
  }

  articles(): HTMLElement[] {
    return [...this.list.querySelectorAll<HTMLElement>(':scope > article[data-entry-id]')];
  }

  find(id: number): HTMLElement | null {
    return this.list.querySelector<HTMLElement>(`:scope > article[data-entry-id="${id}"]`);
  }

  /** Inserts or replaces an entry; `fresh` marks a newly published one (counted, announced, followed). */
  upsert(entry: Entry, fresh: boolean): void {
    if (this.isStale(entry)) return;
    this.versions.set(entry.id, entry.version);
    const existing = this.find(entry.id);
    if ((this.keyOnly && !entry.keyEvent) || (this.tagOnly !== undefined && !(entry.tags ?? []).includes(this.tagOnly))) {
      // No longer a key moment: it leaves this view; a new ordinary entry never enters it.
      if (existing) this.keepingPlace(() => existing.remove(), false);
      this.toggleEmpty();
      return;
    }
    const article = this.render(entry);
    if (existing && existing.dataset.createdAt === entry.createdAt) {
      this.keepingPlace(() => existing.replaceWith(article), false);
      return;
    }
    // A corrected time moves the entry to its new place in the stream.
    if (existing) this.keepingPlace(() => existing.remove(), false);
    const articles = this.articles();
    const position = articles.find((other) => this.before(entry, other));
    // An entry older than everything shown belongs to an earlier page the reader has not loaded;
    // one newer than everything, on a post read from its start, to a later page.
    const oldest = this.newestFirst ? articles[articles.length - 1] : articles[0];
    const newest = this.newestFirst ? articles[0] : articles[articles.length - 1];
    if (oldest && compare(entry, oldest) < 0 && document.getElementById('load-earlier')) return;
    if (newest && compare(entry, newest) > 0 && document.getElementById('load-later')) return;
    this.keepingPlace(() => this.list.insertBefore(article, position ?? null), fresh);
    this.toggleEmpty();
  }

  /** Adds a page of earlier or later entries ("Load earlier/later entries") without moving the reader's view. */
  addPage(entries: Entry[]): void {
    this.keepingPlace(() => {
      for (const entry of entries) {
        if (this.find(entry.id) || this.isStale(entry)) continue;
        const article = this.render(entry);
        const position = this.articles().find((other) => this.before(entry, other));
        this.list.insertBefore(article, position ?? null);
      }
    }, false);
    this.toggleEmpty();
  }

  remove(id: number, version: number): void {
    this.versions.set(id, Math.max(version, this.versions.get(id) ?? 0));
    const article = this.find(id);
    if (article) this.keepingPlace(() => article.remove(), false);
    this.toggleEmpty();
  }

  setNewestFirst(newestFirst: boolean): void {
    if (newestFirst === this.newestFirst) return;
    this.newestFirst = newestFirst;
    this.list.append(...this.articles().reverse());
    // "Load earlier" sits where the older entries are: above the stream, or below it.
    const earlier = document.querySelector<HTMLElement>('nav.earlier');
    if (earlier) this.list.insertAdjacentElement(newestFirst ? 'afterend' : 'beforebegin', earlier);
    const later = document.querySelector<HTMLElement>('nav.later');
    if (later) this.list.insertAdjacentElement(newestFirst ? 'beforebegin' : 'afterend', later);
    this.list.dataset.order = newestFirst ? 'newest-first' : 'oldest-first';
    this.onLayout();
  }

  /** The last page in one direction arrived: the controls that depend on it (Jump to latest) follow. */
  pageEnded(): void {
    this.onLayout();
  }

  /** Whether every entry between the first and the newest is on the page (no page left to load on either side). */
  get complete(): boolean {
    return !document.getElementById('load-earlier') && !document.getElementById('load-later');
  }

  /** True when the newest entry is in view (the bottom of an oldest-first stream, the top of a newest-first one). */
  atLiveEdge(): boolean {
    const rect = this.list.getBoundingClientRect();
    return this.newestFirst ? rect.top >= -EDGE_PX : rect.bottom <= window.innerHeight + EDGE_PX;
  }

  jumpToNewest(): void {
    const articles = this.articles();
    const newest = this.newestFirst ? articles[0] : articles[articles.length - 1];
    // Newest first, the newest entry is at the top of the stream (under its day, if one is shown).
    const target = this.newestFirst ? (newest?.previousElementSibling?.classList.contains('day-separator') ? newest.previousElementSibling : newest) : newest;
    target?.scrollIntoView({ block: this.newestFirst ? 'start' : 'end' });
    this.clearUnseen();
  }

  /** Newest first and following: the new entry appears at the top, where the reader is; scroll only if it landed above the view. */
  private revealNewest(): void {
    const newest = this.articles()[0];
    if (newest && newest.getBoundingClientRect().top < 0) this.jumpToNewest();
    else this.clearUnseen();
  }

  /**
   * Runs a DOM change without moving what the reader sees: at the live edge the page follows the
   * newest entry; elsewhere the first visible entry stays exactly where it was.
   */
  private keepingPlace(change: () => void, fresh: boolean): void {
    const following = fresh && this.follow && this.atLiveEdge();
    const anchor = this.articles().find((article) => article.getBoundingClientRect().bottom > 0);
    const anchorTop = anchor?.getBoundingClientRect().top ?? 0;
    change();
    this.onLayout();
    if (following) {
      if (this.newestFirst) this.revealNewest();
      else this.jumpToNewest();
    } else if (anchor?.isConnected) {
      const shift = anchor.getBoundingClientRect().top - anchorTop;
      if (shift !== 0) window.scrollBy(0, shift);
    }
    if (fresh) {
      if (!following) this.countUnseen();
      this.announce();
    }
  }

  private countUnseen(): void {
    this.unseen += 1;
    const button = this.newButton;
    if (!button) return;
    button.textContent = `${ui.plural('reader.newEntries', this.unseen)} ${this.newestFirst ? '↑' : '↓'}`;
    button.hidden = false;
  }

  private clearUnseen(): void {
    this.unseen = 0;
    if (this.newButton) this.newButton.hidden = true;
  }

  /** One polite announcement per burst, not one per entry. */
  private announce(): void {
    this.announced += 1;
    window.clearTimeout(this.announceTimer);
    this.announceTimer = window.setTimeout(() => {
      const announcer = document.getElementById('announcer');
      if (announcer) announcer.textContent = ui.plural('reader.newEntries', this.announced);
      this.announced = 0;
    }, 1500);
  }

  private isStale(entry: Entry): boolean {
    return (this.versions.get(entry.id) ?? 0) >= entry.version || Number(this.find(entry.id)?.dataset.version ?? 0) >= entry.version;
  }

  private before(entry: Entry, other: HTMLElement): boolean {
    const order = compare(entry, other);
    return this.newestFirst ? order > 0 : order < 0;
  }

  private toggleEmpty(): void {
    document.getElementById('empty')?.toggleAttribute('hidden', this.articles().length > 0);
  }

  private get newButton(): HTMLButtonElement | null {
    return document.getElementById('new-entries') as HTMLButtonElement | null;
  }

  /** Same markup as the server's entryArticle() (client/entry-view.ts). */
  render(entry: Entry): HTMLElement {
    const article = entryArticle(entry, this.times, this.permalinkBase);
    this.onRender(article);
    return article;
  }
}

/** Timeline order: by createdAt, then id (ISO strings in UTC compare as text). */
export function compare(entry: Pick<Entry, 'createdAt' | 'id'>, other: HTMLElement): number {
  const otherCreated = other.dataset.createdAt ?? '';
  if (entry.createdAt !== otherCreated) return entry.createdAt < otherCreated ? -1 : 1;
  return entry.id - Number(other.dataset.entryId);
}
