import { escapeHtml } from './html.js';
import { excerpt, htmlToText } from '../domain/text.js';
import type { Entry, Post } from '../../contract/index.js';
import { formattingLocale, interfaceFor } from '../../contract/i18n/index.js';
import { entryMeta } from '../../contract/byline.js';

/**
 * Atom 1.0 (RFC 4287) feeds: one per post (its entries) and one for the site (its posts). Each
 * says its language with `xml:lang` (the post's; the site feed's is DEFAULT_LANGUAGE, and each of
 * its entries carries its own post's), and names the site by its branding.
 */

const xml = escapeHtml;

/** What a feed needs of the site: its name (branding) and default language. */
export type FeedSite = { name: string; language: string };

function feed(parts: { id: string; title: string; subtitle?: string; language: string; generator: string; updated: string; self: string; alternate: string; entries: string[] }): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xml(parts.language)}">
<id>${xml(parts.id)}</id>
<title>${xml(parts.title)}</title>
${parts.subtitle ? `<subtitle>${xml(parts.subtitle)}</subtitle>\n` : ''}<updated>${parts.updated}</updated>
<link rel="self" type="application/atom+xml" href="${xml(parts.self)}"/>
<link rel="alternate" type="text/html" href="${xml(parts.alternate)}"/>
<generator>${xml(parts.generator)}</generator>
${parts.entries.join('\n')}
</feed>
`;
}

export function postFeed(post: Post, entries: Entry[], base: string, site: Pick<FeedSite, 'name'> = { name: 'Liveline' }): string {
  const page = `${base}/posts/${post.slug}`;
  const ui = interfaceFor(post.language);
  const clock = new Intl.DateTimeFormat(formattingLocale(post.language), { hour: '2-digit', minute: '2-digit', timeZone: post.timezone });
  const items = [...entries].reverse().map((entry) => {
    const meta = entryMeta(entry);
    const title = meta.headline || excerpt(htmlToText(entry.html), 100) || post.title;
    const authors = meta.authors.length ? meta.authors.map((person) => person.name) : [site.name];
    // A public correction is part of the entry's text in the feed too; the correction bumps <updated>.
    const correction = meta.correction
      ? `<p class="correction"><strong>${xml(ui.t('reader.corrected'))} ${xml(clock.format(new Date(meta.correction.at)))}:</strong> ${xml(meta.correction.note)}</p>`
      : '';
    return `<entry>
<id>${xml(`${page}#entry-${entry.id}`)}</id>
<title>${xml(title)}</title>
<published>${entry.createdAt}</published>
<updated>${entry.updatedAt}</updated>
${authors.map((name) => `<author><name>${xml(name)}</name></author>`).join('\n')}
<link rel="alternate" type="text/html" href="${xml(`${page}#entry-${entry.id}`)}"/>
${meta.tags.map((tag) => `<category term="${xml(tag)}"/>`).join('')}<content type="html">${xml(entry.html + correction)}</content>
</entry>`;
  });
  return feed({
    id: page,
    title: post.title,
    subtitle: post.description || undefined,
    language: post.language,
    generator: 'Liveline',
    updated: post.updatedAt,
    self: `${page}/feed.atom`,
    alternate: page,
    entries: items,
  });
}

export function siteFeed(posts: Post[], base: string, site: FeedSite = { name: 'Liveline', language: 'en' }): string {
  const items = posts.map((post) => {
    const page = `${base}/posts/${post.slug}`;
    const ui = interfaceFor(post.language);
  const clock = new Intl.DateTimeFormat(formattingLocale(post.language), { hour: '2-digit', minute: '2-digit', timeZone: post.timezone });
    return `<entry${post.language === site.language ? '' : ` xml:lang="${xml(post.language)}"`}>
<id>${xml(page)}</id>
<title>${xml(post.title)}</title>
<published>${post.createdAt}</published>
<updated>${post.updatedAt}</updated>
<author><name>${xml(site.name)}</name></author>
<link rel="alternate" type="text/html" href="${xml(page)}"/>
<summary>${xml(post.description || ui.t('page.liveCoverage', { title: post.title }))}</summary>
${post.tags.map((tag) => `<category term="${xml(tag)}"/>`).join('')}
</entry>`;
  });
  const updated = posts.reduce((latest, post) => (post.updatedAt > latest ? post.updatedAt : latest), '1970-01-01T00:00:00.000Z');
  return feed({ id: `${base}/`, title: site.name, subtitle: interfaceFor(site.language).t('feed.subtitle'), language: site.language, generator: 'Liveline', updated, self: `${base}/feed.atom`, alternate: `${base}/`, entries: items });
}
