import type { Entry, Post, PostStatus } from '../domain/types.js';
import type { Assets } from './assets.js';
import { html, raw, type RawHtml } from './html.js';

/** Server-rendered pages. Readable without JavaScript; the reader script only adds liveness. */

const STATUS_LABEL: Record<PostStatus, string> = { scheduled: 'Upcoming', live: 'Live', ended: 'Ended' };

type Layout = { title: string; description?: string; canonical?: string | undefined; assets: Assets; body: RawHtml; script?: string };

function layout({ title, description, canonical, assets, body, script }: Layout): string {
  const stylesheet = assets.url('styles.css');
  const scriptUrl = script ? assets.url(script) : undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${description ? html`<meta name="description" content="${description}">` : ''}
${canonical ? html`<link rel="canonical" href="${canonical}">` : ''}
<meta name="color-scheme" content="light dark">
${stylesheet ? html`<link rel="stylesheet" href="${stylesheet}">` : ''}
${scriptUrl ? html`<script type="module" src="${scriptUrl}"></script>` : ''}
</head>
<body>
<header class="site"><a href="/" class="brand">Liveline</a></header>
<main>
${body}
</main>
</body>
</html>
`.value;
}

/** "09:40" in the event's time zone, with the full date and zone in the tooltip. */
export function formatTime(iso: string, timeZone: string): { short: string; long: string } {
  const date = new Date(iso);
  const { short, long } = formattersFor(timeZone);
  return { short: short.format(date), long: long.format(date) };
}

/**
 * Building an Intl.DateTimeFormat costs ~100 µs, two per entry made the 50-entry page CPU-bound
 * (bench/README.md); formatters are immutable, so one pair per time zone is kept.
 */
const formatters = new Map<string, { short: Intl.DateTimeFormat; long: Intl.DateTimeFormat }>();
function formattersFor(timeZone: string): { short: Intl.DateTimeFormat; long: Intl.DateTimeFormat } {
  let pair = formatters.get(timeZone);
  if (!pair) {
    pair = {
      short: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }),
      long: new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'long', timeZone }),
    };
    // Time zones come from validated post fields; the bound keeps a hostile set from growing it.
    if (formatters.size < 1000) formatters.set(timeZone, pair);
  }
  return pair;
}

export function entryArticle(entry: Entry, timeZone: string): RawHtml {
  const time = formatTime(entry.createdAt, timeZone);
  return html`<article class="entry${entry.keyEvent ? ' key-event' : ''}" id="entry-${entry.id}" data-entry-id="${entry.id}" data-version="${entry.version}" data-created-at="${entry.createdAt}">
<header><a class="permalink" href="#entry-${entry.id}"><time datetime="${entry.createdAt}" title="${time.long}">${time.short}</time></a>${entry.author ? html` <span class="author">${entry.author.name}</span>` : ''}${entry.version > 1 ? html` <span class="edited">edited</span>` : ''}</header>
<div class="entry-body">${raw(entry.html)}</div>
</article>`;
}

export type PostPageModel = {
  post: Post;
  entries: Entry[];
  nextCursor: string | null;
  /** True when this page shows older entries (?before=), not the live edge. */
  older: boolean;
  canonical: string | undefined;
};

export function postPage(model: PostPageModel, assets: Assets): string {
  const { post, entries, nextCursor, older } = model;
  const earlierLink = nextCursor
    ? html`<nav class="earlier"><a href="/posts/${post.slug}?before=${nextCursor}" rel="prev" data-cursor="${nextCursor}">Load earlier entries</a></nav>`
    : '';
  const body = html`<article class="post" data-status="${post.status}">
<header class="post-header">
<p class="status status-${post.status}" id="post-status">${STATUS_LABEL[post.status]}</p>
<h1 id="post-title">${post.title}</h1>
${post.description ? html`<p class="description" id="post-description">${post.description}</p>` : ''}
${post.startsAt ? html`<p class="starts">Starts <time datetime="${post.startsAt}">${formatTime(post.startsAt, post.timezone).long}</time></p>` : ''}
<p class="connection" id="connection" hidden role="status"></p>
</header>
${earlierLink}
<section id="entries" aria-live="polite" aria-label="Entries" data-slug="${post.slug}" data-last-seq="${post.lastSeq}" data-timezone="${post.timezone}" data-live="${older ? 'false' : 'true'}">
${entries.map((entry) => entryArticle(entry, post.timezone))}
</section>
${entries.length === 0 ? html`<p class="empty" id="empty">No entries yet. New entries appear here as they are published.</p>` : ''}
${older ? html`<nav class="latest"><a href="/posts/${post.slug}">Back to the latest entries</a></nav>` : ''}
</article>`;
  return layout({
    title: `${post.title} · Liveline`,
    description: post.description || `Live coverage: ${post.title}`,
    canonical: model.canonical,
    assets,
    body,
    script: older ? undefined : 'reader.js',
  });
}

export function homePage(posts: Post[], assets: Assets): string {
  const groups: [PostStatus, string][] = [
    ['live', 'Live now'],
    ['scheduled', 'Upcoming'],
    ['ended', 'Ended'],
  ];
  const sections = groups.map(([status, heading]) => {
    const list = posts.filter((post) => post.status === status);
    if (list.length === 0) return '';
    return html`<section class="post-list" id="posts-${status}"><h2>${heading}</h2><ul>
${list.map((post) => html`<li><a href="/posts/${post.slug}">${post.title}</a>${post.description ? html` <span class="description">${post.description}</span>` : ''}</li>`)}
</ul></section>`;
  });
  const body = posts.length
    ? html`<h1>Liveblogs</h1>${sections}`
    : html`<h1>Liveblogs</h1><p class="empty">No posts yet. Create one with <code>POST /api/posts</code> (see the README).</p>`;
  return layout({ title: 'Liveline', description: 'Live coverage', assets, body });
}

export function notFoundPage(assets: Assets): string {
  return layout({ title: 'Not found · Liveline', assets, body: html`<h1>Not found</h1><p>There is no page here. <a href="/">See all liveblogs</a>.</p>` });
}
