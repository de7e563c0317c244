import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import { parseDocument } from 'htmlparser2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_DIST } from '../render/assets.js';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

type Node = { type: string; name?: string; attribs?: Record<string, string>; children?: Node[]; data?: string };

/** Every element of a parsed HTML document, depth first. */
function elements(node: Node): Node[] {
  const own = node.type === 'tag' || node.type === 'script' || node.type === 'style' ? [node] : [];
  return [...own, ...(node.children ?? []).flatMap(elements)];
}

function parseHtml(html: string) {
  const all = elements(parseDocument(html) as unknown as Node);
  const meta = (key: string) => all.find((el) => el.name === 'meta' && (el.attribs?.property === key || el.attribs?.name === key))?.attribs?.content;
  const jsonLd = all
    .filter((el) => el.name === 'script' && el.attribs?.type === 'application/ld+json')
    .map((el) => JSON.parse((el.children ?? []).map((child) => child.data ?? '').join('')) as Record<string, unknown>);
  return { all, meta, jsonLd };
}

async function endPost(slug: string) {
  const post = (await t.app.inject(`/api/posts/${slug}`)).json().post;
  const response = await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': String(post.version) }, payload: { status: 'ended' } });
  expect(response.statusCode).toBe(200);
}

describe('search engines and sharing', () => {
  it('describes the post with title, description, canonical, Open Graph, Twitter card and JSON-LD LiveBlogPosting', async () => {
    const { slug } = await createPost(t, { title: 'Storage Summit Keynote', description: 'Flash everywhere', startsAt: '2026-03-14T09:00:00Z' });
    for (const body of ['Doors open', 'The **demo** starts']) await postEntry(t, slug, body);
    const { all, meta, jsonLd } = parseHtml((await t.app.inject(`/posts/${slug}`)).body);
    const url = `http://liveline.test/posts/${slug}`;
    expect(all.find((el) => el.name === 'link' && el.attribs?.rel === 'canonical')?.attribs?.href).toBe(url);
    expect(meta('description')).toBe('Flash everywhere');
    expect(meta('og:title')).toBe('Storage Summit Keynote');
    expect(meta('og:url')).toBe(url);
    expect(meta('og:type')).toBe('article');
    expect(meta('twitter:card')).toBe('summary');
    expect(all.find((el) => el.name === 'link' && el.attribs?.type === 'application/atom+xml' && el.attribs?.href === `/posts/${slug}/feed.atom`)).toBeTruthy();

    expect(jsonLd).toHaveLength(1);
    const ld = jsonLd[0]!;
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'LiveBlogPosting',
      headline: 'Storage Summit Keynote',
      coverageStartTime: '2026-03-14T09:00:00.000Z',
      url,
    });
    expect(ld.coverageEndTime).toBeUndefined();
    expect(Date.parse(ld.datePublished as string)).not.toBeNaN();
    expect(Date.parse(ld.dateModified as string)).not.toBeNaN();
    const updates = ld.liveBlogUpdate as Record<string, unknown>[];
    expect(updates.map((update) => update['@type'])).toEqual(['BlogPosting', 'BlogPosting']);
    expect(updates[0]).toMatchObject({ headline: 'The demo starts', articleBody: 'The demo starts', author: [{ '@type': 'Person', name: 'Ada Author' }] });

    await endPost(slug);
    const ended = parseHtml((await t.app.inject(`/posts/${slug}`)).body).jsonLd[0]!;
    expect(Date.parse(ended.coverageEndTime as string)).not.toBeNaN();
  });

  it('cannot be broken out of by a title containing </script>', async () => {
    const { slug } = await createPost(t, { title: 'Evil </script><script>alert(1)</script>' });
    const { all, jsonLd } = parseHtml((await t.app.inject(`/posts/${slug}`)).body);
    expect(jsonLd[0]!.headline).toBe('Evil </script><script>alert(1)</script>');
    // JSON data blocks (JSON-LD, the reader script's strings) are inert; nothing else is inline.
    expect(all.filter((el) => el.name === 'script' && !/^application\/(ld\+)?json$/.test(el.attribs?.type ?? '') && !el.attribs?.src)).toEqual([]);
  });
});

describe('Atom feeds', () => {
  it('serves a valid per-post feed with the latest entries, newest first', async () => {
    const { slug } = await createPost(t, { title: 'Keynote & more', description: 'Live' });
    for (const body of ['First <b>bold</b>', 'Second with [a link](https://example.com)']) await postEntry(t, slug, body);
    const response = await t.app.inject(`/posts/${slug}/feed.atom`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(XMLValidator.validate(response.body)).toBe(true);
    const feed = parseFeed(response.body);
    expect(feed.meta.type).toBe('atom');
    expect(feed.title).toBe('Keynote & more');
    expect(feed.url).toBe(`http://liveline.test/posts/${slug}`);
    expect(feed.items.map((item) => item.title)).toEqual(['Second with a link', 'First bold']);
    const [second] = feed.items;
    expect(second!.id).toMatch(new RegExp(`^http://liveline.test/posts/${slug}#entry-\\d+$`));
    expect(second!.content).toContain('<a href="https://example.com"');
    expect(second!.published).toBeInstanceOf(Date);
    expect(second!.authors.map((author) => author.name)).toEqual(['Ada Author']);
    const etag = response.headers.etag as string;
    expect((await t.app.inject({ url: `/posts/${slug}/feed.atom`, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    await postEntry(t, slug, 'Third');
    expect((await t.app.inject({ url: `/posts/${slug}/feed.atom`, headers: { 'if-none-match': etag } })).statusCode).toBe(200);
  });

  it('serves a valid site feed listing posts', async () => {
    await createPost(t, { title: 'One', tags: ['Storage'] });
    await createPost(t, { title: 'Two' });
    const response = await t.app.inject('/feed.atom');
    expect(XMLValidator.validate(response.body)).toBe(true);
    const feed = parseFeed(response.body);
    expect(feed.items.map((item) => item.title)).toEqual(['Two', 'One']);
    expect(feed.items[1]!.categories.map((category) => category.term)).toEqual(['Storage']);
    expect(feed.items[0]!.url).toBe('http://liveline.test/posts/two');
    expect((await t.app.inject('/posts/missing/feed.atom')).statusCode).toBe(404);
  });
});

describe('reader page structure', () => {
  it('shows key moments and the pinned entry above the stream, and the ended banner once ended', async () => {
    const { slug } = await createPost(t);
    const key = (await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('author'), payload: { body: 'CEO announces *v2*', keyEvent: true } })).json();
    const pinned = (await postEntry(t, slug, 'Follow along here')).json();
    t.app.stores.db.prepare('UPDATE entries SET pinned = 1 WHERE id = ?').run(pinned.id);
    let page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toMatch(new RegExp(`<li data-key-id="${key.id}" data-created-at="[^"]+"><a href="#entry-${key.id}"><time[^>]*>[^<]+</time> <span class="key-moment-text">CEO announces v2</span></a></li>`));
    expect(page).toMatch(new RegExp(`<aside class="pinned" id="pinned" aria-labelledby="pinned-title">[\\s\\S]*data-pinned-id="${pinned.id}"[\\s\\S]*Follow along here`));
    // The pinned entry is shown once, above the stream: in the stream its place points up to it.
    expect(page.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, '').match(/Follow along here/g)).toHaveLength(1);
    expect(page).toMatch(new RegExp(`<article class="entry pinned-stub" id="entry-${pinned.id}"[\\s\\S]*?<p class="pinned-note">Pinned above. <a href="#pinned">`));
    expect(page).toMatch(/<p class="ended-banner" id="ended-banner" hidden>/);
    await endPost(slug);
    page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toMatch(/<p class="ended-banner" id="ended-banner">This liveblog has ended.<\/p>/);
  });

  it('serves an embed page that only the configured origins may frame', async () => {
    const { slug } = await createPost(t);
    await postEntry(t, slug, 'Embedded');
    const response = await t.app.inject(`/posts/${slug}/embed`);
    expect(response.statusCode).toBe(200);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'self' https://news.example.com");
    expect(csp).toContain("default-src 'self'");
    // Every other page refuses to be framed.
    expect((await t.app.inject(`/posts/${slug}`)).headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.body).toContain('class="embed"');
    expect(response.body).toMatch(/<article class="entry" id="entry-\d+" data-entry-id/);
    expect(response.body).toMatch(new RegExp(`href="http://liveline.test/posts/${slug}#entry-\\d+" target="_blank"`));
  });

  it('revalidates pages with ETags: 304 until the post changes', async () => {
    const { slug } = await createPost(t);
    const first = await t.app.inject(`/posts/${slug}`);
    expect(first.headers['cache-control']).toContain('max-age=1');
    const etag = first.headers.etag as string;
    expect((await t.app.inject({ url: `/posts/${slug}`, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    await postEntry(t, slug, 'New');
    expect((await t.app.inject({ url: `/posts/${slug}`, headers: { 'if-none-match': etag } })).statusCode).toBe(200);
    const home = await t.app.inject('/');
    expect((await t.app.inject({ url: '/', headers: { 'if-none-match': home.headers.etag as string } })).statusCode).toBe(304);
  });
});

describe('reader bundle', () => {
  it.runIf(existsSync(`${CLIENT_DIST}/manifest.json`))('stays within 40 KB gzip, socket client included, under hashed names', () => {
    const manifest = JSON.parse(readFileSync(`${CLIENT_DIST}/manifest.json`, 'utf8')) as Record<string, string>;
    const files = [manifest['reader.js']!, manifest['styles.css']!];
    for (const file of files) expect(file).toMatch(/-[\w-]{10}\.(js|css)$/);
    const gzipped = files.reduce((sum, file) => sum + gzipSync(readFileSync(`${CLIENT_DIST}/${file}`)).length, 0);
    expect(gzipped).toBeLessThanOrEqual(40 * 1024);
  });

  it.runIf(existsSync(`${CLIENT_DIST}/manifest.json`))('is served with immutable caching', async () => {
    const manifest = JSON.parse(readFileSync(`${CLIENT_DIST}/manifest.json`, 'utf8')) as Record<string, string>;
    const response = await t.app.inject(`/assets/${manifest['reader.js']}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toContain('immutable');
  });
});
