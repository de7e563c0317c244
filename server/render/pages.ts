import type { Assets } from './assets.js';
import { html, jsonForScript, raw, type RawHtml } from './html.js';
import { eagerFirstImage } from './images.js';
import { liveBlogPosting } from './jsonld.js';
import { brandMark, brandStylesheetUrl, DEFAULT_BRAND, siteFooter, type Brand } from './site.js';
import { excerpt, htmlToText } from '../domain/text.js';
import { dayBreaks, type Day } from './days.js';
import type { Entry, Post, PostStatus } from '../../contract/index.js';
import { formattingLocale, interfaceFor, readerMessages, textDirection, type Catalogue, type Translator } from '../../contract/i18n/index.js';
import type { PostActivity, PostImage } from '../store/posts.js';
import { entryMeta, showsUpdated } from '../../contract/byline.js';
import { bylineHtml, claimHtml, correctionHtml, tagsHtml } from './byline.js';
import { linkEmbedAttributes, type PageLinkEmbeds } from './link-embeds/page.js';

/**
 * Server-rendered pages. Readable without JavaScript; the reader script only adds liveness.
 *
 * Every interface string comes from the catalogue of the page's language (contract/i18n/<lang>.ts):
 * a post's page and embed speak the post's language, the home page and "not found" the site's
 * DEFAULT_LANGUAGE. `ui.t('page.…')` for a text, `ui.plural('home.entries', n)` for a count.
 */

/** The interface of one page: its catalogue, plural rules and number format (contract/i18n). */
export type Ui = Translator<Catalogue>;
const ENGLISH: Ui = interfaceFor('en');

/** The branding and language a page is rendered in. */
export type SiteContext = { brand: Brand; language: string };
const DEFAULT_SITE: SiteContext = { brand: DEFAULT_BRAND, language: 'en' };

export function statusLabel(ui: Ui, status: PostStatus): string {
  // No reader page, card or feed is ever made of a draft post (store/posts.ts leaves them out):
  // it has no reader word of its own; should one slip through, it reads as upcoming.
  return ui.t(`reader.status.${status === 'draft' ? 'scheduled' : status}`);
}

type Head = {
  title: string;
  description: string;
  canonical?: string | undefined;
  feed?: { title: string; href: string } | undefined;
  /** oEmbed discovery: the /oembed URL that describes this page. */
  oembed?: string | undefined;
  /** `image`: absolute; the post's cover, pinned or first image (PostService.shareImage). */
  openGraph?: { type: string; title: string; url: string; publishedTime?: string; modifiedTime?: string; image?: string | undefined } | undefined;
  jsonLd?: Record<string, unknown> | undefined;
};

/** `auto` follows the reader's system; the embed defaults to `light` (a partner's page is usually light), whatever the reader's system. */
export type Theme = 'light' | 'dark' | 'auto';
type Layout = {
  head: Head;
  assets: Assets;
  body: RawHtml;
  ui: Ui;
  brand: Brand;
  script?: string | undefined;
  bodyClass?: string | undefined;
  siteHeader?: boolean;
  theme?: Theme;
};

function headTags(head: Head, ui: Ui, brand: Brand): RawHtml {
  const og = head.openGraph;
  return html`<title>${head.title}</title>
<meta name="description" content="${head.description}">
${head.canonical ? html`<link rel="canonical" href="${head.canonical}">` : ''}
${head.feed ? html`<link rel="alternate" type="application/atom+xml" title="${head.feed.title}" href="${head.feed.href}">` : ''}
${head.oembed ? html`<link rel="alternate" type="application/json+oembed" title="${head.title}" href="${head.oembed}">` : ''}
<link rel="alternate" type="application/atom+xml" title="${ui.t('page.siteFeedTitle', { site: brand.name })}" href="/feed.atom">
${og
  ? html`<meta property="og:site_name" content="${brand.name}">
<meta property="og:type" content="${og.type}">
<meta property="og:title" content="${og.title}">
<meta property="og:description" content="${head.description}">
<meta property="og:url" content="${og.url}">
${og.publishedTime ? html`<meta property="article:published_time" content="${og.publishedTime}">` : ''}
${og.modifiedTime ? html`<meta property="article:modified_time" content="${og.modifiedTime}">` : ''}
${og.image ? html`<meta property="og:image" content="${og.image}">` : ''}
<meta name="twitter:card" content="${og.image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${og.title}">
<meta name="twitter:description" content="${head.description}">
${og.image ? html`<meta name="twitter:image" content="${og.image}">` : ''}`
  : ''}
${head.jsonLd ? html`<script type="application/ld+json">${raw(jsonForScript(head.jsonLd))}</script>` : ''}`;
}

/**
 * `lang` and `dir` say the page's language (a right-to-left one gets `dir="rtl"`, and the styles
 * use logical properties, so the layout mirrors). The reader script finds its language's messages
 * in #reader-strings (a JSON block: inert, so the CSP has nothing to allow).
 */
function layout({ head, assets, body, ui, brand, script, bodyClass, siteHeader = true, theme = 'auto' }: Layout): string {
  const stylesheet = assets.url('styles.css');
  const branding = brandStylesheetUrl(brand);
  const scriptUrl = script ? assets.url(script) : undefined;
  const dir = textDirection(ui.language);
  return html`<!doctype html>
<html lang="${ui.language}"${dir === 'rtl' ? raw(' dir="rtl"') : ''}${theme === 'auto' ? '' : html` data-theme="${theme}"`}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="${theme === 'auto' ? 'light dark' : theme}">
${headTags(head, ui, brand)}
${stylesheet ? html`<link rel="stylesheet" href="${stylesheet}">` : ''}
${branding ? html`<link rel="stylesheet" href="${branding}">` : ''}
${scriptUrl ? html`<script type="module" src="${scriptUrl}"></script>` : ''}
</head>
<body${bodyClass ? html` class="${bodyClass}"` : ''}>
<a class="skip-link" href="#main">${ui.t('page.skipToContent')}</a>
${siteHeader ? html`<header class="site">${brandMark(brand)}</header>` : ''}
<main id="main">
${body}
</main>
${siteHeader ? siteFooter(brand, ui.t('page.footerLabel')) : ''}
${scriptUrl ? html`<script type="application/json" id="reader-strings">${raw(jsonForScript(readerMessages(ui.language)))}</script>` : ''}
</body>
</html>
`.value;
}

/**
 * Building an Intl.DateTimeFormat costs ~100 µs; two per entry made a 50-entry page CPU-bound.
 * Formatters are immutable, so one set per language and time zone is kept (both are validated
 * post fields; the bound keeps the map small whatever happens).
 */
type Formatters = { short: Intl.DateTimeFormat; long: Intl.DateTimeFormat; date: Intl.DateTimeFormat; card: Intl.DateTimeFormat };
const formatters = new Map<string, Formatters>();
/** The formatters of one language (a BCP 47 tag, formatted as formattingLocale says) in one zone. */
function formattersFor(timeZone: string, language: string): Formatters {
  const key = `${language} ${timeZone}`;
  let set = formatters.get(key);
  if (!set) {
    const locale = formattingLocale(language);
    set = {
      short: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone }),
      long: new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'long', timeZone }),
      date: new Intl.DateTimeFormat(locale, {
        weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone,
      }),
      card: new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone }),
    };
    if (formatters.size < 1000) formatters.set(key, set);
  }
  return set;
}

/** "09:40" in the event's time zone, with the full date and zone in the tooltip, in the page's language. */
export function formatTime(iso: string, timeZone: string, language = 'en'): { short: string; long: string } {
  const date = new Date(iso);
  const { short, long } = formattersFor(timeZone, language);
  return { short: short.format(date), long: long.format(date) };
}

/** "Saturday 14 March 2026, 09:00 CET" ("Samstag, 14. März 2026 um 09:00 MEZ"): when an event starts, in its own time zone. */
export function formatDate(iso: string, timeZone: string, language = 'en'): string {
  return formattersFor(timeZone, language).date.format(new Date(iso));
}

const headerFormats = new Map<string, { clock: Intl.DateTimeFormat; day: Intl.DateTimeFormat }>();
/** "17:45 CET" and "Saturday 14 March 2026" in the event's zone, for the header's "Ended at". */
function clockAndDay(iso: string, timeZone: string, language: string): { clock: string; day: string } {
  const key = `${timeZone}|${language}`;
  let set = headerFormats.get(key);
  if (!set) {
    const locale = formattingLocale(language);
    set = {
      clock: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone }),
      day: new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone }),
    };
    if (headerFormats.size < 1000) headerFormats.set(key, set);
  }
  const date = new Date(iso);
  return { clock: set.clock.format(date), day: set.day.format(date) };
}

/** The status line: a live dot only when live, when it starts or when it ended. */
function statusLine(post: Post, ui: Ui): RawHtml {
  const zone = post.timezone;
  let text = statusLabel(ui, post.status);
  if (post.status === 'scheduled' && post.startsAt) text = ui.t('page.startsAt', { date: formatDate(post.startsAt, zone, ui.language) });
  if (post.status === 'ended' && post.endedAt) {
    const { clock, day } = clockAndDay(post.endedAt, zone, ui.language);
    text = ui.t('page.endedAt', { time: clock, day });
  }
  return html`<p class="status status-${post.status}" id="post-status" data-status="${post.status}" data-starts-at="${post.startsAt ?? ''}" data-ended-at="${post.endedAt ?? ''}">${post.status === 'live' ? raw('<span class="live-dot" aria-hidden="true"></span>') : ''}<span id="post-status-text">${text}</span><span class="countdown" id="post-countdown" hidden></span></p>`;
}

/** An entry's own headline (issue 17), '' when it has none. */
function headlineOf(entry: Entry): string {
  return entryMeta(entry).headline;
}

/** Time (a permalink), bylines and location, key-moment badge, claim label, "Updated 10:45": what every entry shows above its text. */
function entryHeader(entry: Entry, timeZone: string, permalinkBase: string, ui: Ui): RawHtml {
  const time = formatTime(entry.createdAt, timeZone, ui.language);
  const updated = showsUpdated(entry) ? formatTime(entry.updatedAt, timeZone, ui.language) : undefined;
  return html`<header><a class="permalink" href="${permalinkBase}#entry-${entry.id}"${permalinkBase ? raw(' target="_blank"') : ''}><time datetime="${entry.createdAt}" title="${time.long}">${time.short}</time></a>${bylineHtml(entry, ui)}${entry.keyEvent ? html` <span class="badge">${ui.t('reader.keyMoment')}</span>` : ''}${claimHtml(entry, ui)}${updated ? html` <span class="edited">${ui.t('reader.updated')} <time datetime="${entry.updatedAt}" title="${updated.long}">${updated.short}</time></span>` : ''}</header>`;
}

/**
 * One entry. The same markup is built by client/entry-view.ts for entries that arrive live. The
 * pinned entry is shown in full in the box above the stream; in the stream (`pinnedStub`) its
 * place says so, with a link, instead of repeating it.
 */
export function entryArticle(entry: Entry, timeZone: string, permalinkBase = '', options: { pinnedStub?: boolean; ui?: Ui } = {}): RawHtml {
  const ui = options.ui ?? ENGLISH;
  const headline = headlineOf(entry);
  const stub = options.pinnedStub === true && entry.pinned;
  return html`<article class="entry${entry.keyEvent ? ' key-event' : ''}${stub ? ' pinned-stub' : ''}" id="entry-${entry.id}" data-entry-id="${entry.id}" data-version="${entry.version}" data-created-at="${entry.createdAt}">
${entryHeader(entry, timeZone, permalinkBase, ui)}
${headline ? html`<h3 class="entry-headline">${headline}</h3>` : ''}
${stub ? html`<p class="pinned-note">${ui.t('reader.pinnedAbove')} <a href="#pinned">${ui.t('reader.readPinned')}</a></p>` : html`<div class="entry-body">${raw(entry.html)}</div>${entryFooter(entry, timeZone, permalinkBase, ui)}`}
</article>`;
}

/** Below the body: the public correction and the tags (issue 17). */
function entryFooter(entry: Entry, timeZone: string, permalinkBase: string, ui: Ui): RawHtml {
  return html`${correctionHtml(entry, ui, (iso) => formatTime(iso, timeZone, ui.language))}${tagsHtml(entry, ui, permalinkBase)}`;
}

function daySeparator(day: Day): RawHtml {
  return html`<h2 class="day-separator" data-day="${day.key}">${day.label}</h2>`;
}

function keyMoment(entry: Entry, timeZone: string, ui: Ui): RawHtml {
  const text = headlineOf(entry) || excerpt(htmlToText(entry.html), 90);
  return html`<li data-key-id="${entry.id}" data-created-at="${entry.createdAt}"><a href="#entry-${entry.id}"><time datetime="${entry.createdAt}">${formatTime(entry.createdAt, timeZone, ui.language).short}</time> <span class="key-moment-text">${text}</span>${claimHtml(entry, ui)}</a></li>`;
}

/**
 * Shown above the latest three (CSS hides the rest); with JavaScript "All N key moments" opens the
 * list in place, without it the link opens the "Key moments only" view.
 */
function keyMomentsBox(keyEvents: Entry[], timeZone: string, filterHref: string, ui: Ui): RawHtml {
  const count = keyEvents.length;
  return html`<nav class="key-moments" id="key-moments" aria-labelledby="key-moments-title"${count ? '' : raw(' hidden')}>
<div class="key-moments-head"><h2 id="key-moments-title">${ui.t('page.keyMoments')}</h2><a class="key-moments-all" id="key-moments-all" href="${filterHref}"${count > 3 ? '' : raw(' hidden')}>${ui.plural('reader.allKeyMoments', count)}</a></div>
<ol id="key-moments-list">${keyEvents.map((entry) => keyMoment(entry, timeZone, ui))}</ol>
</nav>`;
}

/**
 * A long pinned entry is collapsed to a few lines; "Show more" is a <details> the stylesheet
 * reads (`:has`), so it opens without JavaScript too. The reader script drops it when the entry
 * fits anyway (client/pinned.ts); without JavaScript a rough measure of length decides.
 */
function pinnedBox(pinned: Entry | null, timeZone: string, permalinkBase: string, ui: Ui): RawHtml {
  const long = pinned ? htmlToText(pinned.html).length > 280 || /<(img|table|pre|ul|ol|blockquote)\b/.test(pinned.html) || (pinned.html.match(/<p\b/g)?.length ?? 0) > 2 : false;
  const headline = pinned ? headlineOf(pinned) : '';
  return html`<aside class="pinned" id="pinned" aria-labelledby="pinned-title"${long ? raw(' data-collapsible') : ''}${pinned ? '' : raw(' hidden')}>
<h2 id="pinned-title">${ui.t('page.pinned')}</h2>
<div class="pinned-body entry" id="pinned-body" data-pinned-id="${pinned?.id ?? ''}">${pinned ? html`${entryHeader(pinned, timeZone, permalinkBase, ui)}${headline ? html`<h3 class="entry-headline">${headline}</h3>` : ''}<div class="entry-body">${raw(pinned.html)}</div>${entryFooter(pinned, timeZone, permalinkBase, ui)}` : ''}</div>
<details class="pinned-more" id="pinned-more"><summary><span class="more">${ui.t('reader.showMore')}</span><span class="less">${ui.t('page.showLess')}</span></summary></details>
</aside>`;
}

function summaryBox(post: Post, ui: Ui): RawHtml {
  return html`<section class="summary" id="summary" aria-labelledby="summary-title"${post.summaryHtml ? '' : raw(' hidden')}>
<h2 id="summary-title">${ui.t('page.whatWeKnow')}</h2>
<div class="summary-body" id="summary-body">${raw(post.summaryHtml)}</div>
</section>`;
}

export type EntryOrder = 'newest' | 'oldest';
export type EntryFilter = 'all' | 'key';
type View = { order?: EntryOrder | undefined; filter?: EntryFilter | undefined; before?: string | undefined; tag?: string | undefined };

/** A link to another view of the post; only what differs from the default goes into the URL. */
function viewHref(base: string, view: View): string {
  const query = new URLSearchParams();
  if (view.filter === 'key') query.set('filter', 'key');
  if (view.tag) query.set('tag', view.tag);
  if (view.before) query.set('before', view.before);
  if (view.order) query.set('order', view.order);
  const search = query.toString();
  return search ? `${base}?${search}` : base;
}

/** Newest · Oldest and All entries · Key moments only: links (they work without JavaScript) marked aria-current. */
function streamControls(base: string, model: { order: EntryOrder; orderFromUrl: boolean; filter: EntryFilter; laterCursor: string | null; tag?: string | undefined }, entries: Entry[], ui: Ui): RawHtml {
  const newest = entries.at(-1);
  const explicit = model.orderFromUrl ? model.order : undefined;
  const current = (on: boolean) => (on ? raw(' aria-current="true"') : '');
  const orderLink = (order: EntryOrder, label: string) =>
    html`<a href="${viewHref(base, { order, filter: model.filter, tag: model.tag })}" data-order="${order}"${current(model.order === order)}>${label}</a>`;
  const filterLink = (filter: EntryFilter, label: string) =>
    html`<a href="${viewHref(base, { order: explicit, filter })}" data-filter="${filter}"${current(model.filter === filter && !model.tag)}>${label}</a>`;
  const jump = model.order === 'oldest' && (entries.length > 1 || model.laterCursor !== null);
  // The newest entry is not on this page (an ended post read from its start): the newest-first view shows it.
  const jumpHref = model.laterCursor ? viewHref(base, { order: 'newest' }) : `#entry-${newest?.id ?? ''}`;
  return html`<nav class="stream-controls" id="stream-controls" aria-label="${ui.t('page.viewLabel')}">
<span class="choice" role="group" aria-labelledby="order-label" id="order-choice"><span id="order-label" class="choice-label">${ui.t('page.order')}</span>${orderLink('newest', ui.t('page.newest'))}${orderLink('oldest', ui.t('page.oldest'))}</span>
<span class="choice" role="group" aria-labelledby="filter-label" id="filter-choice"><span id="filter-label" class="choice-label">${ui.t('page.filter')}</span>${filterLink('all', ui.t('page.allEntries'))}${filterLink('key', ui.t('page.keyMomentsOnly'))}</span>
<a class="jump-latest" id="jump-latest" href="${jumpHref}"${jump ? '' : raw(' hidden')}>${ui.t('page.jumpToLatest')}</a>
</nav>${model.tag ? html`
<p class="tag-view" id="tag-view" aria-current="true">${ui.t('page.taggedView', { tag: model.tag })}</p>` : ''}`;
}

export type PostPageModel = {
  post: Post;
  /** Oldest first, as the service pages them; `order` decides how they are shown. */
  entries: Entry[];
  /** Newest first. */
  keyEvents: Entry[];
  pinned: Entry | null;
  nextCursor: string | null;
  /** A page read forward (an ended post's start, `?after=`): the cursor of its last entry when later ones follow. */
  laterCursor?: string | null;
  /** True when this page shows a page away from the post's default view (?before=, ?after=): not kept live. */
  older: boolean;
  /** Absolute URL of the post's page (PUBLIC_URL or the request's origin). */
  url: string;
  /** The minimal page meant for an <iframe> on another site. */
  embed?: boolean;
  /** The embed's colours (`?theme=`); the reader page follows the reader's system. */
  theme?: Theme;
  /** The site's branding (name, logo, colours, font, footer links); the built-in one when absent. */
  brand?: Brand;
  /** The image that stands for the post (cover, pinned or first image): og:image, twitter:image, the JSON-LD `image` (else the logo). */
  image?: PostImage | undefined;
  /** How the entries are shown: newest first for live posts (and the embed), oldest first for ended ones, unless `?order=` says. */
  order?: EntryOrder;
  /** `?order=` chose it (the reader script then leaves it, whatever the reader's remembered choice). */
  orderFromUrl?: boolean;
  /** `key`: the "Key moments only" view (`?filter=key`): `entries` are the key moments. */
  filter?: EntryFilter;
  /** In that view: older key moments did not fit the page. */
  moreKeyMoments?: boolean;
  /** The `?tag=` view (issue 17): `entries` are the post's entries with this (normalized) tag. */
  tag?: string | undefined;
  /** The link embeds this page may load (its CSP names their origins): link-embeds/policy.ts. */
  linkEmbeds?: PageLinkEmbeds;
};

export function postPage(model: PostPageModel, assets: Assets): string {
  const { post, entries, nextCursor, older, embed = false, brand = DEFAULT_BRAND } = model;
  const zone = post.timezone;
  // The post's language: its interface strings, dates, lang/dir (contract/i18n).
  const ui = interfaceFor(post.language);
  const permalinkBase = embed ? model.url : '';
  const order: EntryOrder = model.order ?? (embed || post.status !== 'ended' ? 'newest' : 'oldest');
  const filter: EntryFilter = model.filter ?? 'all';
  const tag = filter === 'key' ? undefined : model.tag;
  const explicitOrder = model.orderFromUrl ? order : undefined;
  const base = `/posts/${post.slug}${embed ? '/embed' : ''}`;
  const earlierLink = nextCursor
    ? html`<nav class="earlier" aria-label="${ui.t('page.earlierLabel')}"><a href="${viewHref(base, { before: nextCursor, order: explicitOrder })}" rel="prev" id="load-earlier" data-cursor="${nextCursor}">${ui.t('page.loadEarlier')}</a></nav>`
    : '';
  const laterCursor = model.laterCursor ?? null;
  // Later entries sit below an oldest-first stream (the only order a forward page is shown in).
  const laterLink = laterCursor
    ? html`<nav class="later" aria-label="${ui.t('page.laterLabel')}"><a href="${base}?after=${laterCursor}" rel="next" id="load-later" data-cursor="${laterCursor}">${ui.t('page.loadLater')}</a></nav>`
    : '';
  const shown = order === 'newest' ? [...entries].reverse() : entries;
  const days = dayBreaks(shown, zone, ui.language);
  // A scheduled post without a start time has nothing to announce but "Upcoming".
  const starts = post.startsAt ?? (post.status === 'scheduled' ? null : post.createdAt);
  const body = html`<article class="post" data-status="${post.status}"${older ? '' : linkEmbedAttributes(model.linkEmbeds)}>
<header class="post-header">
${statusLine(post, ui)}
<h1 id="post-title">${embed ? html`<a href="${model.url}" target="_blank">${post.title}</a>` : post.title}</h1>
${post.description ? html`<p class="description" id="post-description">${post.description}</p>` : html`<p class="description" id="post-description" hidden></p>`}
<p class="meta"${starts ? '' : raw(' hidden')}><time datetime="${starts ?? ''}" id="post-start">${starts ? formatDate(starts, zone, ui.language) : ''}</time> <span class="zone" id="post-zone" title="${ui.t('page.zoneHint')}">${ui.t('page.eventZone', { zone })}</span></p>
<div class="toolbar">
<p class="connection" id="connection" data-state="connecting" hidden></p>
<p class="readers" id="readers" hidden></p>
</div>
<p class="visually-hidden" id="status-announcer" role="status"></p>
</header>
<p class="ended-banner" id="ended-banner"${post.status === 'ended' ? '' : raw(' hidden')}>${ui.t('page.ended')}</p>
<div class="since-last-visit" id="since-last-visit" hidden></div>
${summaryBox(post, ui)}
${pinnedBox(model.pinned, zone, permalinkBase, ui)}
${filter === 'key' || tag ? '' : keyMomentsBox(model.keyEvents, zone, viewHref(base, { order: explicitOrder, filter: 'key' }), ui)}
${embed ? '' : streamControls(base, { order, orderFromUrl: model.orderFromUrl === true, filter, laterCursor, tag }, entries, ui)}
${order === 'oldest' ? earlierLink : ''}
<section id="entries" aria-label="${ui.t('page.entriesLabel')}" data-slug="${post.slug}" data-last-seq="${post.lastSeq}" data-timezone="${zone}" data-status="${post.status}" data-live="${older ? 'false' : 'true'}" data-permalink-base="${permalinkBase}" data-order="${order === 'newest' ? 'newest-first' : 'oldest-first'}"${model.orderFromUrl ? raw(' data-order-source="url"') : ''}${filter === 'key' ? raw(' data-filter="key"') : ''}${tag ? html` data-filter-tag="${tag}"` : ''}>
${shown.map((entry, index) => html`${days[index] ? daySeparator(days[index]) : ''}${entryArticle(entry, zone, permalinkBase, { pinnedStub: model.pinned?.id === entry.id, ui })}`)}
</section>
${order === 'newest' ? earlierLink : laterLink}
<p class="empty" id="empty"${entries.length ? raw(' hidden') : ''}>${filter === 'key' ? ui.t('page.noKeyMoments') : tag ? ui.t('page.noTagged') : ui.t('page.empty')}</p>
${model.moreKeyMoments ? html`<p class="more-key-moments"><a href="${viewHref(base, { order: explicitOrder })}">${ui.t('page.olderKeyMoments')}</a></p>` : ''}
${older ? html`<nav class="latest"><a href="${viewHref(base, { order: explicitOrder })}">${ui.t(post.status === 'ended' && order === 'oldest' ? 'page.backToStart' : 'page.backToLatest')}</a></nav>` : ''}
<div class="visually-hidden" id="announcer" aria-live="polite" aria-atomic="true"></div>
<button type="button" class="new-entries" id="new-entries" hidden></button>
</article>`;
  const description = post.description || ui.t('page.liveCoverage', { title: post.title });
  const origin = new URL(model.url).origin;
  return layout({
    head: {
      title: `${post.title} · ${brand.name}`,
      description,
      canonical: model.url,
      feed: { title: ui.t('page.feedTitle', { title: post.title }), href: `/posts/${post.slug}/feed.atom` },
      oembed: embed || older ? undefined : `${origin}/oembed?url=${encodeURIComponent(model.url)}&format=json`,
      openGraph: { type: 'article', title: post.title, url: model.url, publishedTime: post.createdAt, modifiedTime: post.updatedAt, image: model.image && absoluteUrl(model.image.src, origin) },
      jsonLd: older || embed || filter === 'key' || tag ? undefined : liveBlogPosting(post, entries, model.url, { origin, publisher: { name: brand.name, logo: brand.logo }, image: model.image?.src }),
    },
    assets,
    // Entry images load lazily, but not the first one a reader sees (images.ts).
    body: raw(eagerFirstImage(body.value)),
    ui,
    brand,
    script: older ? undefined : 'reader.js',
    bodyClass: embed ? 'embed' : undefined,
    siteHeader: !embed,
    theme: model.theme ?? (embed ? 'light' : 'auto'),
  });
}

/** `src` made absolute against `origin`; undefined when it is no URL at all. */
function absoluteUrl(src: string, origin: string): string | undefined {
  try {
    return new URL(src, origin).href;
  } catch {
    return undefined;
  }
}

/** One card of the home page: the post, its activity (PostStore.activity) and its first image. */
export type PostCard = Post & PostActivity & { image?: PostImage | undefined };

export type HomePageModel = SiteContext & { posts: PostCard[]; url: string; firstRun?: boolean };

/**
 * The home page: every post as a card (status, title, start, last update, entry count, its first
 * image) grouped live, upcoming, ended; in the site's default language, each card's title in its
 * post's own. A fresh install's page leads to /setup, later ones to the newsroom.
 */
export function homePage({ posts, url, firstRun = false, brand, language }: HomePageModel, assets: Assets): string {
  const ui = interfaceFor(language);
  const groups: [PostStatus, string][] = [
    ['live', ui.t('home.liveNow')],
    ['scheduled', ui.t('home.upcoming')],
    ['ended', ui.t('home.ended')],
  ];
  const sections = groups.map(([status, heading]) => {
    const list = posts.filter((post) => post.status === status);
    if (list.length === 0) return '';
    return html`<section class="post-list" id="posts-${status}" aria-labelledby="heading-${status}"><h2 id="heading-${status}">${heading}</h2><ul class="cards">
${list.map((post) => postCard(post, ui))}
</ul></section>`;
  });
  const newsroom = firstRun
    ? html`<p class="newsroom-door" id="newsroom-door">${withLink(ui.t('home.setup'), html`<a href="/setup">${ui.t('home.setupLink')}</a>`)}</p>`
    : html`<p class="newsroom-door muted" id="newsroom-door">${withLink(ui.t('home.newsroom'), html`<a href="/admin">${ui.t('home.newsroomLink')}</a>`)}</p>`;
  const body = posts.length
    ? html`<h1>${ui.t('home.title')}</h1>${sections}${newsroom}`
    : html`<h1>${ui.t('home.title')}</h1><p class="empty">${ui.t('home.empty')}</p>${newsroom}`;
  return layout({
    head: { title: brand.name, description: ui.t('home.description'), canonical: url, openGraph: { type: 'website', title: brand.name, url } },
    assets,
    body,
    ui,
    brand,
  });
}

/** A message with `{link}` in it: the text around is escaped, the link is markup. */
function withLink(message: string, link: RawHtml): RawHtml {
  const [before, after = ''] = message.split('{link}');
  return html`${before ?? ''}${link}${after}`;
}

function postCard(post: PostCard, ui: Ui): RawHtml {
  const { card } = formattersFor(post.timezone, ui.language);
  const starts = post.startsAt ?? post.createdAt;
  const last = post.lastChangeAt ?? post.updatedAt;
  const when = post.status === 'scheduled' ? 'home.starts' : 'home.started';
  // The title is in the post's language, which may differ from the page's.
  const lang = post.language === ui.language ? '' : html` lang="${post.language}"${textDirection(post.language) === 'rtl' ? raw(' dir="rtl"') : ''}`;
  return html`<li class="card" data-slug="${post.slug}" data-status="${post.status}">
${post.image ? html`<img class="card-image" src="${post.image.src}" alt="" loading="lazy">` : ''}
<div class="card-text">
<p class="status status-${post.status}">${statusLabel(ui, post.status)}</p>
<h3 class="card-title"${lang}><a href="/posts/${post.slug}">${post.title}</a></h3>
${post.description ? html`<p class="description"${lang}>${post.description}</p>` : ''}
<p class="card-meta"><span>${raw(ui.t(when, { date: html`<time datetime="${starts}">${card.format(new Date(starts))}</time>`.value }))}</span>${post.status === 'scheduled' ? '' : html` · <span>${raw(ui.t('home.lastUpdate', { date: html`<time datetime="${last}">${card.format(new Date(last))}</time>`.value }))}</span>`} · <span class="count">${ui.plural('home.entries', post.entries)}</span></p>
</div>
</li>`;
}

export function notFoundPage(assets: Assets, { brand, language }: SiteContext = DEFAULT_SITE): string {
  const ui = interfaceFor(language);
  return layout({
    head: { title: `${ui.t('page.notFound')} · ${brand.name}`, description: ui.t('page.notFoundText') },
    assets,
    body: html`<h1>${ui.t('page.notFound')}</h1><p>${ui.t('page.notFoundText')} <a href="/">${ui.t('page.seeAll')}</a>.</p>`,
    ui,
    brand,
  });
}
