import type { Change } from '../contract/index.js';
import { changesPage } from './api-client.js';
import { ui } from './i18n.js';
import { localWhen } from './post-status.js';
import { announceStatus } from './status-announcer.js';

/**
 * "Since you were last here": a reader coming back to a post sees "14 new entries and 2 key
 * moments since 14:05" with a link to the first of them. This browser remembers, per post, the
 * last seq the reader saw and when (localStorage; a tab in the background sees nothing, so the
 * seq does not move while the tab is hidden). On return, the change log after that seq is read
 * (`GET /api/posts/:slug/changes?since=`), up to its last seq when first asked.
 *
 * What counts: the log rewrites an entry's earlier rows to its latest state (a deletion leaves
 * only tombstones, see server/store/changes.ts), so an entry first published since the last visit
 * and still public has exactly one `entry.created` row after that seq, carrying its current key
 * moment flag; an older entry edited since has only `entry.updated` rows. Counting the
 * `entry.created` rows is therefore exact, and the key moments are among them.
 *
 * The work is bounded for a huge gap: at most MAX_PAGES answers of PAGE_SIZE changes (each also
 * bounded in bytes by the server), and counting stops at CAP entries ("100+ new entries").
 */

const STORAGE_KEY = 'liveline:visits';
/** Posts remembered per browser; the least recently seen are forgotten first. */
const MAX_POSTS = 50;
const CAP = 100;
const PAGE_SIZE = 250;
const MAX_PAGES = 4;
const WRITE_DELAY_MS = 1000;

type Visit = { seq: number; at: string };

export type NewSince = { entries: number; keyMoments: number; atLeast: boolean; firstId: number | undefined };

function readVisits(): Record<string, Visit> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, Visit>) : {};
  } catch {
    return {}; // storage disabled or unreadable: every visit is a first one
  }
}

function writeVisit(slug: string, visit: Visit): void {
  try {
    const visits = readVisits();
    visits[slug] = visit;
    const kept = Object.entries(visits)
      .filter(([, value]) => typeof value?.seq === 'number' && typeof value.at === 'string')
      .sort(([, a], [, b]) => (a.at < b.at ? 1 : -1))
      .slice(0, MAX_POSTS);
    localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // Not remembered (storage full or disabled): the next visit is treated as a first one.
  }
}

/**
 * Counts what the log holds after `since`, up to its last seq at the first answer (what arrives
 * later arrives live), within the bounds above.
 */
export async function countNewSince(slug: string, since: number): Promise<NewSince> {
  const found: NewSince = { entries: 0, keyMoments: 0, atLeast: false, firstId: undefined };
  let firstAt = '';
  let seq = since;
  let until = Number.POSITIVE_INFINITY;
  for (let page = 0; seq < until; page++) {
    if (page === MAX_PAGES) {
      found.atLeast = true;
      break;
    }
    const body = await changesPage(slug, seq, PAGE_SIZE, AbortSignal.timeout(10_000));
    if (page === 0) until = body.lastSeq;
    if (body.changes.length === 0) break;
    for (const change of body.changes as Change[]) {
      if (change.seq > until) return found;
      seq = change.seq;
      if (change.type !== 'entry.created') continue;
      found.entries += 1;
      if (change.entry.keyEvent) found.keyMoments += 1;
      if (found.firstId === undefined || change.entry.createdAt < firstAt) {
        found.firstId = change.entry.id;
        firstAt = change.entry.createdAt;
      }
      if (found.entries >= CAP && seq < until) {
        found.atLeast = true;
        return found;
      }
    }
  }
  return found;
}

export class SinceLastVisit {
  /** The newest seq the page holds. */
  private latest: number;
  /** The newest seq the reader could see (the page was visible), and when; undefined until visible. */
  private seen: Visit | undefined;
  private writeTimer: number | undefined;

  constructor(
    private readonly slug: string,
    pageSeq: number,
  ) {
    this.latest = pageSeq;
    const previous = readVisits()[slug];
    this.look();
    document.addEventListener('visibilitychange', () => this.look());
    window.addEventListener('pagehide', () => this.write());
    // Asked even when the page shows nothing newer: a page from the browser's one-second cache may
    // predate what the log holds (the rest then arrives live, and is new since the last visit too).
    if (previous && typeof previous.seq === 'number' && typeof previous.at === 'string') void this.show(previous);
  }

  /** The page applied a change. */
  applied(seq: number): void {
    this.latest = seq;
    if (document.visibilityState !== 'visible') return;
    this.seen = { seq, at: new Date().toISOString() };
    window.clearTimeout(this.writeTimer);
    this.writeTimer = window.setTimeout(() => this.write(), WRITE_DELAY_MS);
  }

  /** Visible: the reader sees the page as it is now. Hidden: what they saw until now is kept. */
  private look(): void {
    if (document.visibilityState === 'visible') this.seen = { seq: this.latest, at: new Date().toISOString() };
    else if (this.seen) this.seen = { ...this.seen, at: new Date().toISOString() };
    this.write();
  }

  private write(): void {
    window.clearTimeout(this.writeTimer);
    // Leaving while visible: the reader was here until now.
    if (this.seen && document.visibilityState === 'visible') this.seen = { ...this.seen, at: new Date().toISOString() };
    if (this.seen) writeVisit(this.slug, this.seen);
  }

  private async show(previous: Visit): Promise<void> {
    const banner = document.getElementById('since-last-visit');
    if (!banner) return;
    let found: NewSince;
    try {
      found = await countNewSince(this.slug, previous.seq);
    } catch {
      return; // a failed count shows nothing rather than a wrong number
    }
    if (found.entries === 0) return;
    const when = localWhen(new Date(previous.at));
    const entries = found.atLeast ? ui.plural('reader.since.entriesAtLeast', found.entries) : ui.plural('reader.newEntries', found.entries);
    // "14:05", "yesterday at 14:05", "Sat 14 Mar at 14:05": the day when it was not today.
    const since = when.day ? ui.t('reader.since.dayAt', { day: when.day, time: when.time }) : when.time;
    const text = found.keyMoments
      ? ui.t('reader.since.summaryWithKeyMoments', {
          entries,
          keyMoments: ui.plural(found.atLeast ? 'reader.since.keyMomentsAtLeast' : 'reader.since.keyMoments', found.keyMoments),
          since,
        })
      : ui.t('reader.since.summary', { entries, since });
    const message = document.createElement('p');
    message.className = 'since-text';
    message.textContent = text;
    const children: Node[] = [message];
    if (found.firstId !== undefined) {
      const jump = document.createElement('a');
      jump.href = `#entry-${found.firstId}`;
      jump.className = 'since-jump';
      jump.textContent = ui.t('reader.since.jump');
      children.push(jump);
    }
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'since-dismiss';
    dismiss.textContent = ui.t('reader.since.dismiss');
    dismiss.setAttribute('aria-label', ui.t('reader.since.dismissLabel'));
    dismiss.addEventListener('click', () => (banner.hidden = true));
    children.push(dismiss);
    banner.replaceChildren(...children);
    banner.hidden = false;
    announceStatus(message.textContent);
  }
}
