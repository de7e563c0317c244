import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';
import { loginAs } from './session-helpers.js';

/** Issue 15, "Embeds on other sites": the oEmbed provider, embed.js and the embed's theme. */
const ORIGIN = 'https://live.example.com';
let t: TestApp;
let slug: string;
beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: ORIGIN, EMBED_ORIGINS: 'https://news.example.org' });
  ({ slug } = await createPost(t, { title: 'Keynote "live" & more', status: 'live' }));
  await postEntry(t, slug, 'Doors open');
});
afterAll(async () => {
  await t.close();
});

const oembed = (url: string, extra = '') => t.app.inject({ url: `/oembed?url=${encodeURIComponent(url)}${extra}` });

describe('GET /oembed', () => {
  it("answers a post's URL with a rich oEmbed 1.0 object holding the embed snippet", async () => {
    const response = await oembed(`${ORIGIN}/posts/${slug}`, '&format=json&maxwidth=480&maxheight=900');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    const body = response.json();
    expect(body).toMatchObject({ version: '1.0', type: 'rich', title: 'Keynote "live" & more', provider_name: 'Liveline', provider_url: `${ORIGIN}/`, width: 480, height: 900 });
    expect(body.html).toContain(`<iframe src="${ORIGIN}/posts/${slug}/embed" title="Keynote &#34;live&#34; &#38; more (live)"`);
    expect(body.html).toContain(`<script async src="${ORIGIN}/embed.js"></script>`);
    // The embed page's own URL, a trailing slash and an entry permalink work too.
    for (const url of [`${ORIGIN}/posts/${slug}/embed`, `${ORIGIN}/posts/${slug}/`, `${ORIGIN}/posts/${slug}#entry-1`]) expect((await oembed(url)).statusCode, url).toBe(200);
  });

  it('follows a renamed post from its old URL', async () => {
    const { slug: old, version } = await createPost(t, { title: 'Old name', status: 'live' });
    const renamed = await t.app.inject({ method: 'PATCH', url: `/api/posts/${old}`, headers: { ...t.auth('editor'), 'if-match': String(version) }, payload: { slug: 'new-name' } });
    expect(renamed.statusCode).toBe(200);
    const response = await oembed(`${ORIGIN}/posts/${old}`);
    expect(response.json().html).toContain(`${ORIGIN}/posts/new-name/embed`);
  });

  it('answers 404 problems for anything but a post of this site, 501 for XML, 400 without a URL', async () => {
    for (const url of [`https://elsewhere.example/posts/${slug}`, `${ORIGIN}/`, `${ORIGIN}/admin/posts/${slug}`, `${ORIGIN}/posts/no-such-post`, 'not a url', `${ORIGIN}/posts/${slug}/feed.atom`]) {
      const response = await oembed(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await oembed(`${ORIGIN}/posts/${slug}`, '&format=xml')).statusCode).toBe(501);
    expect((await t.app.inject('/oembed')).statusCode).toBe(400);
  });

  it('is discoverable from the post page', async () => {
    const page = (await t.app.inject(`/posts/${slug}`)).body;
    const href = /<link rel="alternate" type="application\/json\+oembed" title="[^"]*" href="([^"]+)">/.exec(page)?.[1];
    expect(href).toBeDefined();
    const url = new URL(href!.replaceAll('&amp;', '&'));
    expect(url.origin + url.pathname).toBe(`${ORIGIN}/oembed`);
    expect(url.searchParams.get('url')).toBe(`${ORIGIN}/posts/${slug}`);
  });
});

describe('the embed page and embed.js', () => {
  it('serves embed.js to other origins, cached for an hour', async () => {
    const response = await t.app.inject('/embed.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    expect(response.body).toContain('liveline');
  });

  it('is light by default whatever the reader system, dark or automatic on request, and refuses other themes', async () => {
    expect((await t.app.inject(`/posts/${slug}/embed`)).body).toMatch(/<html lang="en" data-theme="light">/);
    expect((await t.app.inject(`/posts/${slug}/embed?theme=dark`)).body).toMatch(/<html lang="en" data-theme="dark">/);
    expect((await t.app.inject(`/posts/${slug}/embed?theme=auto`)).body).toMatch(/<html lang="en">/);
    expect((await t.app.inject(`/posts/${slug}`)).body).toMatch(/<html lang="en">/);
    expect((await t.app.inject(`/posts/${slug}/embed?theme=neon`)).statusCode).toBe(400);
  });

  it("the composer's embed panel names the sites allowed to show the embed", async () => {
    const editor = await loginAs(t, 'editor');
    const page = (await t.app.inject({ url: `/admin/posts/${slug}`, headers: { cookie: editor.cookie } })).body;
    expect(page).toMatch(/id="embed-origins">Sites allowed to show it[^<]*<code>EMBED_ORIGINS<\/code>\): <code>https:\/\/news\.example\.org<\/code>/);
  });
});
