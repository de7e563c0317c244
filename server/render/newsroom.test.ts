import { describe, expect, it } from 'vitest';
import { composerPage, embedSnippet } from './newsroom.js';
import type { Post } from '../../contract/index.js';

const post: Post = {
  id: 1,
  slug: 'keynote',
  title: 'Keynote "live" & <more>',
  description: '',
  summary: '',
  summaryHtml: '',
  status: 'live',
  startsAt: null,
  endedAt: null,
  timezone: 'UTC',
  language: 'en',
  languageIsDefault: true,
  tags: [],
  categories: [],
  coverImage: null,
  version: 1,
  lastSeq: 0,
  createdAt: '2026-03-14T08:00:00.000Z',
  updatedAt: '2026-03-14T08:00:00.000Z',
};

describe('the composer page', () => {
  it('offers the copy-paste embed snippet for the post, escaped both in the snippet and in the page', () => {
    const snippet = embedSnippet(post, 'https://live.example.com');
    expect(snippet).toBe(
      '<iframe src="https://live.example.com/posts/keynote/embed" title="Keynote &#34;live&#34; &#38; &#60;more&#62; (live)" width="100%" height="600" style="border:0;width:100%;max-width:100%" loading="lazy" data-liveline-embed></iframe><script async src="https://live.example.com/embed.js"></script>',
    );
    const page = composerPage({ url: () => undefined, version: 'test' }, { id: 1, name: 'Ada', role: 'editor' }, 'csrf', post, 'https://live.example.com');
    expect(page).toContain('<textarea id="embed-code" readonly rows="3">&lt;iframe src=&quot;https://live.example.com/posts/keynote/embed&quot;');
    expect(page).not.toContain('<iframe');
    expect(page).not.toContain('<script async');
  });
});

describe('the composer header', () => {
  const assets = { url: () => undefined, version: 'test' };
  const editor = { id: 1, name: 'Ada', role: 'editor' } as const;

  it('says when the event starts, in the event’s own zone and named (the page’s clock then labels it)', () => {
    const scheduled: Post = { ...post, status: 'scheduled', startsAt: '2026-03-14T17:00:00.000Z', timezone: 'America/Los_Angeles' };
    const page = composerPage(assets, editor, 'csrf', scheduled, 'https://live.example.com');
    expect(page).toContain('<span id="post-start" class="post-start">· Starts <time datetime="2026-03-14T17:00:00.000Z">Sat 14 Mar 2026, 10:00 (America/Los_Angeles)</time></span>');
    // The notice above the box, filled by the page's script for scheduled and ended posts.
    expect(page).toMatch(/<section class="write"[^>]*>\n<p class="post-notice" id="post-notice" role="status" hidden><\/p>/);
  });

  it('shows no start when there is none', () => {
    const page = composerPage(assets, editor, 'csrf', post, 'https://live.example.com');
    expect(page).toContain('<span id="post-start" class="post-start" hidden></span>');
  });
});
