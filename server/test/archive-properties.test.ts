/**
 * Export → import → export is a fixed point through the database, for the Jekyll and the JSON
 * formats, on random posts (server/test/archive-arbitraries.ts): what the import stores and the next
 * export writes are the same post. Sized to run in about ten seconds.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post as arbitraryPost } from './archive-arbitraries.js';
import { formatJekyll } from '../archive/jekyll.js';
import { createTestApp, type TestApp } from './helpers.js';

let source: TestApp;
let jekyllCopy: TestApp;
let jsonCopy: TestApp;
beforeAll(async () => {
  [source, jekyllCopy, jsonCopy] = await Promise.all([createTestApp(), createTestApp(), createTestApp()]);
});
afterAll(async () => {
  await Promise.all([source.close(), jekyllCopy.close(), jsonCopy.close()]);
});

/** Everything a reader or editor sees of a post's entries, but ids. */
function visible(t: TestApp, slug: string) {
  const post = t.app.stores.posts.bySlug(slug)!;
  const entries = t.app.stores.entries.latest(post.id, 10_000).map((entry) => ({
    body: entry.body,
    html: entry.html,
    createdAt: entry.createdAt,
    keyEvent: entry.keyEvent,
    pinned: entry.pinned,
    author: entry.author?.name ?? null,
    coAuthors: (entry.authors ?? []).slice(1).map((person) => person.name),
    headline: entry.headline ?? null,
    location: entry.location ?? null,
    tags: entry.tags ?? [],
    claim: entry.claim ?? null,
    correctionNote: entry.correction?.note ?? null,
    correctedAt: entry.correction?.at ?? null,
  }));
  const { id: _id, createdAt: _c, updatedAt: _u, version: _v, lastSeq: _l, ...fields } = post;
  return { fields, entries };
}

describe('archive round trips through the database', () => {
  it('Jekyll and JSON exports of random posts import to the same post and export to the same file', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryPost, async ({ post, entries }) => {
        run += 1;
        const slug = `${post.slug}-${run}`;
        const file = formatJekyll({ ...post, slug }, {}, entries);
        await source.app.services.archives.importFile(`${slug}.md`, file, null);
        const { archives } = source.app.services;

        const jekyll = archives.exportJekyll(slug);
        await jekyllCopy.app.services.archives.importFile(`${slug}.md`, jekyll, null);
        expect(jekyllCopy.app.services.archives.exportJekyll(slug)).toBe(jekyll);
        expect(visible(jekyllCopy, slug)).toEqual(visible(source, slug));
        expect(visible(source, slug).entries.map(({ html: _h, ...entry }) => entry)).toEqual(entries);

        const json = JSON.parse(JSON.stringify(archives.exportJson(slug))) as { exportedAt: string };
        await jsonCopy.app.services.archives.importJson(`${slug}.json`, json);
        const again = JSON.parse(JSON.stringify(jsonCopy.app.services.archives.exportJson(slug))) as { exportedAt: string };
        expect({ ...again, exportedAt: '' }).toEqual({ ...json, exportedAt: '' });
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
