/**
 * Migration from WordPress (issue 18): WordPress's own theme unit test export and a liveblog-plugin
 * export built the way the plugin stores entries import with the expected counts; edited and
 * deleted liveblog entries come out in their final state with their history; a re-import updates
 * instead of duplicating; a broken item is reported by line and the rest goes in.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WxrParser } from '../archive/parse-pool.js';
import { nullPublisher } from '../services/publisher.js';
import { WordPressImportService } from '../services/wordpress-import.js';
import { createTestApp, type TestApp } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/wordpress/', import.meta.url));
const THEME = 'themeunittestdata.wordpress.xml';
const LIVEBLOG = 'liveblog.wordpress.xml';
const read = (name: string) => readFileSync(FIXTURES + name, 'utf8');

const parser = new WxrParser();
afterAll(() => parser.close());
let t: TestApp;
let wordpress: WordPressImportService;
beforeEach(async () => {
  t = await createTestApp();
  wordpress = new WordPressImportService({ stores: t.app.stores, publisher: nullPublisher, renderer: t.app.renderer, importParser: t.app.importParser }, t.app.services.archives, parser);
});
afterEach(() => t.close());

const rows = (sql: string, ...params: unknown[]) => t.app.stores.db.prepare(sql).all(...params) as Record<string, unknown>[];
const count = (sql: string, ...params: unknown[]) => (t.app.stores.db.prepare(sql).get(...params) as { n: number }).n;

describe('liveline import of a WordPress export', () => {
  it("imports WordPress's theme unit test data: its 55 published posts, and says why the rest was left out", async () => {
    const summary = await wordpress.importWxr(THEME, read(THEME), null);
    expect(summary.site).toBe('https://wpthemetestdata.wordpress.com');
    expect(summary.posts).toEqual({ created: 55, updated: 0, unchanged: 0 });
    const reasons = new Map<string, number>();
    for (const skip of summary.skipped) reasons.set(skip.reason, (reasons.get(skip.reason) ?? 0) + 1);
    expect(Object.fromEntries(reasons)).toMatchObject({
      'page: only posts are imported': 21,
      'attachment: only posts are imported': 37,
      'nav_menu_item: only posts are imported': 70,
      'draft status in WordPress: only published posts are imported': 1,
      'future status in WordPress: only published posts are imported': 1,
      'password-protected in WordPress': 1,
    });
    expect(summary.skipped.filter((skip) => skip.error)).toEqual([]);
    expect(summary.entries.visible).toBe(count('SELECT count(*) AS n FROM entries WHERE deleted_at IS NULL'));
    expect(summary.users).toEqual({ created: 2, matched: 0 });
    // Authors are accounts that cannot log in.
    expect(rows("SELECT name, email, disabled_at IS NOT NULL AS disabled, password_hash FROM users WHERE name IN ('Theme Buster', 'Theme Reviewer') ORDER BY name")).toEqual([
      { name: 'Theme Buster', email: null, disabled: 1, password_hash: null },
      { name: 'Theme Reviewer', email: null, disabled: 1, password_hash: null },
    ]);

    // One post, field by field: title, slug, dates, status, categories, tags, author, excerpt; one entry per block.
    const post = (await t.app.inject('/api/posts/template-excerpt-defined')).json();
    expect(post.post).toMatchObject({
      title: 'Template: Excerpt (Defined)',
      status: 'ended',
      startsAt: '2012-03-15T21:38:08.000Z',
      timezone: 'Etc/GMT+7',
      categories: ['Classic', 'Template', 'Uncategorized'],
      tags: ['content περιεχόμενο', 'excerpt', 'template'],
      description: expect.stringMatching(/^This is a user-defined post excerpt./),
    });
    expect(post.entries[0].author.name).toBe('Theme Buster');
    const blocks = (await t.app.inject('/api/posts/markup-html-tags-and-formatting?limit=200')).json();
    expect(blocks.entries.length).toBeGreaterThan(20);
    // Drafts and password-protected posts never become pages.
    expect((await t.app.inject('/api/posts?limit=200')).json().posts.map((p: { slug: string }) => p.slug)).not.toContain('draft');

    // Again: nothing new.
    const again = await wordpress.importWxr(THEME, read(THEME), null);
    expect(again.posts).toEqual({ created: 0, updated: 0, unchanged: 55 });
    expect(again.revisions).toBe(0);
    expect(count('SELECT count(*) AS n FROM posts')).toBe(55);
  }, 120_000);

  it('resolves liveblog entries to their final state, keeps their history, key moments and authors', async () => {
    const summary = await wordpress.importWxr(LIVEBLOG, read(LIVEBLOG), null);
    expect(summary).toMatchObject({
      posts: { created: 2, updated: 0, unchanged: 0 },
      entries: { visible: 9, deleted: 1 },
      revisions: 13,
      users: { created: 3, matched: 0 },
    });
    expect(summary.skipped).toEqual([
      { line: 23, what: '1 comment on post 10 "Product launch, live"', reason: 'reader comments are not imported' },
      { line: 303, what: 'post 12 "Unpublished notes"', reason: 'draft status in WordPress: only published posts are imported' },
    ]);
    const page = (await t.app.inject('/api/posts/product-launch-live')).json();
    expect(page.post).toMatchObject({ title: 'Product launch, live', status: 'ended', timezone: 'Etc/GMT-1', categories: ['Tech'], tags: ['Launch'], description: 'We are live from the launch & will update as it happens.' });
    expect(page.entries.map((entry: { body: string; keyEvent: boolean; author: { name: string }; createdAt: string; edited: boolean }) => [entry.createdAt.slice(11, 19), entry.body, entry.keyEvent, entry.author.name, entry.edited])).toEqual([
      ['09:00:00', 'Doors open. The hall is full.', false, 'Alice Editor', false],
      ['09:05:00', 'The CEO takes the stage — <strong>finally</strong>.', false, 'Bob Reporter', true],
      ['09:10:00', 'Price: $99 for the base model.', true, 'Alice Editor', false],
      ['09:15:00', 'Launch date: March.', false, 'Alice Editor', true],
      ['09:20:00', 'Three things announced:\n\n<ul>\n<li>a phone</li>\n<li>a watch</li>\n</ul>\n\nMore after the break.', false, 'Guest Reporter', false],
      ['09:25:00', 'Recovered text from the last edit.', false, 'Bob Reporter', false],
    ]);
    // The deleted entry is nowhere public: not on the page, the API, the change log or the Markdown export.
    const publicText = [(await t.app.inject('/posts/product-launch-live')).body, (await t.app.inject('/api/posts/product-launch-live/changes?since=0')).body, (await t.app.inject('/posts/product-launch-live.md')).body].join('\n');
    expect(publicText).not.toContain('$199');
    expect(publicText).toContain('The CEO takes the stage');
    // The Markdown export (times in the site's UTC+1) carries the key moment and bylines, and no WordPress login or e-mail.
    const markdown = (await t.app.inject('/posts/product-launch-live.md')).body;
    expect(markdown).toContain('**10:10**\n{: .entry .key}\n{: author="Alice Editor"}\n\nPrice: $99 for the base model.');
    expect(markdown).not.toMatch(/alice@|author: alice/);

    // History, as the newsroom sees it.
    const history = async (body: string) => {
      const id = rows('SELECT id FROM entries WHERE body = ?', body)[0]!.id;
      return (await t.app.inject({ url: `/api/entries/${id}/revisions`, headers: t.auth('editor') })).json().revisions.map((r: { action: string; body: string; keyEvent: boolean; createdAt: string; actor: { name: string } | null }) => [r.action, r.body, r.keyEvent, r.createdAt.slice(11, 19), r.actor?.name]);
    };
    expect(await history('The CEO takes the stage — <strong>finally</strong>.')).toEqual([
      ['created', 'The CEO takes the stage.', false, '09:05:00', 'Bob Reporter'],
      ['updated', 'The CEO takes the stage — <strong>finally</strong>.', false, '09:09:30', 'Bob Reporter'],
    ]);
    expect(await history('Launch date: March.')).toEqual([
      ['created', 'Launch date: March?', true, '09:15:00', 'Alice Editor'],
      ['updated', 'Launch date: March.', false, '09:18:00', 'Alice Editor'],
    ]);
    expect(await history('Price is $199 (wrong).')).toEqual([
      ['created', 'Price is $199 (wrong).', false, '09:12:00', 'Bob Reporter'],
      ['deleted', 'Price is $199 (wrong).', false, '09:13:00', 'Bob Reporter'],
    ]);
    // The ordinary post: one entry per block, by the post's author.
    const ordinary = (await t.app.inject('/api/posts/what-we-expect')).json();
    expect(ordinary.post.description).toBe('Our predictions.');
    expect(ordinary.entries.map((entry: { body: string; author: { name: string } }) => [entry.body, entry.author.name])).toEqual([
      ['<p>A phone, probably.</p>', 'Alice Editor'],
      ['<p>And a watch.</p>', 'Alice Editor'],
      ['<ul>\n<li>Price</li>\n<li>Date</li>\n</ul>', 'Alice Editor'],
    ]);

    // Re-importing the same file changes nothing; a later export with one more edit and entry adds just those.
    const again = await wordpress.importWxr(LIVEBLOG, read(LIVEBLOG), null);
    expect(again).toMatchObject({ posts: { created: 0, updated: 0, unchanged: 2 }, revisions: 0, users: { created: 0 } });
    expect(count('SELECT count(*) AS n FROM entries')).toBe(10);
    const later = read(LIVEBLOG).replace(
      '</item>',
      `${comment(207, '09:40:00', 'Doors open. The hall is full, and hot.', [['liveblog_replaces', '101']])}${comment(108, '09:45:00', 'That is a wrap.', [])}\n</item>`,
    );
    const third = await wordpress.importWxr(LIVEBLOG, later, null);
    expect(third).toMatchObject({ posts: { created: 0, updated: 1, unchanged: 1 }, entries: { visible: 10, deleted: 1 }, revisions: 2, users: { created: 0 } });
    expect(count('SELECT count(*) AS n FROM entries')).toBe(11);
    expect(rows("SELECT body FROM entries WHERE body LIKE 'Doors open%'")).toEqual([{ body: 'Doors open. The hall is full, and hot.' }]);
    expect(count('SELECT count(*) AS n FROM users')).toBe(count('SELECT count(*) AS n FROM users WHERE disabled_at IS NULL') + 3);
  }, 60_000);

  it('reports a broken item as file:line and imports the rest', async () => {
    const text = read(LIVEBLOG);
    const broken = text.replace('<wp:post_name><![CDATA[what-we-expect]]></wp:post_name>', '<wp:post_name><![CDATA[what-we-expect]]></wp:post_nam>');
    const line = text.slice(0, text.indexOf('<wp:post_name><![CDATA[what-we-expect]]>')).split('\n').length;
    const summary = await wordpress.importWxr(LIVEBLOG, broken, null);
    expect(summary.skipped.filter((skip) => skip.error)).toEqual([{ line, what: 'item', reason: expect.stringMatching(/broken XML: .*post_nam/), error: true }]);
    expect(summary.posts.created).toBe(1);
    expect((await t.app.inject('/api/posts/product-launch-live')).statusCode).toBe(200);
  });

  it('POST /api/import says a WXR file is for `liveline import` (422 with the file and line)', async () => {
    const response = await t.app.inject({ method: 'POST', url: `/api/import?filename=${LIVEBLOG}`, headers: { ...t.auth('editor'), 'content-type': 'text/markdown' }, payload: read(LIVEBLOG) });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ file: LIVEBLOG, line: 1, detail: expect.stringMatching(/WordPress export \(WXR\): import it with `liveline import FILE`/) });
  });

  it('refuses a DOCTYPE (entity expansion) at its line, and reads nothing of the file', async () => {
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n${read(LIVEBLOG).split('\n').slice(1).join('\n')}`;
    await expect(wordpress.importWxr('bomb.xml', bomb, null)).rejects.toMatchObject({ line: 2, message: expect.stringMatching(/DOCTYPE/) });
    expect(count('SELECT count(*) AS n FROM posts')).toBe(0);
  });
});

function comment(id: number, time: string, content: string, meta: [string, string][]): string {
  const metas = meta.map(([key, value]) => `<wp:commentmeta><wp:meta_key>${key}</wp:meta_key><wp:meta_value>${value}</wp:meta_value></wp:commentmeta>`).join('');
  return `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>Alice Editor</wp:comment_author><wp:comment_author_email>alice@example.com</wp:comment_author_email><wp:comment_date_gmt>2026-03-14 ${time}</wp:comment_date_gmt><wp:comment_content><![CDATA[${content}]]></wp:comment_content><wp:comment_approved>liveblog</wp:comment_approved><wp:comment_type>liveblog</wp:comment_type><wp:comment_user_id>2</wp:comment_user_id>${metas}</wp:comment>`;
}
