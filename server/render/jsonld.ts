import type { Entry, Post } from '../../contract/index.js';
import { excerpt, htmlToText } from '../domain/text.js';

const ARTICLE_BODY_MAX = 1000;

/** schema.org LiveBlogPosting for search engines; entries become BlogPosting updates. */
export function liveBlogPosting(post: Post, entries: Entry[], url: string): Record<string, unknown> {
  const updates = [...entries].reverse().map((entry) => {
    const text = htmlToText(entry.html);
    return {
      '@type': 'BlogPosting',
      headline: excerpt(text, 110) || post.title,
      // An excerpt: the full text is on the page already, and JSON-LD would otherwise repeat it.
      articleBody: excerpt(text, ARTICLE_BODY_MAX),
      datePublished: entry.createdAt,
      dateModified: entry.updatedAt,
      url: `${url}#entry-${entry.id}`,
      ...(entry.author ? { author: { '@type': 'Person', name: entry.author.name } } : {}),
    };
  });
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    '@id': url,
    url,
    headline: post.title,
    ...(post.description ? { description: post.description } : {}),
    datePublished: post.createdAt,
    dateModified: post.updatedAt,
    coverageStartTime: post.startsAt ?? post.createdAt,
    ...(post.status === 'ended' && post.endedAt ? { coverageEndTime: post.endedAt } : {}),
    ...(post.tags.length ? { keywords: post.tags.join(', ') } : {}),
    liveBlogUpdate: updates,
  };
}
