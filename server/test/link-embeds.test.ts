import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Issue 16, "Embeds", over HTTP: an entry's lone provider URL is an embed on the page; the page's
 * CSP names exactly the origins of the embeds it shows (nothing for a page without any); the site
 * setting (PUT /api/site `linkEmbeds`) enables providers and auto-load; feeds keep a plain link.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const YOUTUBE = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';
const TWEET = 'https://x.com/jack/status/20';

function directive(csp: string | undefined, name: string): string[] | undefined {
  const found = (csp ?? '').split(';').map((part) => part.trim().split(/\s+/)).find(([key]) => key === name);
  return found?.slice(1);
}

async function page(slug: string, path = '') {
  const response = await t.app.inject({ url: `/posts/${slug}${path}` });
  expect(response.statusCode).toBe(200);
  return { html: response.body, csp: response.headers['content-security-policy'] as string };
}

async function putEmbeds(linkEmbeds: Record<string, unknown>) {
  const current = (await t.app.inject({ url: '/api/site', headers: t.auth('admin') })).json();
  const { name, logo, accent, accentDark, font, footerLinks } = current;
  return t.app.inject({ method: 'PUT', url: '/api/site', headers: { ...t.auth('admin'), 'if-match': String(current.version) }, payload: { name, logo, accent, accentDark, font, footerLinks, linkEmbeds } });
}

describe('the reader page’s CSP', () => {
  it('names no frame or script origin on a page without embeds', async () => {
    const { slug } = await createPost(t);
    await postEntry(t, slug, 'Kick-off at the stadium. https://example.com/report is in a sentence.');
    const { csp, html } = await page(slug);
    expect(directive(csp, 'frame-src')).toBeUndefined();
    expect(directive(csp, 'script-src')?.filter((source) => !source.startsWith("'"))).toEqual([]);
    expect(html).toContain('data-link-embeds=""');
  });

  it('names exactly the origins of the embeds shown, once; the cached page says the same', async () => {
    const { slug } = await createPost(t);
    await postEntry(t, slug, YOUTUBE);
    await postEntry(t, slug, `https://youtu.be/aqz-KE-bpKQ\n${TWEET}`);
    await postEntry(t, slug, 'https://mastodon.social/@Gargron/109347723389231223');
    for (let round = 0; round < 2; round++) {
      const { csp, html } = await page(slug);
      expect(directive(csp, 'frame-src')).toEqual(["'self'", 'https://mastodon.social', 'https://platform.twitter.com', 'https://www.youtube-nocookie.com']);
      expect(directive(csp, 'script-src')).toEqual(["'self'", expect.stringMatching(/^'nonce-[0-9a-f]{32}'$/), 'https://platform.twitter.com']);
      expect(html).toContain('data-link-embeds="mastodon x youtube"');
      expect(html).toContain('data-link-embeds-autoload=""');
      // Everything else stays as strict as before.
      expect(directive(csp, 'default-src')).toEqual(["'self'"]);
      expect(directive(csp, 'object-src')).toEqual(["'none'"]);
      expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
    }
  });

  it('on the embed page too, keeping its frame-ancestors', async () => {
    const { slug } = await createPost(t);
    await postEntry(t, slug, 'https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT');
    const { csp } = await page(slug, '/embed');
    expect(directive(csp, 'frame-src')).toEqual(["'self'", 'https://open.spotify.com']);
    expect(directive(csp, 'frame-ancestors')?.[0]).toBe("'self'");
  });

  it('a hand-written embed figure in an entry widens nothing', async () => {
    const { slug } = await createPost(t);
    await postEntry(t, slug, '<figure class="embed" data-provider="youtube" data-shape="video" data-embed-url="https://evil.example/">x</figure>\n\n<iframe src="https://evil.example/embed"></iframe>');
    const { csp, html } = await page(slug);
    expect(directive(csp, 'frame-src')).toBeUndefined();
    expect(html).not.toContain('evil.example');
  });
});

describe('the site setting', () => {
  it('defaults to every provider enabled and none auto-loading', async () => {
    const site = (await t.app.inject({ url: '/api/site', headers: t.auth('admin') })).json();
    expect(site.linkEmbeds.autoload).toEqual([]);
    expect(site.linkEmbeds.enabled).toContain('youtube');
    expect(site.linkEmbeds.enabled).toContain('mastodon');
    expect(site.linkEmbeds.enabled).toHaveLength(15);
  });

  it('a disabled provider’s embed shows its link and widens nothing; auto-load is said on the page', async () => {
    const { slug } = await createPost(t);
    await postEntry(t, slug, `${YOUTUBE}\n${TWEET}`);
    const saved = await putEmbeds({ enabled: ['youtube', 'vimeo'], autoload: ['youtube'] });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().linkEmbeds).toEqual({ enabled: ['youtube', 'vimeo'], autoload: ['youtube'] });
    const { csp, html } = await page(slug);
    expect(directive(csp, 'frame-src')).toEqual(["'self'", 'https://www.youtube-nocookie.com']);
    expect(directive(csp, 'script-src')?.filter((source) => !source.startsWith("'"))).toEqual([]);
    expect(html).toContain('data-link-embeds="youtube" data-link-embeds-autoload="youtube" data-link-embeds-enabled="youtube vimeo"');
  });

  it('a PUT without linkEmbeds (an older client) keeps them; an unknown provider is a 400', async () => {
    await putEmbeds({ enabled: ['youtube'], autoload: [] });
    const current = (await t.app.inject({ url: '/api/site', headers: t.auth('admin') })).json();
    const { name, logo, accent, accentDark, font, footerLinks } = current;
    const kept = await t.app.inject({ method: 'PUT', url: '/api/site', headers: { ...t.auth('admin'), 'if-match': String(current.version) }, payload: { name: 'Renamed', logo, accent, accentDark, font, footerLinks } });
    expect(kept.statusCode).toBe(200);
    expect(kept.json().linkEmbeds.enabled).toEqual(['youtube']);
    const bad = await putEmbeds({ enabled: ['myspace'], autoload: [] });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('is for admins only', async () => {
    const { name, logo, accent, accentDark, font, footerLinks, version } = (await t.app.inject({ url: '/api/site', headers: t.auth('admin') })).json();
    const payload = { name, logo, accent, accentDark, font, footerLinks, linkEmbeds: { enabled: [], autoload: [] } };
    const response = await t.app.inject({ method: 'PUT', url: '/api/site', headers: { ...t.auth('editor'), 'if-match': String(version) }, payload });
    expect(response.statusCode).toBe(403);
  });
});

describe('the newsroom composer', () => {
  it('lists every enabled provider with a fixed origin, so its preview can load them', async () => {
    const { slug } = await createPost(t);
    const { loginAs } = await import('./session-helpers.js');
    const session = await loginAs(t, 'author');
    const response = await t.app.inject({ url: `/admin/posts/${slug}`, headers: session.headers });
    expect(response.statusCode).toBe(200);
    const frames = directive(response.headers['content-security-policy'] as string, 'frame-src');
    expect(frames).toContain('https://www.youtube-nocookie.com');
    expect(frames).toContain('https://open.spotify.com');
    expect(frames?.some((origin) => origin.includes('mastodon'))).toBe(false);
    // Never a provider's script in the newsroom: it would run with the user's session.
    expect(directive(response.headers['content-security-policy'] as string, 'script-src')?.filter((source) => !source.startsWith("'"))).toEqual([]);
    expect(response.body).not.toMatch(/data-link-embeds="[^"]*\b(?:x|instagram|tiktok)\b/);
  });
});

describe('feeds keep a plain link', () => {
  it('the Atom entry has the link card, no frame and no script', async () => {
    const { slug } = await createPost(t);
    await postEntry(t, slug, YOUTUBE);
    const feed = await t.app.inject({ url: `/posts/${slug}/feed.atom` });
    expect(feed.statusCode).toBe(200);
    expect(feed.body).toContain('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
    expect(feed.body).not.toMatch(/&lt;iframe|&lt;script|<iframe|<script/);
  });
});
