import { describe, expect, it } from 'vitest';
import type { Entry, Post } from '../../contract/index.js';
import { entryHeadline, firstSentence, liveBlogPosting } from './jsonld.js';

/** The LiveBlogPosting search engines read (Google's live-blog guidelines). */

const post: Post = {
  id: 7,
  slug: 'keynote',
  title: 'Storage Summit Keynote',
  summary: '',
  summaryHtml: '',
  description: 'Everything announced',
  status: 'live',
  startsAt: '2026-03-14T09:00:00.000Z',
  endedAt: null,
  timezone: 'Europe/Berlin',
  language: 'de',
  languageIsDefault: false,
  tags: ['Cloud'],
  categories: [],
  coverImage: null,
  version: 3,
  lastSeq: 5,
  createdAt: '2026-03-13T08:00:00.000Z',
  updatedAt: '2026-03-14T10:00:00.000Z',
};

const entry = (id: number, html: string, extra: Partial<Entry> = {}): Entry =>
  ({ id, postId: 7, body: html, html, keyEvent: false, pinned: false, version: 1, edited: false, author: { id: 1, name: 'Ada' }, createdAt: `2026-03-14T09:0${id}:00.000Z`, updatedAt: `2026-03-14T09:0${id}:00.000Z`, ...extra }) as Entry;

const URL_ = 'https://live.example.com/posts/keynote';
const OPTIONS = { origin: 'https://live.example.com', publisher: { name: 'Example News', logo: '/uploads/abc.png' } };

describe('LiveBlogPosting', () => {
  it('carries publisher, image, mainEntityOfPage, inLanguage and the coverage start', () => {
    const ld = liveBlogPosting(post, [entry(1, '<p>Erster Satz. Zweiter Satz.</p>')], URL_, { ...OPTIONS, image: '/uploads/stage.jpg' });
    expect(ld).toMatchObject({
      '@type': 'LiveBlogPosting',
      '@id': URL_,
      mainEntityOfPage: { '@type': 'WebPage', '@id': URL_ },
      inLanguage: 'de',
      image: ['https://live.example.com/uploads/stage.jpg'],
      publisher: { '@type': 'Organization', name: 'Example News', logo: { '@type': 'ImageObject', url: 'https://live.example.com/uploads/abc.png' } },
      coverageStartTime: '2026-03-14T09:00:00.000Z',
    });
    expect(ld).not.toHaveProperty('coverageEndTime');
  });

  it('falls back to the logo for the image, and leaves both out when there is neither', () => {
    expect(liveBlogPosting(post, [], URL_, OPTIONS).image).toEqual(['https://live.example.com/uploads/abc.png']);
    const bare = liveBlogPosting(post, [], URL_, { origin: OPTIONS.origin, publisher: { name: 'Liveline', logo: null } });
    expect(bare).not.toHaveProperty('image');
    expect(bare.publisher).toEqual({ '@type': 'Organization', name: 'Liveline' });
    // An absolute image stays as it is.
    expect(liveBlogPosting(post, [], URL_, { ...OPTIONS, image: 'https://cdn.example.org/a.png' }).image).toEqual(['https://cdn.example.org/a.png']);
  });

  it('says coverageEndTime once the post has ended', () => {
    expect(liveBlogPosting({ ...post, status: 'ended', endedAt: '2026-03-14T12:00:00.000Z' }, [], URL_, OPTIONS)).toMatchObject({ coverageEndTime: '2026-03-14T12:00:00.000Z' });
  });

  it('gives each update its headline (its own, else its first sentence) and its permalink, newest first', () => {
    const ld = liveBlogPosting(post, [entry(1, '<p>Die Sitzung beginnt. Dann spricht die Ministerin.</p>'), entry(2, '<p>Abstimmung!</p>', { headline: 'Das Ergebnis' } as Partial<Entry>)], URL_, OPTIONS);
    const updates = ld.liveBlogUpdate as Record<string, unknown>[];
    expect(updates.map((update) => [update.headline, update.url])).toEqual([
      ['Das Ergebnis', `${URL_}#entry-2`],
      ['Die Sitzung beginnt.', `${URL_}#entry-1`],
    ]);
    expect(updates[1]).toMatchObject({ '@type': 'BlogPosting', articleBody: 'Die Sitzung beginnt. Dann spricht die Ministerin.', author: [{ '@type': 'Person', name: 'Ada' }] });
  });

  it('cuts a first sentence in the language’s own terms, at most 110 characters', () => {
    expect(firstSentence('開会しました。次の議題です。', 'ja')).toBe('開会しました。');
    expect(firstSentence('Mr. Smith arrives. Then the vote.', 'en').startsWith('Mr.')).toBe(true);
    expect(firstSentence('word '.repeat(60), 'en').length).toBeLessThanOrEqual(110);
    // An entry that is only an image has no sentence: the post's title stands in.
    expect(entryHeadline(entry(3, '<p><img src="/uploads/x.png" alt=""></p>'), 'en', 'The title')).toBe('The title');
  });
});
