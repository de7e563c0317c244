import type { Assets } from './assets.js';
import { html, jsonForScript, raw, type RawHtml } from './html.js';
import { liveBlogPosting } from './jsonld.js';
import { excerpt, htmlToText } from '../domain/text.js';
import type { Entry, Post, PostStatus } from '../../contract/index.js';

/** Server-rendered pages. Readable without JavaScript; the reader script only adds liveness. */

/**
 * The post header's words (status, start, connection, end): one place, so they can move into the
 * language catalogues. Without JavaScript every time is in the event's zone and says so;
 * client/post-status.ts then switches them to the reader's zone ("Starts 19:00 your time").
 */
const HEADER_STRINGS = {
  live: 'Live',
  upcoming: 'Upcoming',
  ended: 'Ended',
  /** "Starts Saturday 14 March 2026, 19:00 CET". */
  startsAt: (when: string) => `Starts ${when}`,
  /** "Ended at 17:45 CET on Saturday 14 March 2026". */
  endedAt: (time: string, day: string) => `Ended at ${time} on ${day}`,
  eventZone: (zone: string) => `Event time zone: ${zone}`,
  eventZoneTitle: "Times are shown in the event's time zone until the page can use yours",
  endedBanner: 'This liveblog has ended.',
};

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

const headerFormats = new Map<string, { clock: Intl.DateTimeFormat; day: Intl.DateTimeFormat }>();
/** "17:45 CET" and "Saturday 14 March 2026" in the event's zone, for the header's "Ended at". */
function clockAndDay(iso: string, timeZone: string): { clock: string; day: string } {
  let set = headerFormats.get(timeZone);
  if (!set) {
    set = {
      clock: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone }),
      day: new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone }),
    };
    if (headerFormats.size < 1000) headerFormats.set(timeZone, set);
  }
  const date = new Date(iso);
  return { clock: set.clock.format(date), day: set.day.format(date) };
}

/** The status line: a live dot only when live, when it starts or when it ended. */
function statusLine(post: Post): RawHtml {
  const zone = post.timezone;
  let text = HEADER_STRINGS[post.status === 'scheduled' ? 'upcoming' : post.status];
  if (post.status === 'scheduled' && post.startsAt) text = HEADER_STRINGS.startsAt(formatDate(post.startsAt, zone));
  if (post.status === 'ended' && post.endedAt) {
    const { clock, day } = clockAndDay(post.endedAt, zone);
    text = HEADER_STRINGS.endedAt(clock, day);
  }
  return html`<p class="status status-${post.status}" id="post-status" data-status="${post.status}" data-starts-at="${post.startsAt ?? ''}" data-ended-at="${post.endedAt ?? ''}">${post.status === 'live' ? raw('<span class="live-dot" aria-hidden="true"></span>') : ''}<span id="post-status-text">${text}</span><span class="countdown" id="post-countdown" hidden></span></p>`;
}

/** One entry. The same markup is built by client/reader.ts for entries that arrive live. */
export function entryArticle(entry: Entry, timeZone: string, permalinkBase = ''): RawHtml {
  const time = formatTime(entry.createdAt, timeZone);
  return html`<article class="entry${entry.keyEvent ? ' key-event' : ''}" id="entry-${entry.id}" data-entry-id="${entry.id}" data-version="${entry.version}" data-created-at="${entry.createdAt}">
<header><a class="permalink" href="${permalinkBase}#entry-${entry.id}"${permalinkBase ? raw(' target="_blank"') : ''}><time datetime="${entry.createdAt}" title="${time.long}">${time.short}</time></a>${entry.author ? html` <span class="author">${entry.author.name}</span>` : ''}${entry.keyEvent ? html` <span class="badge">Key moment</span>` : ''}${entry.edited ? html` <span class="edited">edited</span>` : ''}</header>
<div class="entry-body">${raw(entry.html)}</div>
</article>`;
}

function keyMoment(entry: Entry, timeZone: string): RawHtml {
  return html`<li data-key-id="${entry.id}"><a href="#entry-${entry.id}"><time datetime="${entry.createdAt}">${formatTime(entry.createdAt, timeZone).short}</time> ${excerpt(htmlToText(entry.html), 90)}</a></li>`;
}

function pinnedBox(pinned: Entry | null, timeZone: string): RawHtml {
  return html`<aside class="pinned" id="pinned" aria-label="Pinned entry"${pinned ? '' : raw(' hidden')}>
<h2>Pinned</h2>
<div class="pinned-body" id="pinned-body" data-pinned-id="${pinned?.id ?? ''}">${pinned ? html`<p class="pinned-time"><a href="#entry-${pinned.id}"><time datetime="${pinned.createdAt}">${formatTime(pinned.createdAt, timeZone).short}</time></a></p>${raw(pinned.html)}` : ''}</div>
</aside>`;
}

export type PostPageModel = {
  post: Post;
  entries: Entry[];
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
};

export function postPage(model: PostPageModel, assets: Assets): string {
  const { post, entries, nextCursor, older, embed = false } = model;
  const zone = post.timezone;
  const permalinkBase = embed ? model.url : '';
  const earlierLink = nextCursor
    ? html`<nav class="earlier" aria-label="Earlier entries"><a href="/posts/${post.slug}${embed ? '/embed' : ''}?before=${nextCursor}" rel="prev" id="load-earlier" data-cursor="${nextCursor}">Load earlier entries</a></nav>`
    : '';
  // A scheduled post without a start time has nothing to announce but "Upcoming".
  const starts = post.startsAt ?? (post.status === 'scheduled' ? null : post.createdAt);
  const body = html`<article class="post" data-status="${post.status}">
<header class="post-header">
${statusLine(post)}
<h1 id="post-title">${embed ? html`<a href="${model.url}" target="_blank">${post.title}</a>` : post.title}</h1>
${post.description ? html`<p class="description" id="post-description">${post.description}</p>` : html`<p class="description" id="post-description" hidden></p>`}
<p class="meta"${starts ? '' : raw(' hidden')}><time datetime="${starts ?? ''}" id="post-start">${starts ? formatDate(starts, zone) : ''}</time> <span class="zone" id="post-zone" title="${HEADER_STRINGS.eventZoneTitle}">${HEADER_STRINGS.eventZone(zone)}</span></p>
<div class="toolbar">
<p class="connection" id="connection" data-state="connecting" hidden></p>
<p class="readers" id="readers" hidden></p>
<button type="button" class="order-toggle" id="order-toggle" hidden aria-pressed="false">Newest first</button>
</div>
<p class="visually-hidden" id="status-announcer" role="status"></p>
</header>
<p class="ended-banner" id="ended-banner"${post.status === 'ended' ? '' : raw(' hidden')}>${HEADER_STRINGS.endedBanner}</p>
<div class="since-last-visit" id="since-last-visit" hidden></div>
${pinnedBox(model.pinned, zone)}
<nav class="key-moments" id="key-moments" aria-labelledby="key-moments-title"${model.keyEvents.length ? '' : raw(' hidden')}>
<h2 id="key-moments-title">Key moments</h2>
<ol id="key-moments-list">${model.keyEvents.map((entry) => keyMoment(entry, zone))}</ol>
</nav>
${earlierLink}
<section id="entries" aria-label="Entries" data-slug="${post.slug}" data-last-seq="${post.lastSeq}" data-timezone="${zone}" data-status="${post.status}" data-live="${older ? 'false' : 'true'}" data-permalink-base="${permalinkBase}">
${entries.map((entry) => entryArticle(entry, zone, permalinkBase))}
</section>
<p class="empty" id="empty"${entries.length ? raw(' hidden') : ''}>No entries yet. New entries appear here as they are published.</p>
${older ? html`<nav class="latest"><a href="/posts/${post.slug}${embed ? '/embed' : ''}">Back to the latest entries</a></nav>` : ''}
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
      jsonLd: older || embed ? undefined : liveBlogPosting(post, entries, model.url),
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
