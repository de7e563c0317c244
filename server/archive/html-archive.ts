import { html, raw } from '../render/html.js';
import { entryArticle, formatTime } from '../render/pages.js';
import type { Entry, PollResultRow, Post } from '../../contract/index.js';
import { interfaceFor, textDirection } from '../../contract/i18n/index.js';

/**
 * A single self-contained static page of a liveblog: styles inlined, no script, no server needed.
 * Entries are the same <article data-entry-id> elements as the live page, oldest first.
 */
export function formatHtmlArchive(post: Post, entries: Entry[], css: string, exportedAt: string, polls: PollResultRow[] = []): string {
  const ui = interfaceFor(post.language);
  const pollOf = new Map(polls.map((poll) => [poll.entry_id, poll]));
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
${entries.map((entry) => withPoll(entryArticle(entry, post.timezone, '', { ui }).value, pollOf.get(entry.id), ui))}
</section>
<footer><p class="archived">${ui.t('page.archived', { date: exportedAt })} · ${ui.plural('home.entries', entries.length)}</p></footer>
</article>
</main>
</body>
</html>
`.value;
}

/** A poll's results inside its entry's article (issue 19): the question, each option's share and votes. */
function withPoll(article: string, poll: PollResultRow | undefined, ui: ReturnType<typeof interfaceFor>): ReturnType<typeof raw> {
  if (!poll) return raw(article);
  const total = poll.options.reduce((sum, option) => sum + option.votes, 0);
  const percent = new Intl.NumberFormat(ui.language, { style: 'percent', maximumFractionDigits: 0 });
  const results = html`<figure class="poll poll-closed" data-poll-id="${poll.id}"><figcaption class="poll-question">${poll.question} <span class="poll-state">${poll.closed_at ? ui.t('reader.poll.final') : ''}</span></figcaption><ul class="poll-results">${poll.options.map((option) => html`<li><span class="poll-label">${option.label}</span> <span class="poll-share">${percent.format(total ? option.votes / total : 0)} · ${ui.plural('reader.poll.votes', option.votes)}</span></li>`)}</ul><p class="poll-total">${ui.plural('reader.poll.votes', total)}</p></figure>`.value;
  return raw(article.replace(/<\/article>\s*$/, `${results}</article>`));
}
