import type { Entry, Post } from '../../contract/index.js';
import { linkEmbedJsonLd } from './link-embeds/policy.js';
import { excerpt, htmlToText } from '../domain/text.js';
import { entryMeta } from '../../contract/byline.js';

/**
 * schema.org LiveBlogPosting for search engines, with what Google's live-blog guidelines ask for:
 * `publisher` (the site's name and logo), `image`, `mainEntityOfPage`, `coverageStartTime` and,
 * once ended, `coverageEndTime`, `inLanguage`, and every entry as a BlogPosting update with its
 * `headline` and `url` (its permalink).
 */

const ARTICLE_BODY_MAX = 1000;
/** Google shows (and asks for) headlines of at most 110 characters. */
const HEADLINE_MAX = 110;

export type JsonLdOptions = {
  /** The page's origin (PUBLIC_URL or the server's own): relative image URLs are made absolute with it. */
  origin: string;
  /** The site's branding: its name and, when it has one, its logo (an upload's path). */
  publisher: { name: string; logo: string | null };
  /** The first image readers see in the post (PostStore.firstImage), if any; the logo stands in otherwise. */
  image?: string | undefined;
};

const segmenters = new Map<string, Intl.Segmenter>();
function sentences(language: string): Intl.Segmenter {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
    if (segmenters.size < 500) segmenters.set(language, segmenter);
  }
  return segmenter;
}

/** The first sentence of a text, in its language's sense of a sentence (Intl.Segmenter), capped at `max`. */
export function firstSentence(text: string, language: string, max = HEADLINE_MAX): string {
  let sentence = text;
  try {
    const first = sentences(language).segment(text)[Symbol.iterator]().next();
    if (!first.done) sentence = first.value.segment;
  } catch {
    // An engine without Intl.Segmenter: the whole text, cut below.
  }
  return excerpt(sentence.trim(), max);
}

/** An entry's headline: its own when it has one (issue 17), else its first sentence. */
export function entryHeadline(entry: Entry, language: string, fallback: string): string {
  const own = entry.headline?.trim();
  if (own) return excerpt(own, HEADLINE_MAX);
  return firstSentence(htmlToText(entry.html), language) || fallback;
}

function absolute(url: string, origin: string): string | undefined {
  try {
    const parsed = new URL(url, `${origin}/`);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export function liveBlogPosting(post: Post, entries: Entry[], url: string, options: JsonLdOptions): Record<string, unknown> {
  const { origin, publisher } = options;
  const logo = publisher.logo ? absolute(publisher.logo, origin) : undefined;
  const image = (options.image && absolute(options.image, origin)) ?? logo;
  const updates = [...entries].reverse().map((entry) => {
    const text = htmlToText(entry.html);
    const meta = entryMeta(entry);
    // Every author as a Person with what the byline shows (never an email or an account id).
    const authors = meta.authors.map((person) => {
      const image = person.avatar ? absolute(person.avatar, origin) : undefined;
      return { '@type': 'Person', name: person.name, ...(person.jobTitle ? { jobTitle: person.jobTitle } : {}), ...(image ? { image } : {}) };
    });
    return {
      '@type': 'BlogPosting',
      headline: entryHeadline(entry, post.language, post.title),
      // An excerpt: the full text is on the page already, and JSON-LD would otherwise repeat it.
      articleBody: excerpt(text, ARTICLE_BODY_MAX),
      datePublished: entry.createdAt,
      dateModified: entry.updatedAt,
      url: `${url}#entry-${entry.id}`,
      ...(authors.length ? { author: authors } : {}),
      ...(meta.location ? { contentLocation: { '@type': 'Place', name: meta.location } } : {}),
      ...(meta.tags.length ? { keywords: meta.tags.join(', ') } : {}),
      // schema.org's public correction of a CreativeWork: what changed, and when.
      ...(meta.correction ? { correction: { '@type': 'CorrectionComment', text: meta.correction.note, datePublished: meta.correction.at } } : {}),
      // Its link embeds and link cards (issue 16): the links, never a frame or a script.
      ...linkEmbedJsonLd(entry.html),
    };
  });
  return {
    '@context': 'https://schema.org',
    '@type': 'LiveBlogPosting',
    '@id': url,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    headline: post.title,
    ...(post.description ? { description: post.description } : {}),
    inLanguage: post.language,
    ...(image ? { image: [image] } : {}),
    publisher: { '@type': 'Organization', name: publisher.name, ...(logo ? { logo: { '@type': 'ImageObject', url: logo } } : {}) },
    datePublished: post.createdAt,
    dateModified: post.updatedAt,
    coverageStartTime: post.startsAt ?? post.createdAt,
    ...(post.status === 'ended' && post.endedAt ? { coverageEndTime: post.endedAt } : {}),
    ...(post.tags.length ? { keywords: post.tags.join(', ') } : {}),
    liveBlogUpdate: updates,
  };
}
