import type { Assets } from './assets.js';
import { html, jsonForScript, raw, type RawHtml } from './html.js';
import { liveBlogPosting } from './jsonld.js';
import { excerpt, htmlToText } from './text.js';
import { dayBreaks, type Day } from './days.js';
import type { Entry, Post, PostStatus } from '../../contract/index.js';

/** Server-rendered pages. Readable without JavaScript; the reader script only adds liveness. */

/**
 * The reader page's orientation strings (issue 15: summary, pinned entry, key moments, order and
 * filter, entry anatomy), in one place for the translation catalogues to take over. The reader
 * script has the same in client/orientation-strings.ts.
 */
const STRINGS = {
  summaryTitle: 'What we know',
  pinnedTitle: 'Pinned',
  showMore: 'Show more',
  showLess: 'Show less',
  pinnedAbove: 'Pinned above.',
  readPinned: 'Read the pinned entry',
  keyMomentsTitle: 'Key moments',
  keyMomentBadge: 'Key moment',
  allKeyMoments: (count: number) => `All ${count} key moments`,
  viewLabel: 'How entries are shown',
  orderLabel: 'Order',
  newest: 'Newest',
  oldest: 'Oldest',
  filterLabel: 'Show',
  allEntries: 'All entries',
  keyMomentsOnly: 'Key moments only',
  jumpToLatest: 'Jump to latest',
  updated: 'Updated',
  noKeyMoments: 'No key moments yet. They appear here as the editors mark them.',
  olderKeyMoments: 'Older key moments are in the full stream.',
} as const;

const STATUS_LABEL: Record<PostStatus, string> = { scheduled: 'Upcoming', live: 'Live', ended: 'Ended' };

type Head = {
  title: string;
  description: string;
  canonical?: string | undefined;
  feed?: { title: string; href: string } | undefined;
  /** oEmbed discovery: the /oembed URL that describes this page. */
  oembed?: string | undefined;
  openGraph?: { type: string; title: string; url: string; publishedTime?: string; modifiedTime?: string } | undefined;
  jsonLd?: Record<string, unknown> | undefined;
};

/** `auto` follows the reader's system; the embed defaults to `light` (a partner's page is usually light), whatever the reader's system. */
export type Theme = 'light' | 'dark' | 'auto';
type Layout = { head: Head; assets: Assets; body: RawHtml; script?: string | undefined; bodyClass?: string; siteHeader?: boolean; theme?: Theme };

function headTags(head: Head): RawHtml {
  const og = head.openGraph;
  return html`<title>${head.title}</title>
<meta name="description" content="${head.description}">
${head.canonical ? html`<link rel="canonical" href="${head.canonical}">` : ''}
${head.feed ? html`<link rel="alternate" type="application/atom+xml" title="${head.feed.title}" href="${head.feed.href}">` : ''}
${head.oembed ? html`<link rel="alternate" type="application/json+oembed" title="${head.title}" href="${head.oembed}">` : ''}
<link rel="alternate" type="application/atom+xml" title="Liveline: all liveblogs" href="/feed.atom">
${og
  ? html`<meta property="og:site_name" content="Liveline">
<meta property="og:type" content="${og.type}">
<meta property="og:title" content="${og.title}">
<meta property="og:description" content="${head.description}">
<meta property="og:url" content="${og.url}">
${og.publishedTime ? html`<meta property="article:published_time" content="${og.publishedTime}">` : ''}
${og.modifiedTime ? html`<meta property="article:modified_time" content="${og.modifiedTime}">` : ''}
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${og.title}">
<meta name="twitter:description" content="${head.description}">`
  : ''}
${head.jsonLd ? html`<script type="application/ld+json">${raw(jsonForScript(head.jsonLd))}</script>` : ''}`;
}

function layout({ head, assets, body, script, bodyClass, siteHeader = true, theme = 'auto' }: Layout): string {
  const stylesheet = assets.url('styles.css');
  const scriptUrl = script ? assets.url(script) : undefined;
  return html`<!doctype html>
<html lang="en"${theme === 'auto' ? '' : html` data-theme="${theme}"`}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="${theme === 'auto' ? 'light dark' : theme}">
${headTags(head)}
${stylesheet ? html`<link rel="stylesheet" href="${stylesheet}">` : ''}
${scriptUrl ? html`<script type="module" src="${scriptUrl}"></script>` : ''}
</head>
<body${bodyClass ? html` class="${bodyClass}"` : ''}>
<a class="skip-link" href="#main">Skip to content</a>
${siteHeader ? html`<header class="site"><a href="/" class="brand">Liveline</a></header>` : ''}
<main id="main">
${body}
</main>
</body>
</html>
`.value;
}

type Formatters = { short: Intl.DateTimeFormat; long: Intl.DateTimeFormat; date: Intl.DateTimeFormat };

/**
 * Building an Intl.DateTimeFormat costs ~100 µs; two per entry made a 50-entry page CPU-bound.
 * Formatters are immutable, so one set per time zone is kept (zones are validated post fields;
 * the bound keeps the map small whatever happens).
 */
const formatters = new Map<string, Formatters>();
function formattersFor(timeZone: string): Formatters {
  let set = formatters.get(timeZone);
  if (!set) {
    set = {
      short: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }),
      long: new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'long', timeZone }),
      date: new Intl.DateTimeFormat('en-GB', {
        weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone,
      }),
    };
    if (formatters.size < 1000) formatters.set(timeZone, set);
  }
  return set;
}

/** "09:40" in the event's time zone, with the full date and zone in the tooltip. */
export function formatTime(iso: string, timeZone: string): { short: string; long: string } {
  const date = new Date(iso);
  const { short, long } = formattersFor(timeZone);
  return { short: short.format(date), long: long.format(date) };
}

/** "Saturday 14 March 2026, 09:00 CET": when an event starts, in its own time zone. */
export function formatDate(iso: string, timeZone: string): string {
  return formattersFor(timeZone).date.format(new Date(iso));
}

/** Entries may carry a headline (the newsroom workflow adds the field); rendered when present. */
function headlineOf(entry: Entry): string {
  const headline = (entry as Entry & { headline?: string | null }).headline;
  return typeof headline === 'string' ? headline.trim() : '';
}

/** Time (a permalink), byline, key-moment badge, "Updated 10:45": what every entry shows above its text. */
function entryHeader(entry: Entry, timeZone: string, permalinkBase: string): RawHtml {
  const time = formatTime(entry.createdAt, timeZone);
  const updated = entry.edited ? formatTime(entry.updatedAt, timeZone) : undefined;
  return html`<header><a class="permalink" href="${permalinkBase}#entry-${entry.id}"${permalinkBase ? raw(' target="_blank"') : ''}><time datetime="${entry.createdAt}" title="${time.long}">${time.short}</time></a>${entry.author ? html` <span class="author">${entry.author.name}</span>` : ''}${entry.keyEvent ? html` <span class="badge">${STRINGS.keyMomentBadge}</span>` : ''}${updated ? html` <span class="edited">${STRINGS.updated} <time datetime="${entry.updatedAt}" title="${updated.long}">${updated.short}</time></span>` : ''}</header>`;
}

/**
 * One entry. The same markup is built by client/entry-view.ts for entries that arrive live. The
 * pinned entry is shown in full in the box above the stream; in the stream (`pinnedStub`) its
 * place says so, with a link, instead of repeating it.
 */
export function entryArticle(entry: Entry, timeZone: string, permalinkBase = '', options: { pinnedStub?: boolean } = {}): RawHtml {
  const headline = headlineOf(entry);
  const stub = options.pinnedStub === true && entry.pinned;
  return html`<article class="entry${entry.keyEvent ? ' key-event' : ''}${stub ? ' pinned-stub' : ''}" id="entry-${entry.id}" data-entry-id="${entry.id}" data-version="${entry.version}" data-created-at="${entry.createdAt}">
${entryHeader(entry, timeZone, permalinkBase)}
${headline ? html`<h3 class="entry-headline">${headline}</h3>` : ''}
${stub ? html`<p class="pinned-note">${STRINGS.pinnedAbove} <a href="#pinned">${STRINGS.readPinned}</a></p>` : html`<div class="entry-body">${raw(entry.html)}</div>`}
</article>`;
}

function daySeparator(day: Day): RawHtml {
  return html`<h2 class="day-separator" data-day="${day.key}">${day.label}</h2>`;
}

function keyMoment(entry: Entry, timeZone: string): RawHtml {
  const text = headlineOf(entry) || excerpt(htmlToText(entry.html), 90);
  return html`<li data-key-id="${entry.id}" data-created-at="${entry.createdAt}"><a href="#entry-${entry.id}"><time datetime="${entry.createdAt}">${formatTime(entry.createdAt, timeZone).short}</time> <span class="key-moment-text">${text}</span></a></li>`;
}

/**
 * Shown above the latest three (CSS hides the rest); with JavaScript "All N key moments" opens the
 * list in place, without it the link opens the "Key moments only" view.
 */
function keyMomentsBox(keyEvents: Entry[], timeZone: string, filterHref: string): RawHtml {
  const count = keyEvents.length;
  return html`<nav class="key-moments" id="key-moments" aria-labelledby="key-moments-title"${count ? '' : raw(' hidden')}>
<div class="key-moments-head"><h2 id="key-moments-title">${STRINGS.keyMomentsTitle}</h2><a class="key-moments-all" id="key-moments-all" href="${filterHref}"${count > 3 ? '' : raw(' hidden')}>${STRINGS.allKeyMoments(count)}</a></div>
<ol id="key-moments-list">${keyEvents.map((entry) => keyMoment(entry, timeZone))}</ol>
</nav>`;
}

/**
 * A long pinned entry is collapsed to a few lines; "Show more" is a <details> the stylesheet
 * reads (`:has`), so it opens without JavaScript too. The reader script drops it when the entry
 * fits anyway (client/pinned.ts); without JavaScript a rough measure of length decides.
 */
function pinnedBox(pinned: Entry | null, timeZone: string, permalinkBase: string): RawHtml {
  const long = pinned ? htmlToText(pinned.html).length > 280 || /<(img|table|pre|ul|ol|blockquote)\b/.test(pinned.html) || (pinned.html.match(/<p\b/g)?.length ?? 0) > 2 : false;
  const headline = pinned ? headlineOf(pinned) : '';
  return html`<aside class="pinned" id="pinned" aria-labelledby="pinned-title"${long ? raw(' data-collapsible') : ''}${pinned ? '' : raw(' hidden')}>
<h2 id="pinned-title">${STRINGS.pinnedTitle}</h2>
<div class="pinned-body entry" id="pinned-body" data-pinned-id="${pinned?.id ?? ''}">${pinned ? html`${entryHeader(pinned, timeZone, permalinkBase)}${headline ? html`<h3 class="entry-headline">${headline}</h3>` : ''}<div class="entry-body">${raw(pinned.html)}</div>` : ''}</div>
<details class="pinned-more" id="pinned-more"><summary><span class="more">${STRINGS.showMore}</span><span class="less">${STRINGS.showLess}</span></summary></details>
</aside>`;
}

function summaryBox(post: Post): RawHtml {
  return html`<section class="summary" id="summary" aria-labelledby="summary-title"${post.summaryHtml ? '' : raw(' hidden')}>
<h2 id="summary-title">${STRINGS.summaryTitle}</h2>
<div class="summary-body" id="summary-body">${raw(post.summaryHtml)}</div>
</section>`;
}

export type EntryOrder = 'newest' | 'oldest';
export type EntryFilter = 'all' | 'key';
type View = { order?: EntryOrder | undefined; filter?: EntryFilter | undefined; before?: string | undefined };

/** A link to another view of the post; only what differs from the default goes into the URL. */
function viewHref(base: string, view: View): string {
  const query = new URLSearchParams();
  if (view.filter === 'key') query.set('filter', 'key');
  if (view.before) query.set('before', view.before);
  if (view.order) query.set('order', view.order);
  const search = query.toString();
  return search ? `${base}?${search}` : base;
}

/** Newest · Oldest and All entries · Key moments only: links (they work without JavaScript) marked aria-current. */
function streamControls(base: string, model: { order: EntryOrder; orderFromUrl: boolean; filter: EntryFilter }, entries: Entry[]): RawHtml {
  const newest = entries.at(-1);
  const explicit = model.orderFromUrl ? model.order : undefined;
  const current = (on: boolean) => (on ? raw(' aria-current="true"') : '');
  const orderLink = (order: EntryOrder, label: string) =>
    html`<a href="${viewHref(base, { order, filter: model.filter })}" data-order="${order}"${current(model.order === order)}>${label}</a>`;
  const filterLink = (filter: EntryFilter, label: string) =>
    html`<a href="${viewHref(base, { order: explicit, filter })}" data-filter="${filter}"${current(model.filter === filter)}>${label}</a>`;
  const jump = model.order === 'oldest' && entries.length > 1;
  return html`<nav class="stream-controls" id="stream-controls" aria-label="${STRINGS.viewLabel}">
<span class="choice" role="group" aria-labelledby="order-label" id="order-choice"><span id="order-label" class="choice-label">${STRINGS.orderLabel}</span>${orderLink('newest', STRINGS.newest)}${orderLink('oldest', STRINGS.oldest)}</span>
<span class="choice" role="group" aria-labelledby="filter-label" id="filter-choice"><span id="filter-label" class="choice-label">${STRINGS.filterLabel}</span>${filterLink('all', STRINGS.allEntries)}${filterLink('key', STRINGS.keyMomentsOnly)}</span>
<a class="jump-latest" id="jump-latest" href="#entry-${newest?.id ?? ''}"${jump ? '' : raw(' hidden')}>${STRINGS.jumpToLatest}</a>
</nav>`;
}

export type PostPageModel = {
  post: Post;
  /** Oldest first, as the service pages them; `order` decides how they are shown. */
  entries: Entry[];
  /** Newest first. */
  keyEvents: Entry[];
  pinned: Entry | null;
  nextCursor: string | null;
  /** True when this page shows older entries (?before=), not the live edge. */
  older: boolean;
  /** Absolute URL of the post's page (PUBLIC_URL or the request's origin). */
  url: string;
  /** The minimal page meant for an <iframe> on another site. */
  embed?: boolean;
  /** The embed's colours (`?theme=`); the reader page follows the reader's system. */
  theme?: Theme;
  /** How the entries are shown: newest first for live posts (and the embed), oldest first for ended ones, unless `?order=` says. */
  order?: EntryOrder;
  /** `?order=` chose it (the reader script then leaves it, whatever the reader's remembered choice). */
  orderFromUrl?: boolean;
  /** `key`: the "Key moments only" view (`?filter=key`): `entries` are the key moments. */
  filter?: EntryFilter;
  /** In that view: older key moments did not fit the page. */
  moreKeyMoments?: boolean;
};

export function postPage(model: PostPageModel, assets: Assets): string {
  const { post, entries, nextCursor, older, embed = false } = model;
  const zone = post.timezone;
  const permalinkBase = embed ? model.url : '';
  const order: EntryOrder = model.order ?? (embed || post.status !== 'ended' ? 'newest' : 'oldest');
  const filter: EntryFilter = model.filter ?? 'all';
  const explicitOrder = model.orderFromUrl ? order : undefined;
  const base = `/posts/${post.slug}${embed ? '/embed' : ''}`;
  const earlierLink = nextCursor
    ? html`<nav class="earlier" aria-label="Earlier entries"><a href="${viewHref(base, { before: nextCursor, order: explicitOrder })}" rel="prev" id="load-earlier" data-cursor="${nextCursor}">Load earlier entries</a></nav>`
    : '';
  const shown = order === 'newest' ? [...entries].reverse() : entries;
  const days = dayBreaks(shown, zone);
  const starts = post.startsAt ?? post.createdAt;
  const body = html`<article class="post" data-status="${post.status}">
<header class="post-header">
<p class="status status-${post.status}" id="post-status">${STATUS_LABEL[post.status]}</p>
<h1 id="post-title">${embed ? html`<a href="${model.url}" target="_blank">${post.title}</a>` : post.title}</h1>
${post.description ? html`<p class="description" id="post-description">${post.description}</p>` : html`<p class="description" id="post-description" hidden></p>`}
<p class="meta"><time datetime="${starts}" id="post-start">${formatDate(starts, zone)}</time> · <span class="zone" title="Times are shown in the event's time zone until the page can use yours">Event time zone: ${zone}</span></p>
<div class="toolbar">
<p class="connection" id="connection" role="status" hidden></p>
<p class="readers" id="readers" hidden></p>
</div>
</header>
<p class="ended-banner" id="ended-banner" role="status"${post.status === 'ended' ? '' : raw(' hidden')}>This liveblog has ended.</p>
${summaryBox(post)}
${pinnedBox(model.pinned, zone, permalinkBase)}
${filter === 'key' ? '' : keyMomentsBox(model.keyEvents, zone, viewHref(base, { order: explicitOrder, filter: 'key' }))}
${embed ? '' : streamControls(base, { order, orderFromUrl: model.orderFromUrl === true, filter }, entries)}
${order === 'oldest' ? earlierLink : ''}
<section id="entries" aria-label="Entries" data-slug="${post.slug}" data-last-seq="${post.lastSeq}" data-timezone="${zone}" data-status="${post.status}" data-live="${older ? 'false' : 'true'}" data-permalink-base="${permalinkBase}" data-order="${order === 'newest' ? 'newest-first' : 'oldest-first'}"${model.orderFromUrl ? raw(' data-order-source="url"') : ''}${filter === 'key' ? raw(' data-filter="key"') : ''}>
${shown.map((entry, index) => html`${days[index] ? daySeparator(days[index]) : ''}${entryArticle(entry, zone, permalinkBase, { pinnedStub: model.pinned?.id === entry.id })}`)}
</section>
${order === 'newest' ? earlierLink : ''}
<p class="empty" id="empty"${entries.length ? raw(' hidden') : ''}>${filter === 'key' ? STRINGS.noKeyMoments : 'No entries yet. New entries appear here as they are published.'}</p>
${model.moreKeyMoments ? html`<p class="more-key-moments"><a href="${viewHref(base, { order: explicitOrder })}">${STRINGS.olderKeyMoments}</a></p>` : ''}
${older ? html`<nav class="latest"><a href="${viewHref(base, { order: explicitOrder })}">Back to the latest entries</a></nav>` : ''}
<div class="visually-hidden" id="announcer" aria-live="polite" aria-atomic="true"></div>
<button type="button" class="new-entries" id="new-entries" hidden></button>
</article>`;
  const description = post.description || `Live coverage: ${post.title}`;
  return layout({
    head: {
      title: `${post.title} · Liveline`,
      description,
      canonical: model.url,
      feed: { title: `${post.title} (Atom)`, href: `/posts/${post.slug}/feed.atom` },
      oembed: embed || older ? undefined : `${new URL(model.url).origin}/oembed?url=${encodeURIComponent(model.url)}&format=json`,
      openGraph: { type: 'article', title: post.title, url: model.url, publishedTime: post.createdAt, modifiedTime: post.updatedAt },
      jsonLd: older || embed || filter === 'key' ? undefined : liveBlogPosting(post, entries, model.url),
    },
    assets,
    body,
    script: older ? undefined : 'reader.js',
    bodyClass: embed ? 'embed' : undefined,
    siteHeader: !embed,
    theme: model.theme ?? (embed ? 'light' : 'auto'),
  });
}

export function homePage(posts: Post[], assets: Assets, url: string, firstRun = false): string {
  const groups: [PostStatus, string][] = [
    ['live', 'Live now'],
    ['scheduled', 'Upcoming'],
    ['ended', 'Ended'],
  ];
  const sections = groups.map(([status, heading]) => {
    const list = posts.filter((post) => post.status === status);
    if (list.length === 0) return '';
    return html`<section class="post-list" id="posts-${status}" aria-labelledby="heading-${status}"><h2 id="heading-${status}">${heading}</h2><ul>
${list.map((post) => html`<li><a href="/posts/${post.slug}">${post.title}</a>${post.description ? html` <span class="description">${post.description}</span>` : ''}</li>`)}
</ul></section>`;
  });
  const newsroom = firstRun
    ? html`<p class="newsroom-door" id="newsroom-door">New install: <a href="/setup">create the first administrator account</a>, then start a liveblog in the newsroom.</p>`
    : html`<p class="newsroom-door muted" id="newsroom-door"><a href="/admin">Newsroom</a> (for the people who write here)</p>`;
  const body = posts.length
    ? html`<h1>Liveblogs</h1>${sections}${newsroom}`
    : html`<h1>Liveblogs</h1><p class="empty">No liveblogs yet.</p>${newsroom}`;
  return layout({
    head: { title: 'Liveline', description: 'Live coverage as it happens.', canonical: url, openGraph: { type: 'website', title: 'Liveline', url } },
    assets,
    body,
  });
}

export function notFoundPage(assets: Assets): string {
  return layout({
    head: { title: 'Not found · Liveline', description: 'There is no page here.' },
    assets,
    body: html`<h1>Not found</h1><p>There is no page here. <a href="/">See all liveblogs</a>.</p>`,
  });
}
