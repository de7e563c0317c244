import { describe, expect, it } from 'vitest';
import { composerPage, embedSnippet } from './newsroom.js';
import type { Post } from '../../contract/index.js';

const post: Post = {
  id: 1,
  slug: 'keynote',
  title: 'Keynote "live" & <more>',
  description: '',
  status: 'live',
  startsAt: null,
  endedAt: null,
  timezone: 'UTC',
  tags: [],
  categories: [],
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
