import type { Socket } from 'socket.io-client';
import type { ClientToServer, Poll, PostPolls, ServerToClient } from '../contract/index.js';
import { locale, ui } from './i18n.js';
import { countsLoader, hiddenStatus, readerId, RememberedChoices } from './reader-choices.js';

/**
 * Polls inside entries (issue 19). An entry holding a poll shows its question with one button
 * per option; once this browser voted (remembered in localStorage; the server counts one vote per
 * browser id) or the poll closed, it shows the results instead: each option's share and votes,
 * "Final results" when closed. Results come from GET /api/posts/:slug/polls when the page opens
 * and at every (re)connection, then from the batched `polls` socket event (at most one a second
 * per post), for entries in the page and arriving live alike.
 */

const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });

export class Polls {
  /** By entry id. */
  private readonly polls = new Map<number, Poll>();
  /** This browser's votes: poll id → option index. */
  private readonly voted: RememberedChoices<number>;
  private readonly sending = new Set<number>();
  private readonly reader = readerId();
  private readonly status: HTMLElement;

  constructor(
    private readonly slug: string,
    private readonly list: HTMLElement,
  ) {
    this.voted = new RememberedChoices(`liveline:votes:${slug}`, (value): value is number => typeof value === 'number');
    this.status = hiddenStatus(list, 'polls-status');
  }

  follow(socket: Socket<ServerToClient, ClientToServer>): void {
    socket.on('polls', (event) => this.apply(event.polls));
    socket.on('connect', () => void this.load());
  }

  private readonly fetchPolls = countsLoader<PostPolls>(() => `/api/posts/${encodeURIComponent(this.slug)}/polls`);

  async load(): Promise<void> {
    const body = await this.fetchPolls();
    if (body) this.apply(body.polls);
  }

  /** Shows the poll of this entry, if it holds one (called for every article, old or new). */
  addTo(article: HTMLElement): void {
    const poll = this.polls.get(Number(article.dataset.entryId));
    if (!poll || article.classList.contains('pinned-stub')) return;
    let box = article.querySelector<HTMLElement>(':scope > .poll');
    if (!box) {
      box = document.createElement('section');
      box.className = 'poll';
      box.dataset.pollId = String(poll.id);
      box.tabIndex = -1;
      box.setAttribute('aria-labelledby', `poll-${poll.id}-question`);
      const body = article.querySelector<HTMLElement>(':scope > .entry-body');
      // The entry's text is the question by default: shown once, in the poll.
      if (body && body.textContent?.trim() === poll.question.trim()) body.hidden = true;
      if (body) body.after(box);
      else article.append(box);
    }
    this.render(box, poll);
  }

  private apply(polls: readonly Poll[]): void {
    for (const poll of polls) {
      if (this.sending.has(poll.id)) continue;
      this.polls.set(poll.entryId, poll);
      const article = this.list.querySelector<HTMLElement>(`:scope > article[data-entry-id="${poll.entryId}"]`);
      if (article) this.addTo(article);
    }
  }

  private render(box: HTMLElement, poll: Poll): void {
    const chosen = this.voted.get(poll.id);
    const showResults = poll.closed || chosen !== undefined;
    box.classList.toggle('poll-closed', poll.closed);
    const question = document.createElement('p');
    question.className = 'poll-question';
    question.id = `poll-${poll.id}-question`;
    const badge = document.createElement('span');
    badge.className = 'poll-badge';
    badge.textContent = ui.t('reader.poll');
    question.append(badge, ' ', poll.question);
    const parts: HTMLElement[] = [question];
    if (showResults) {
      const results = document.createElement('ul');
      results.className = 'poll-results';
      poll.options.forEach((option, index) => {
        const item = document.createElement('li');
        if (index === chosen) item.className = 'poll-chosen';
        const share = poll.total ? option.votes / poll.total : 0;
        const label = document.createElement('span');
        label.className = 'poll-label';
        label.textContent = option.label;
        const figure = document.createElement('span');
        figure.className = 'poll-share';
        figure.textContent = `${percent.format(share)} · ${ui.plural('reader.poll.votes', option.votes)}`;
        const bar = document.createElement('span');
        bar.className = 'poll-bar';
        bar.setAttribute('aria-hidden', 'true');
        const fill = document.createElement('span');
        fill.style.width = `${Math.round(share * 1000) / 10}%`;
        bar.append(fill);
        item.append(label, ' ', figure, bar);
        results.append(item);
      });
      parts.push(results);
    } else {
      const options = document.createElement('div');
      options.className = 'poll-options';
      poll.options.forEach((option, index) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'poll-option';
        button.textContent = option.label;
        button.setAttribute('aria-label', ui.t('reader.poll.vote', { option: option.label }));
        button.addEventListener('click', () => void this.vote(poll, index, box));
        options.append(button);
      });
      parts.push(options);
    }
    const footer = document.createElement('p');
    footer.className = 'poll-footer';
    const notes = [ui.plural('reader.poll.votes', poll.total)];
    if (chosen !== undefined && poll.options[chosen]) notes.push(ui.t('reader.poll.youVoted', { option: poll.options[chosen].label }));
    if (poll.closed) notes.push(ui.t('reader.poll.final'));
    else if (poll.closesAt) notes.push(ui.t('reader.poll.closesAt', { time: clock.format(new Date(poll.closesAt)) }));
    footer.textContent = notes.join(' · ');
    parts.push(footer);
    box.replaceChildren(...parts);
  }

  private async vote(poll: Poll, option: number, box: HTMLElement): Promise<void> {
    // At once: this browser's vote and the results with it; the server's answer corrects them.
    const guess: Poll = { ...poll, total: poll.total + 1, options: poll.options.map((o, i) => (i === option ? { ...o, votes: o.votes + 1 } : o)) };
    this.remember(poll.id, option);
    this.sending.add(poll.id);
    this.render(box, guess);
    box.focus();
    try {
      const response = await fetch(`/api/polls/${poll.id}/votes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ reader: this.reader, option }),
      });
      const body = (await response.json().catch(() => ({}))) as { poll?: Poll; option?: number };
      if (response.ok && body.poll && body.option !== undefined) {
        this.remember(poll.id, body.option);
        this.polls.set(poll.entryId, body.poll);
        this.status.textContent = ui.t('reader.poll.youVoted', { option: body.poll.options[body.option]?.label ?? '' });
      } else if (response.status === 409 && body.poll) {
        // Closed meanwhile: the final results, without this vote.
        this.forget(poll.id);
        this.polls.set(poll.entryId, body.poll);
        this.status.textContent = ui.t('reader.poll.final');
      } else throw new Error(String(response.status));
    } catch {
      this.forget(poll.id);
      this.polls.set(poll.entryId, poll);
      this.status.textContent = ui.t('reader.poll.failed');
    } finally {
      this.sending.delete(poll.id);
      this.render(box, this.polls.get(poll.entryId)!);
    }
  }

  private remember(pollId: number, option: number): void {
    this.voted.set(pollId, option);
  }

  private forget(pollId: number): void {
    this.voted.set(pollId, null);
  }
}
