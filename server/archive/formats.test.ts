import { describe, expect, it } from 'vitest';
import { formatHtmlArchive } from './html-archive.js';
import { jsonArchive as jsonArchiveSchema } from '../../contract/index.js';
import type { Entry, Post } from '../../contract/index.js';

const post: Post = {
  id: 1,
  slug: 'keynote',
  title: 'Keynote <script>alert(1)</script>',
  description: 'Opening & close',
  summary: '',
  summaryHtml: '',
  status: 'ended',
  startsAt: '2026-03-14T09:00:00.000Z',
  endedAt: null,
  timezone: 'Europe/Berlin',
  language: 'en',
  languageIsDefault: true,
  tags: ['Cloud'],
  categories: ['Liveblog'],
  coverImage: null,
  version: 1,
  lastSeq: 1,
  createdAt: '2026-03-14T08:00:00.000Z',
  updatedAt: '2026-03-14T08:00:00.000Z',
};
const entry: Entry = { id: 7, postId: 1, body: 'Hi', html: '<p>Hi <strong>there</strong></p>\n', author: null, createdAt: '2026-03-14T09:40:00.000Z', updatedAt: '2026-03-14T09:40:00.000Z', version: 1, keyEvent: false, pinned: false, edited: false };

describe('formatHtmlArchive', () => {
  it('is one page with inline styles, escaped fields, the entries as articles and no script', () => {
    const page = formatHtmlArchive(post, [entry], 'body{margin:0}', '2026-03-15T00:00:00.000Z');
    expect(page).toContain('<style>body{margin:0}</style>');
    expect(page).toContain('<title>Keynote &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(page).toContain('Opening &amp; close');
    expect(page).toMatch(/<article class="entry" id="entry-7" data-entry-id="7"[^>]*>/);
    expect(page).toContain('<p>Hi <strong>there</strong></p>');
    expect(page).toContain('<time datetime="2026-03-14T09:40:00.000Z"');
    expect(page).toContain('>10:40</time>'); // Berlin time
    expect(page).not.toMatch(/<script|<link|src=/i);
  });

  it('cannot be broken out of by the stylesheet', () => {
    const page = formatHtmlArchive(post, [], 'a{}</style><img src=x onerror=alert(1)>', '2026-03-15T00:00:00.000Z');
    expect(page.match(/<\/style/gi)).toHaveLength(1);
  });
});

describe('jsonArchiveSchema', () => {
  const archive = {
    format: 'liveline-archive',
    version: 1,
    exportedAt: '2026-03-15T00:00:00.000Z',
    users: [],
    post: {
      id: 1, slug: 'k', title: 'K', description: '', status: 'ended', starts_at: null, ended_at: null, timezone: 'UTC', tags: '[]', categories: '[]',
      version: 1, last_seq: 0, created_by: null, created_at: '2026-03-14T09:00:00.000Z', updated_at: '2026-03-14T09:00:00.000Z', front_matter: '{}', import_key: null,
    },
    entries: [],
    revisions: [],
    changes: [],
  };

  it('accepts an archive and refuses columns it does not know (they would reach the INSERT)', () => {
    expect(jsonArchiveSchema.safeParse(archive).success).toBe(true);
    const injected = { ...archive, post: { ...archive.post, 'id) VALUES (1); DROP TABLE posts; --': 1 } };
    expect(jsonArchiveSchema.safeParse(injected).success).toBe(false);
  });

  it('refuses broken JSON columns and a change log with gaps', () => {
    expect(jsonArchiveSchema.safeParse({ ...archive, post: { ...archive.post, tags: 'not json' } }).success).toBe(false);
    expect(jsonArchiveSchema.safeParse({ ...archive, post: { ...archive.post, front_matter: '[1]' } }).success).toBe(false);
    const change = { post_id: 1, seq: 2, type: 'post.updated', payload: '{}', created_at: 'x' };
    expect(jsonArchiveSchema.safeParse({ ...archive, post: { ...archive.post, last_seq: 1 }, changes: [change] }).success).toBe(false);
  });

  it("refuses rows the API itself would refuse: a bad time zone, slug, timestamp or body (L4)", () => {
    const entry = { id: 1, post_id: 1, author_id: null, body: 'Hello', html: '', key_event: 0, pinned: 0, version: 1, created_at: '2026-03-14T09:40:00.000Z', updated_at: '2026-03-14T09:40:00.000Z', deleted_at: null, deleted_by: null };
    expect(jsonArchiveSchema.safeParse({ ...archive, entries: [entry] }).success).toBe(true);
    const bad = [
      { ...archive, post: { ...archive.post, timezone: 'Mars/Olympus_Mons' } },
      { ...archive, post: { ...archive.post, slug: '../Admin' } },
      { ...archive, post: { ...archive.post, created_at: 'yesterday' } },
      { ...archive, post: { ...archive.post, starts_at: '+010000-01-01T00:00:00.000Z' } },
      { ...archive, post: { ...archive.post, tags: JSON.stringify(['x'.repeat(65)]) } },
      { ...archive, post: { ...archive.post, title: '' } },
      { ...archive, entries: [{ ...entry, body: 'x'.repeat(20_001) }] },
      { ...archive, entries: [{ ...entry, created_at: '2026-02-30T09:40:00.000Z' }] },
      { ...archive, users: [{ id: 1, name: 'Ada', email: 'not an email', role: 'author', created_at: '2026-03-14T09:00:00.000Z', disabled_at: null }] },
    ];
    for (const candidate of bad) expect(jsonArchiveSchema.safeParse(candidate).success, JSON.stringify(candidate).slice(0, 300)).toBe(false);
  });
});
