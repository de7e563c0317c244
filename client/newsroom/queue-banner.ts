import type { OutboxEvent, OutboxSnapshot } from './outbox.js';
import { element } from './dom.js';

/**
 * The composer's offline state, in one sticky banner above the box: offline (or the server out
 * of reach) with how many entries wait, an ended session with the login link that comes back to
 * this post, someone else's session, then "All 3 entries sent" once a backlog has gone out, which
 * fades. The rows of the outbox (outbox-view.ts) show each entry; this shows the queue.
 *
 * Screen readers hear the outbox through two live regions: a polite one for what goes well
 * (published, queued, offline, all sent) and an assertive one for what needs the author (a
 * failure, an ended or someone else's session). The banner itself is not a live region, so
 * nothing is read twice.
 */

/** How long "All 3 entries sent" stays before it has faded away (newsroom.css fades it over the last second). */
const CONFIRMATION_MS = 6000;

const entries = (count: number) => `${count} ${count === 1 ? 'entry' : 'entries'}`;

export class QueueBanner {
  private readonly banner: HTMLElement;
  private readonly polite: HTMLElement;
  private readonly assertive: HTMLElement;
  private shown = '';
  private confirmation: { text: string; timer: number } | undefined;
  private last: OutboxSnapshot | undefined;

  /** `loginHref`: the login page that comes back to this post. */
  constructor(before: Element, private readonly loginHref: () => string) {
    this.banner = element('div', { className: 'queue-banner', id: 'queue-banner', hidden: true });
    this.polite = element('div', { className: 'visually-hidden', id: 'outbox-status', role: 'status' });
    this.polite.setAttribute('aria-live', 'polite');
    this.assertive = element('div', { className: 'visually-hidden', id: 'outbox-alert', role: 'alert' });
    this.assertive.setAttribute('aria-live', 'assertive');
    before.before(this.banner, this.polite, this.assertive);
  }

  show(snapshot: OutboxSnapshot): void {
    const previous = this.last;
    this.last = snapshot;
    const { condition, waiting } = snapshot;
    if (condition !== 'ok' || waiting > 0) this.clearConfirmation();
    if (this.confirmation) return;

    const they = waiting === 1 ? 'it goes' : 'they go';
    switch (condition) {
      case 'offline':
        this.render('offline', waiting ? `Offline: ${entries(waiting)} waiting; ${they} out in order.` : 'Offline: what you publish waits here and goes out in order when the connection returns.');
        break;
      case 'unreachable':
        this.render('offline', `The server cannot be reached: ${waiting ? `${entries(waiting)} waiting; retrying, ${they} out in order.` : 'retrying.'}`);
        break;
      case 'signed-out':
        this.render('alert', `Your session has ended${waiting ? `: ${entries(waiting)} waiting` : ''}. `, this.loginLink(), waiting ? ` to send ${waiting === 1 ? 'it' : 'them'}; nothing is lost.` : '.');
        break;
      case 'someone-else':
        this.render('alert', `Held: this browser is signed in as someone else${waiting ? `; ${entries(waiting)} wait for their author` : ''}. Log out, then sign in as their author to send them.`);
        break;
      case 'ok':
        if (waiting > 0 && snapshot.backlog) this.render('sending', `Back online: sending ${entries(waiting)} in order…`);
        else this.render('hidden');
        break;
    }

    // Announce what changed: the condition, or a new entry joining a waiting queue.
    if (!previous || previous.condition !== condition) {
      if (condition === 'offline' || condition === 'unreachable') this.say(this.banner.textContent ?? '');
      else if (condition === 'signed-out' || condition === 'someone-else') this.say(this.banner.textContent ?? '', true);
    } else if (condition !== 'ok' && waiting > previous.waiting) {
      this.say(`Queued: ${entries(waiting)} waiting.`);
    }
  }

  event(event: OutboxEvent): void {
    switch (event.type) {
      case 'published':
        if (!event.backlog) this.say('Published.');
        break;
      case 'failed':
        this.say(`Not published: ${event.item.reason ?? 'it failed'}. Retry or discard it in the outbox.`, true);
        break;
      case 'drained': {
        const text = event.failed
          ? `${entries(event.sent)} sent; ${entries(event.failed)} could not be: see the outbox.`
          : event.sent === 1
            ? 'The waiting entry has been sent.'
            : `All ${entries(event.sent)} sent.`;
        this.render('done', text);
        this.say(text);
        const timer = window.setTimeout(() => {
          this.confirmation = undefined;
          if (this.last) this.show(this.last);
        }, CONFIRMATION_MS);
        this.confirmation = { text, timer };
        break;
      }
    }
  }

  private loginLink(): HTMLAnchorElement {
    return element('a', { href: this.loginHref(), id: 'queue-login' }, 'Log in again');
  }

  private render(kind: 'offline' | 'alert' | 'sending' | 'done' | 'hidden', ...content: (string | Node)[]): void {
    const key = `${kind}\u0000${content.map((part) => (typeof part === 'string' ? part : (part.textContent ?? ''))).join('')}`;
    if (key === this.shown) return;
    this.shown = key;
    this.banner.hidden = kind === 'hidden';
    this.banner.dataset.kind = kind;
    this.banner.replaceChildren(...content);
  }

  private clearConfirmation(): void {
    if (!this.confirmation) return;
    window.clearTimeout(this.confirmation.timer);
    this.confirmation = undefined;
  }

  /** Live regions announce a change of their text: empty first, so the same words twice are heard twice. */
  private say(text: string, urgent = false): void {
    const region = urgent ? this.assertive : this.polite;
    region.textContent = '';
    window.setTimeout(() => (region.textContent = text), 50);
  }
}
