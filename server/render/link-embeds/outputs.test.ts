import { describe, expect, it } from 'vitest';
import type { Entry, Post } from '../../../contract/index.js';
import { formatHtmlArchive } from '../../archive/html-archive.js';
import { liveBlogPosting } from '../jsonld.js';
import { renderMarkdownSync } from '../markdown.js';

/** Where link embeds go besides the page: JSON-LD carries the links, the HTML archive keeps a link card and loads nothing. */

const post = {
  id: 7, slug: 'match', title: 'Match day', summary: '', summaryHtml: '', description: '', status: 'live', startsAt: null, endedAt: null,
  timezone: 'UTC', language: 'en', languageIsDefault: true, tags: [], categories: [], version: 1, lastSeq: 2, coverImage: null,
  createdAt: '2026-03-14T09:00:00.000Z', updatedAt: '2026-03-14T10:00:00.000Z',
} as Post;

const entry = (id: number, body: string): Entry =>
  ({ id, postId: 7, body, html: renderMarkdownSync(body), keyEvent: false, pinned: false, version: 1, edited: false, author: null, createdAt: '2026-03-14T09:01:00.000Z', updatedAt: '2026-03-14T09:01:00.000Z' }) as Entry;

const entries = [entry(1, 'The goal:\n\nhttps://youtu.be/dQw4w9WgXcQ?t=42'), entry(2, 'Report:\n\nhttps://example.com/report?a=1&b=2')];

describe('link embeds elsewhere', () => {
  it('JSON-LD: an embed is a MediaObject with the original and the embed URL; a link card a page it mentions', () => {
    const updates = liveBlogPosting(post, entries, 'https://live.example/posts/match', { origin: 'https://live.example', publisher: { name: 'Live', logo: null } }).liveBlogUpdate as Record<string, unknown>[];
    const byUrl = Object.fromEntries(updates.map((update) => [update.url, update]));
    expect(byUrl['https://live.example/posts/match#entry-1']?.associatedMedia).toEqual([
      { '@type': 'MediaObject', url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s', embedUrl: 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42' },
    ]);
    expect(byUrl['https://live.example/posts/match#entry-2']?.mentions).toEqual([{ '@type': 'WebPage', url: 'https://example.com/report?a=1&b=2' }]);
  });

  it('the HTML archive keeps the link and loads nothing third-party (no script, no frame)', () => {
    const page = formatHtmlArchive(post, entries, 'body{margin:0}', '2026-03-15T00:00:00.000Z');
    expect(page).toContain('href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=42s"');
    expect(page).toContain('href="https://example.com/report?a=1&amp;b=2"');
    expect(page).not.toMatch(/<script(?! type="application\/ld\+json")|<iframe/);
  });
});
