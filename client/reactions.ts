import type { Socket } from 'socket.io-client';
import type { ClientToServer, EntryReactions, PostReactions, ReactionCounts, ReactionKind, ServerToClient } from '../contract/index.js';
import { ui } from './i18n.js';
import { countsLoader, hiddenStatus, readerId, RememberedChoices } from './reader-choices.js';

/**
 * Reactions under each entry (issue 19): a row of five buttons with their counts, for entries in
 * the page and entries arriving live. Anonymous: the browser makes itself a random id once
 * (localStorage) and sends it with each reaction; the server keeps one reaction per entry per id.
 * What this browser chose is remembered here too, so the page shows it pressed (aria-pressed).
 *
 * Counts come from GET /api/posts/:slug/reactions when the page opens and each time the socket
 * (re)connects, then from the `reactions` socket event (at most one a second per post, only the
 * entries that changed). A click shows its effect at once; the server's answer (given once the
 * reaction is on disk) sets the real counts, or the button springs back with a message.
 */

export const REACTIONS: readonly { kind: ReactionKind; emoji: string }[] = [
  { kind: 'like', emoji: '👍' },
  { kind: 'love', emoji: '❤️' },
  { kind: 'wow', emoji: '😮' },
  { kind: 'laugh', emoji: '😂' },
  { kind: 'clap', emoji: '👏' },
];

const label = (kind: ReactionKind) => ui.t(`reader.reaction.${kind}`);

export class Reactions {
  private enabled = true;
  private readonly counts = new Map<number, ReactionCounts>();
  /** What this browser chose, per entry (remembered across reloads for this post). */
  private readonly mine: RememberedChoices<ReactionKind>;
  /** Entries with a reaction on its way: broadcasts for them wait for the server's answer. */
  private readonly inFlight = new Set<number>();
  private readonly reader = readerId();
  private readonly status: HTMLElement;

  constructor(
    private readonly slug: string,
    private readonly list: HTMLElement,
  ) {
    this.mine = new RememberedChoices(`liveline:reactions:${slug}`, (value): value is ReactionKind => REACTIONS.some((r) => r.kind === value));
    this.status = hiddenStatus(list, 'reactions-status');
  }

  /** Listens to the socket: counts as they change, and a fresh read at every (re)connection. */
  follow(socket: Socket<ServerToClient, ClientToServer>): void {
    socket.on('reactions', (event) => {
      if (event.enabled !== this.enabled) {
        this.enabled = event.enabled;
        this.renderAll();
      }
      this.apply(event.entries);
    });
    socket.on('connect', () => void this.load());
  }

  private readonly fetchReactions = countsLoader<PostReactions>(() => `/api/posts/${encodeURIComponent(this.slug)}/reactions`);

  async load(): Promise<void> {
    const body = await this.fetchReactions();
    if (!body) return;
    const wasEnabled = this.enabled;
    this.enabled = body.enabled;
    if (wasEnabled !== body.enabled) this.renderAll();
    this.apply(body.entries);
  }

  /** Adds (or, reactions off, removes) the row of an entry; called for every article, old or new. */
  addTo(article: HTMLElement): void {
    const id = Number(article.dataset.entryId);
    const existing = article.querySelector<HTMLElement>(':scope > .reactions');
    if (!this.enabled || !id || article.classList.contains('pinned-stub')) {
      existing?.remove();
      return;
    }
    if (existing) return void this.show(id, existing);
    const row = document.createElement('div');
    row.className = 'reactions';
    row.setAttribute('role', 'group');
    row.setAttribute('aria-label', ui.t('reader.reactions'));
    for (const { kind, emoji } of REACTIONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'reaction';
      button.dataset.reaction = kind;
      const face = document.createElement('span');
      face.setAttribute('aria-hidden', 'true');
      face.textContent = emoji;
      const count = document.createElement('span');
      count.className = 'reaction-count';
      count.setAttribute('aria-hidden', 'true');
      button.append(face, count);
      button.addEventListener('click', () => void this.react(id, kind));
      row.append(button);
    }
    article.append(row);
    this.show(id, row);
  }

  addToAll(): void {
    this.list.querySelectorAll<HTMLElement>(':scope > article[data-entry-id]').forEach((article) => this.addTo(article));
  }

  private renderAll(): void {
    this.addToAll();
  }

  private apply(entries: readonly EntryReactions[]): void {
    for (const { id, counts } of entries) {
      if (this.inFlight.has(id)) continue;
      this.counts.set(id, counts);
      this.refresh(id);
    }
  }

  private refresh(id: number): void {
    const row = this.list.querySelector<HTMLElement>(`:scope > article[data-entry-id="${id}"] > .reactions`);
    if (row) this.show(id, row);
  }

  private show(id: number, row: HTMLElement): void {
    const counts = this.counts.get(id) ?? {};
    const chosen = this.mine.get(id);
    row.querySelectorAll<HTMLButtonElement>('button.reaction').forEach((button) => {
      const kind = button.dataset.reaction as ReactionKind;
      const n = counts[kind] ?? 0;
      button.setAttribute('aria-pressed', String(chosen === kind));
      button.setAttribute('aria-label', ui.plural('reader.reactionCount', n, { name: label(kind) }));
      button.querySelector('.reaction-count')!.textContent = n > 0 ? ui.number(n) : '';
    });
  }

  private async react(id: number, kind: ReactionKind): Promise<void> {
    const before = this.mine.get(id);
    const beforeCounts = { ...(this.counts.get(id) ?? {}) };
    const reaction = before === kind ? null : kind;
    // At once: the chosen one pressed, the counts moved; the server's answer corrects them.
    const guess = { ...beforeCounts };
    if (before) guess[before] = Math.max(0, (guess[before] ?? 0) - 1);
    if (reaction) guess[reaction] = (guess[reaction] ?? 0) + 1;
    this.mine.set(id, reaction);
    this.counts.set(id, guess);
    this.inFlight.add(id);
    this.refresh(id);
    try {
      const response = await fetch(`/api/entries/${id}/reactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ reader: this.reader, reaction }),
      });
      if (!response.ok) throw new Error(String(response.status));
      const saved = (await response.json()) as { counts: ReactionCounts };
      this.counts.set(id, saved.counts);
    } catch {
      this.mine.set(id, before ?? null);
      this.counts.set(id, beforeCounts);
      this.status.textContent = ui.t('reader.reactionFailed');
    } finally {
      this.inFlight.delete(id);
      this.refresh(id);
    }
  }
}
