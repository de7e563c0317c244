import type { Change } from '../contract/index.js';
import { ui } from './i18n.js';

/**
 * The tab's title counts the entries that arrived while the tab was hidden, "(3) Keynote ·
 * Liveline", so a reader in another tab sees that something happened; the count clears when the
 * reader comes back. An entry published and deleted while away is not counted. The title also
 * follows a renamed post.
 */

export class UnseenTitle {
  private base = document.title;
  private postTitle: string;
  private readonly unseen = new Set<number>();

  constructor() {
    this.postTitle = document.getElementById('post-title')?.textContent?.trim() ?? '';
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      this.unseen.clear();
      this.paint();
    });
  }

  observe(change: Change): void {
    if (change.type === 'post.updated') {
      if (change.post.title !== this.postTitle && this.postTitle && this.base.includes(this.postTitle)) {
        this.base = this.base.replace(this.postTitle, change.post.title);
      }
      this.postTitle = change.post.title;
    } else if (change.type === 'entry.deleted') {
      this.unseen.delete(change.entry.id);
    } else if (change.type === 'entry.created' && document.visibilityState === 'hidden') {
      this.unseen.add(change.entry.id);
    }
    this.paint();
  }

  private paint(): void {
    const title = this.unseen.size > 0 ? ui.t('reader.unseenTitle', { count: this.unseen.size, title: this.base }) : this.base;
    if (document.title !== title) document.title = title;
  }
}
