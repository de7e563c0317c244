/**
 * The Jekyll format's promise as a property: any post (random blocks, Unicode, flags, bylines,
 * times across zones and days) written out and read back is the same post, and writing that
 * again gives the same text. server/test/archive-properties.test.ts checks the same through the
 * database, for Jekyll and JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { post as arbitraryPost } from '../test/archive-arbitraries.js';
import { formatJekyll, parseJekyll } from './jekyll.js';

describe('Jekyll export → import → export', () => {
  it('gives back every entry (whole, same instant, flags, byline) and the same text', () => {
    fc.assert(
      fc.property(arbitraryPost, ({ post, entries }) => {
        const text = formatJekyll(post, {}, entries);
        const parsed = parseJekyll(text, `${post.slug}.md`);
        expect(parsed.entries.map(({ line: _line, ...entry }) => entry)).toEqual(entries);
        expect(parsed).toMatchObject({
          title: post.title,
          slug: post.slug,
          description: post.description,
          status: post.status,
          timezone: post.timezone,
          language: post.language,
          summary: post.summary || null,
          startsAt: post.startsAt ?? post.createdAt,
          noStart: post.startsAt === null,
          tags: post.tags,
          categories: post.categories,
        });
        const again = formatJekyll({ ...parsed, startsAt: parsed.noStart ? null : parsed.startsAt, createdAt: parsed.startsAt }, parsed.frontMatter, parsed.entries);
        expect(again).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
