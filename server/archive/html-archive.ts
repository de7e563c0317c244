import { html, raw } from '../render/html.js';
import { entryArticle, formatTime } from '../render/pages.js';
import type { Entry, Post } from '../../contract/index.js';
import { interfaceFor, textDirection } from '../../contract/i18n/index.js';

/**
 * A single self-contained static page of a liveblog: styles inlined, no script, no server needed.
 * Entries are the same <article data-entry-id> elements as the live page, oldest first.
 */
export function formatHtmlArchive(post: Post, entries: Entry[], css: string, exportedAt: string): string {
  const ui = interfaceFor(post.language);
  const started = post.startsAt ? formatTime(post.startsAt, post.timezone, post.language).long : undefined;
  const labels = [...post.categories, ...post.tags];
  // "</style" inside the CSS would end the element early; the stylesheet is ours, but be safe.
  const style = css.replace(/<\/style/gi, '<\\/style');
  return html`<!doctype html>
<html lang="${post.language}"${textDirection(post.language) === 'rtl' ? raw(' dir="rtl"') : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Liveline">
<title>${post.title}</title>
${post.description ? html`<meta name="description" content="${post.description}">` : ''}
<meta name="color-scheme" content="light dark">
<style>${raw(style)}</style>
</head>
<body>
<main>
<article class="post" data-status="${post.status}">
<header class="post-header">
<h1 id="post-title">${post.title}</h1>
${post.description ? html`<p class="description" id="post-description">${post.description}</p>` : ''}
${started ? html`<p class="starts"><time datetime="${post.startsAt}">${started}</time></p>` : ''}
${labels.length ? html`<p class="labels">${labels.join(' · ')}</p>` : ''}
</header>
${post.summaryHtml ? html`<section class="summary" id="summary" aria-labelledby="summary-title"><h2 id="summary-title">${ui.t('page.whatWeKnow')}</h2><div class="summary-body">${raw(post.summaryHtml)}</div></section>` : ''}
<section id="entries" aria-label="${ui.t('page.entriesLabel')}">
${entries.map((entry) => entryArticle(entry, post.timezone, '', { ui }))}
</section>
<footer><p class="archived">${ui.t('page.archived', { date: exportedAt })} · ${ui.plural('home.entries', entries.length)}</p></footer>
</article>
</main>
</body>
</html>
`.value;
}
