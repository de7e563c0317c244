import { DaySeparators } from './day-separators.js';
import { applyAccent, reportSize } from './embed-frame.js';
import { Earlier } from './earlier.js';
import { setupGalleries } from './gallery.js';
import { Highlights } from './highlights.js';
import { connectionPill } from './connection-pill.js';
import { ui } from './i18n.js';
import { followChartHeights, linkEmbedOptions, watchLinkEmbeds } from './link-embeds.js';
import { LiveSync, type ConnectionLabels } from './live-sync.js';
import { PostStatus, showReaders } from './post-status.js';
import { SinceLastVisit } from './since-last-visit.js';
import { OrderControl } from './order.js';
import { Alerts } from './alerts.js';
import { Ask } from './ask.js';
import { Polls } from './polls.js';
import { Reactions } from './reactions.js';
import { Share } from './share.js';
import { showSummary } from './summary.js';
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
        showSummary(change.post);
        break;
    }
  };
}

function start(list: HTMLElement): void {
  const slug = list.dataset.slug ?? '';
  const times = new Times(list.dataset.timezone ?? 'UTC');
  times.decorateAll(document);
  const status = new PostStatus(list.dataset.timezone ?? 'UTC');
  labelFirstEntryTime(list);
  const permalinkBase = list.dataset.permalinkBase ?? '';
  // Link embeds (issue 16): "Load" on each, in the stream, the pinned box and the summary, live ones too.
  const post = list.closest<HTMLElement>('article.post');
  watchLinkEmbeds(
    post ?? list,
    linkEmbedOptions(post, { load: ui.t('reader.embedLoad'), notice: (provider) => ui.t('reader.embedNotice', { provider }), reload: ui.t('reader.embedReload') }),
  );
  followChartHeights();
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
  // Reactions (issue 19) on every entry, live ones too; not in a partner's embed.
  const reactions = embedded ? undefined : new Reactions(slug, list);
  reactions?.addToAll();
  // Polls inside entries (issue 19): in the embed too, where readers vote as on the page.
  const polls = new Polls(slug, list);
  void polls.load();
  void reactions?.load();
  timeline.onRender = (article) => {
    share?.addTo(article);
    polls.addTo(article);
    reactions?.addTo(article);
  };
  timeline.onLayout = () => {
    days.refresh();
    order?.refresh();
  };
  days.refresh();
  const earlier = new Earlier(slug, timeline);
  const lastSeq = Number(list.dataset.lastSeq ?? '0');
  // The tab's title and "since you were last here" belong to the reader's own tab, not a partner's page.
  const unseen = embedded ? undefined : new UnseenTitle();
  const visit = embedded ? undefined : new SinceLastVisit(slug, lastSeq);
  const apply = applyTo(list, timeline, new Highlights(times, permalinkBase), status);
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
    onSocket: (socket) => {
      reactions?.follow(socket);
      polls.follow(socket);
    },
  });
  // Key-moment links and shared permalinks may point at entries older than the first page.
  if (embedded) return;
  // Questions to the desk (issue 19), on the post's own page.
  if (list.dataset.status !== 'ended') {
    void new Ask(slug).start();
    new Alerts(slug).start();
  }
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

// Galleries open in a lightbox on every page with entries, live or archived.
setupGalleries();

const list = document.getElementById('entries');
if (list && list.dataset.live === 'true') start(list);
