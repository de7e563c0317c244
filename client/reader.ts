import { DaySeparators } from './day-separators.js';
import { applyAccent, reportSize } from './embed-frame.js';
import { Earlier } from './earlier.js';
import { Highlights } from './highlights.js';
import { LIVE, LIVE_SLOWER, LiveSync } from './live-sync.js';
import { OrderControl } from './order.js';
import { Share } from './share.js';
import { showSummary } from './summary.js';
import { Timeline } from './timeline.js';
import { Times } from './times.js';
import type { Change, Post } from '../contract/index.js';

/**
 * The reader page's live layer. The server-rendered page is complete on its own; this script
 * keeps it current. Every change carries the post's `seq`: a change is applied only when it is
 * exactly the next one, so entries are never missing or doubled whatever the network does.
 */

const STATUS_LABEL: Record<Post['status'], string> = { scheduled: 'Upcoming', live: 'Live', ended: 'Ended' };

/** Applies each change of the post's log to the page (LiveSync decides when). */
function applyTo(list: HTMLElement, timeline: Timeline, highlights: Highlights) {
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
        updatePost(change.post);
        showSummary(change.post);
        break;
    }
  };
}

function showConnection(text: string): void {
  const indicator = document.getElementById('connection');
  if (!indicator) return;
  indicator.hidden = false;
  indicator.textContent = text;
  // Following over HTTP polls is still live, only slower: a calm state, not a warning.
  indicator.dataset.state = text === LIVE ? 'live' : text === LIVE_SLOWER ? 'slower' : 'down';
}

function updatePost(post: Post): void {
  const title = document.getElementById('post-title');
  const link = title?.querySelector('a');
  (link ?? title)?.replaceChildren(post.title);
  const description = document.getElementById('post-description');
  if (description) {
    description.textContent = post.description;
    description.hidden = post.description === '';
  }
  const status = document.getElementById('post-status');
  if (status) {
    status.textContent = STATUS_LABEL[post.status];
    status.className = `status status-${post.status}`;
  }
  document.querySelector('article.post')?.setAttribute('data-status', post.status);
  const ended = document.getElementById('ended-banner');
  if (ended) ended.hidden = post.status !== 'ended';
}

const readersFormat = new Intl.NumberFormat('en');
function showReaders(readers: number): void {
  const element = document.getElementById('readers');
  if (!element) return;
  element.textContent = `${readersFormat.format(readers)} reading`;
  element.hidden = readers < 1;
}

function start(list: HTMLElement): void {
  const slug = list.dataset.slug ?? '';
  const times = new Times(list.dataset.timezone ?? 'UTC');
  times.decorateAll(document);
  const permalinkBase = list.dataset.permalinkBase ?? '';
  const timeline = new Timeline(list, times, permalinkBase);
  // Orientation (issue 15): days in the reader's zone, the order control, Share on each entry.
  const days = new DaySeparators(list);
  // On a partner's page the embed shows the newest entry first (as the server renders it) and
  // never scrolls: scrolling inside an iframe moves the partner's page too.
  const embedded = document.body.classList.contains('embed');
  if (embedded) timeline.follow = false;
  const order = embedded ? undefined : new OrderControl(timeline, list);
  const share = embedded ? undefined : new Share();
  share?.addToAll(document);
  if (share) timeline.onRender = (article) => share.addTo(article);
  timeline.onLayout = () => {
    days.refresh();
    order?.refresh();
  };
  days.refresh();
  const earlier = new Earlier(slug, timeline);
  new LiveSync({
    slug,
    lastSeq: Number(list.dataset.lastSeq ?? '0'),
    apply: applyTo(list, timeline, new Highlights(times, permalinkBase)),
    connection: showConnection,
    presence: showReaders,
  });
  // Key-moment links and shared permalinks may point at entries older than the first page.
  if (embedded) return;
  window.addEventListener('hashchange', () => void earlier.revealPermalink());
  if (location.hash) void earlier.revealPermalink();
  // Newest first, the page opens at its top (title, summary, newest entry); a live post read
  // oldest first opens at its newest entry, at the bottom; an ended post opens at its start.
  else if (!timeline.newestFirst && list.dataset.status !== 'ended') timeline.jumpToNewest();
}

if (document.body.classList.contains('embed')) {
  reportSize();
  applyAccent(location.search);
}

const list = document.getElementById('entries');
if (list && list.dataset.live === 'true') start(list);
