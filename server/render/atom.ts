import { escapeHtml } from './html.js';
import { excerpt, htmlToText } from '../domain/text.js';
import type { Entry, Post } from '../../contract/index.js';

/** Atom 1.0 (RFC 4287) feeds: one per post (its entries) and one for the site (its posts). */

const xml = escapeHtml;

function feed(parts: { id: string; title: string; subtitle?: string; updated: string; self: string; alternate: string; entries: string[] }): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${xml(parts.id)}</id>
<title>${xml(parts.title)}</title>
${parts.subtitle ? `<subtitle>${xml(parts.subtitle)}</subtitle>\n` : ''}<updated>${parts.updated}</updated>
<link rel="self" type="application/atom+xml" href="${xml(parts.self)}"/>
<link rel="alternate" type="text/html" href="${xml(parts.alternate)}"/>
<generator>Liveline</generator>
${parts.entries.join('\n')}
</feed>
`;
}

export function postFeed(post: Post, entries: Entry[], base: string): string {
  const page = `${base}/posts/${post.slug}`;
  const items = [...entries].reverse().map((entry) => {
    const title = excerpt(htmlToText(entry.html), 100) || post.title;
    return `<entry>
<id>${xml(`${page}#entry-${entry.id}`)}</id>
<title>${xml(title)}</title>
<published>${entry.createdAt}</published>
<updated>${entry.updatedAt}</updated>
<author><name>${xml(entry.author?.name ?? 'Liveline')}</name></author>
<link rel="alternate" type="text/html" href="${xml(`${page}#entry-${entry.id}`)}"/>
<content type="html">${xml(entry.html)}</content>
</entry>`;
  });
  return feed({
    id: page,
    title: post.title,
    subtitle: post.description || undefined,
    updated: post.updatedAt,
    self: `${page}/feed.atom`,
    alternate: page,
    entries: items,
  });
}

export function siteFeed(posts: Post[], base: string): string {
  const items = posts.map((post) => {
    const page = `${base}/posts/${post.slug}`;
    return `<entry>
<id>${xml(page)}</id>
<title>${xml(post.title)}</title>
<published>${post.createdAt}</published>
<updated>${post.updatedAt}</updated>
<author><name>Liveline</name></author>
<link rel="alternate" type="text/html" href="${xml(page)}"/>
<summary>${xml(post.description || `Live coverage: ${post.title}`)}</summary>
${post.tags.map((tag) => `<category term="${xml(tag)}"/>`).join('')}
</entry>`;
  });
  const updated = posts.reduce((latest, post) => (post.updatedAt > latest ? post.updatedAt : latest), '1970-01-01T00:00:00.000Z');
  return feed({ id: `${base}/`, title: 'Liveline', subtitle: 'Live coverage', updated, self: `${base}/feed.atom`, alternate: `${base}/`, entries: items });
}
