import { applyAccent, reportSize } from './embed-frame.js';
import { Earlier } from './earlier.js';
import { Highlights } from './highlights.js';
import { connectionPill } from './connection-pill.js';
import { ui } from './i18n.js';
import { LiveSync, type ConnectionLabels } from './live-sync.js';
import { PostStatus, showReaders } from './post-status.js';
import { SinceLastVisit } from './since-last-visit.js';
import { Timeline } from './timeline.js';
import { Times } from './times.js';
import { UnseenTitle } from './unseen-title.js';
import { labelFirstEntryTime } from './zone-label.js';
import type { Change } from '../contract/index.js';

/**
 * The reader page's live layer. The server-rendered page is complete on its own; this script
 * keeps it current. Every change carries the post's `seq`: a change is applied only when it is
 * exactly the next one, so entries are never missing or doubled whatever the network does.
 */

const ORDER_KEY = 'liveline:newest-first';

/** The connection's states in the page's language (contract/i18n, `reader.connection.…`). */
const CONNECTION_LABELS: ConnectionLabels = {
  connecting: ui.t('reader.connection.connecting'),
  live: ui.t('reader.connection.live'),
  slower: ui.t('reader.connection.slower'),
  reconnecting: ui.t('reader.connection.reconnecting'),
  offline: ui.t('reader.connection.offline'),
  unavailable: ui.t('reader.connection.unavailable'),
};

/** Applies each change of the post's log to the page (LiveSync decides when). */
function applyTo(list: HTMLElement, timeline: Timeline, highlights: Highlights, status: PostStatus) {
  return (change: Change): void => {
    list.dataset.lastSeq = String(change.seq);
    switch (change.type) {
      case 'entry.created':
      case 'entry.updated':
        timeline.upsert(change.entry, change.type === 'entry.created');
        highlights.update(change.entry);
        break;
      case 'entry.deleted':
        timeline.remove(change.entry.id, change.entry.version);
        highlights.removed(change.entry.id);
        break;
      case 'post.updated':
        status.update(change.post);
        break;
    }
  };
}

/** Newest-first is a per-browser preference for live posts; ended posts read like an article. */
function setUpOrderToggle(timeline: Timeline, ended: boolean): void {
  const button = document.getElementById('order-toggle') as HTMLButtonElement | null;
  const stored = readPreference();
  timeline.setNewestFirst(!ended && stored);
  if (!button) return;
  const label = () => {
    button.textContent = ui.t(timeline.newestFirst ? 'reader.newestFirst' : 'reader.oldestFirst');
    button.setAttribute('aria-pressed', String(timeline.newestFirst));
    button.title = ui.t(timeline.newestFirst ? 'reader.orderHint.newest' : 'reader.orderHint.oldest');
  };
  label();
  button.hidden = false;
  button.addEventListener('click', () => {
    timeline.setNewestFirst(!timeline.newestFirst);
    writePreference(timeline.newestFirst);
    label();
    timeline.jumpToNewest();
  });
}

function readPreference(): boolean {
  try {
    return localStorage.getItem(ORDER_KEY) === '1';
  } catch {
    return false; // storage disabled (privacy mode): fall back to the default order
  }
}

function writePreference(newestFirst: boolean): void {
  try {
    localStorage.setItem(ORDER_KEY, newestFirst ? '1' : '0');
  } catch {
    // Not remembered, but the toggle still works for this page.
  }
}

function start(list: HTMLElement): void {
  const slug = list.dataset.slug ?? '';
  const times = new Times(list.dataset.timezone ?? 'UTC');
  times.decorateAll(document);
  const status = new PostStatus(list.dataset.timezone ?? 'UTC');
  labelFirstEntryTime(list);
  const timeline = new Timeline(list, times, list.dataset.permalinkBase ?? '');
  // On a partner's page the embed shows the newest entry first and never scrolls: scrolling inside
  // an iframe moves the partner's page too.
  const embedded = document.body.classList.contains('embed');
  if (embedded) {
    timeline.follow = false;
    timeline.setNewestFirst(true);
  } else setUpOrderToggle(timeline, list.dataset.status === 'ended');
  const earlier = new Earlier(slug, timeline);
  const lastSeq = Number(list.dataset.lastSeq ?? '0');
  // The tab's title and "since you were last here" belong to the reader's own tab, not a partner's page.
  const unseen = embedded ? undefined : new UnseenTitle();
  const visit = embedded ? undefined : new SinceLastVisit(slug, lastSeq);
  const apply = applyTo(list, timeline, new Highlights(times), status);
  new LiveSync({
    slug,
    lastSeq,
    apply: (change) => {
      apply(change);
      unseen?.observe(change);
      visit?.applied(change.seq);
    },
    connection: connectionPill(),
    labels: CONNECTION_LABELS,
    presence: showReaders,
  });
  // Key-moment links and shared permalinks may point at entries older than the first page.
  if (embedded) return;
  window.addEventListener('hashchange', () => void earlier.revealPermalink());
  if (location.hash) void earlier.revealPermalink();
  else if (list.dataset.status === 'live') timeline.jumpToNewest();
}

if (document.body.classList.contains('embed')) {
  reportSize();
  applyAccent(location.search);
}

const list = document.getElementById('entries');
if (list && list.dataset.live === 'true') start(list);
