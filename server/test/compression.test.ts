import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Issue 15, "Weight": pages, the API, feeds and lists travel compressed, brotli first, gzip for
 * clients without it, plain for clients that ask for nothing; the bytes decode to exactly what an
 * uncompressed client gets, and caches are told that the answer varies by Accept-Encoding.
 */
let t: TestApp;
let slug: string;
beforeAll(async () => {
  t = await createTestApp();
  ({ slug } = await createPost(t, { title: 'Compressed keynote', status: 'live' }));
  for (let i = 1; i <= 20; i++) await createPost(t, { title: `Another keynote ${i}`, description: 'A day of announcements', status: 'ended' });
  for (let i = 1; i <= 30; i++) await postEntry(t, slug, `Entry ${i}: the presenter shows **slide ${i}** with the new chip's benchmarks.`);
});
afterAll(async () => {
  await t.close();
});

const decode = (encoding: string | undefined, body: Buffer) => (encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body).toString();

describe.each([
  ['the post page', () => `/posts/${slug}`],
  ['the embed page', () => `/posts/${slug}/embed`],
  ['the API first page', () => `/api/posts/${slug}`],
  ['the Atom feed', () => `/posts/${slug}/feed.atom`],
  ['the change log', () => `/api/posts/${slug}/changes?since=0`],
  ['the home page', () => '/'],
])('%s', (_name, url) => {
  it('is sent with brotli, gzip or plain as the client accepts, decoding to the same bytes', async () => {
    const plain = await t.app.inject({ url: url() });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();

    for (const [accept, expected] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0.5, gzip;q=1', 'gzip'],
      ['identity', undefined],
    ] as const) {
      const response = await t.app.inject({ url: url(), headers: { 'accept-encoding': accept } });
      expect(response.headers['content-encoding'], accept).toBe(expected);
      expect(String(response.headers.vary)).toMatch(/accept-encoding/i);
      expect(decode(expected, response.rawPayload)).toBe(plain.body);
      if (expected) expect(response.rawPayload.length * 3).toBeLessThan(Buffer.byteLength(plain.body));
      expect(response.headers.etag).toBe(plain.headers.etag);
    }
  });
});

describe('the live edge', () => {
  it('is compressed again after a change: a new entry is in the next compressed page', async () => {
    const before = await t.app.inject({ url: `/posts/${slug}`, headers: { 'accept-encoding': 'br' } });
    await postEntry(t, slug, 'Breaking: a brand-new entry');
    const after = await t.app.inject({ url: `/posts/${slug}`, headers: { 'accept-encoding': 'br' } });
    expect(decode('br', before.rawPayload)).not.toContain('Breaking: a brand-new entry');
    expect(decode('br', after.rawPayload)).toContain('Breaking: a brand-new entry');
  });
});
