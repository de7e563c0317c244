import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Security review H1 and M4: what one page can weigh, what its caches are keyed by, and where its
 * absolute links come from. One author with 50 entries of 20,000 `&` made an 11 MB page, and 190
 * requests with different Host headers each filled the page cache with another copy until the
 * heap ran out; the same Host header also wrote itself into canonical, Open Graph, JSON-LD and
 * Atom links.
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const AMPERSANDS = '&'.repeat(20_000);

describe('page weight and caches (H1)', () => {
  it('keeps a page of 50 huge entries under a megabyte, the rest one "earlier" page away', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t);
    for (let i = 0; i < 50; i++) expect((await postEntry(t, slug, AMPERSANDS, 'editor')).statusCode).toBe(201);
    const page = await t.app.inject(`/posts/${slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body.length).toBeLessThan(1024 * 1024);
    expect(page.body).toMatch(/href="\/posts\/[^"?]+\?before=[^"]+"/);
    const jsonLd = JSON.parse(/<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s.exec(page.body)![1]!) as { liveBlogUpdate: { articleBody: string }[] };
    for (const update of jsonLd.liveBlogUpdate) expect(update.articleBody.length).toBeLessThanOrEqual(1000);
    const api = await t.app.inject(`/api/posts/${slug}`);
    expect(api.body.length).toBeLessThan(1024 * 1024);
    const { entries, nextCursor } = api.json() as { entries: unknown[]; nextCursor: string };
    // Paging back from there reaches every entry.
    let seen = entries.length;
    for (let cursor: string | null = nextCursor; cursor; ) {
      const older = (await t.app.inject(`/api/posts/${slug}/entries?before=${encodeURIComponent(cursor)}`)).json() as { entries: unknown[]; nextCursor: string | null };
      seen += older.entries.length;
      cursor = older.nextCursor;
    }
    expect(seen).toBe(50);
    const feed = await t.app.inject(`/posts/${slug}/feed.atom`);
    expect(feed.body.length).toBeLessThan(1024 * 1024);
  });

  it('serves the same bytes whatever Host a client sends, and never writes that Host into a link (M4)', async () => {
    // No PUBLIC_URL: a server on loopback, as `npm start` runs it.
    t = await createTestApp({ PUBLIC_URL: '' });
    const { slug } = await createPost(t);
    await postEntry(t, slug, 'Hello');
    for (const url of [`/posts/${slug}`, `/posts/${slug}/embed`, `/posts/${slug}/feed.atom`, '/feed.atom', '/']) {
      const bodies = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const response = await t.app.inject({ url, headers: { host: `attacker-${i}.example` } });
        expect(response.statusCode, url).toBe(200);
        expect(response.body, url).not.toContain('attacker-');
        bodies.add(response.body.replace(/nonce="[^"]+"/g, ''));
      }
      expect(bodies.size, url).toBe(1);
    }
  });

  it('refuses to start off loopback without PUBLIC_URL, naming the variable', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/PUBLIC_URL: is required when HOST is not a loopback address/);
    expect(loadConfig({ HOST: '0.0.0.0', PUBLIC_URL: 'https://live.example.com' }).http.publicUrl).toBe('https://live.example.com');
    expect(loadConfig({ HOST: '127.0.0.1' }).http.publicUrl).toBeUndefined();
  });
});
