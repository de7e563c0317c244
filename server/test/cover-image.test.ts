import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Upload } from '../../contract/index.js';
import { collectUnusedUploads } from '../media/collection.js';
import { UploadDirectory } from '../media/storage.js';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';
import { multipart, noisePng } from './upload-fixtures.js';

/**
 * What a shared link of a post shows (issue 16): og:image, twitter:image and the JSON-LD `image`
 * come from the post's cover image when an editor set one, else from its pinned entry's image,
 * else from its first entry image.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ PUBLIC_URL: 'https://live.example.com' });
});
afterEach(async () => {
  await t.close();
});

async function upload(image: Buffer): Promise<Upload> {
  const { payload, headers } = multipart('photo.jpg', 'image/jpeg', image);
  const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Upload;
}

const patchPost = (slug: string, version: number, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': String(version) }, payload });

async function shared(slug: string): Promise<{ og?: string; twitter?: string; card?: string; jsonLd: unknown }> {
  const body = (await t.app.inject({ method: 'GET', url: `/posts/${slug}` })).body;
  const meta = (name: string) => new RegExp(`<meta (?:property|name)="${name}" content="([^"]*)">`).exec(body)?.[1];
  const ld = /<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/.exec(body)?.[1];
  return { og: meta('og:image'), twitter: meta('twitter:image'), card: meta('twitter:card'), jsonLd: ld && (JSON.parse(ld) as { image?: unknown }).image };
}

describe('the image a shared post shows', () => {
  it('is the cover image, else the pinned entry image, else the first entry image', async () => {
    const { slug } = await createPost(t);
    expect(await shared(slug)).toMatchObject({ og: undefined, twitter: undefined, card: 'summary' });

    const [first, pinned, cover] = [await upload(await sharp(noisePng(800, 600)).jpeg().toBuffer()), await upload(await sharp(noisePng(700, 500)).jpeg().toBuffer()), await upload(await sharp(noisePng(2400, 1200)).jpeg().toBuffer())];
    expect((await postEntry(t, slug, `![The first](${first.url})`)).statusCode).toBe(201);
    expect(await shared(slug)).toEqual({ og: `https://live.example.com${first.url}`, twitter: `https://live.example.com${first.url}`, card: 'summary_large_image', jsonLd: [`https://live.example.com${first.url}`] });

    const later = (await postEntry(t, slug, `![Pinned](${pinned.url})`)).json() as { id: number };
    expect((await t.app.inject({ method: 'PUT', url: `/api/entries/${later.id}/pin`, headers: t.auth('editor') })).statusCode).toBe(200);
    expect((await shared(slug)).og).toBe(`https://live.example.com${pinned.url}`);

    // A cover: set in the post settings; 2400 px wide, so shared as its 1600 px JPEG.
    const set = await patchPost(slug, 1, { coverImage: cover.url });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().coverImage).toBe(cover.url);
    const coverShared = `https://live.example.com/uploads/${cover.fileName.slice(0, 64)}-1600.jpg`;
    expect(await shared(slug)).toEqual({ og: coverShared, twitter: coverShared, card: 'summary_large_image', jsonLd: [coverShared] });
    expect((await t.app.inject({ method: 'GET', url: coverShared.slice('https://live.example.com'.length) })).statusCode).toBe(200);
    // Readers' API shows it; the cover keeps its upload from being collected.
    expect((await t.app.inject({ method: 'GET', url: `/api/posts/${slug}` })).json().post.coverImage).toBe(cover.url);
    t.app.stores.db.prepare("UPDATE uploads SET last_uploaded_at = '2000-01-01T00:00:00.000Z'").run();
    const report = collectUnusedUploads(t.app.stores.db, t.app.stores.uploads, new UploadDirectory(`${t.dir}/uploads`), 60_000);
    expect(report.unused).toEqual([]);

    // Cleared: the pinned image again.
    expect((await patchPost(slug, 2, { coverImage: null })).statusCode).toBe(200);
    expect((await shared(slug)).og).toBe(`https://live.example.com${pinned.url}`);
  });

  it('must be an image uploaded here: anything else is refused', async () => {
    const { slug } = await createPost(t);
    const external = await patchPost(slug, 1, { coverImage: 'https://evil.example/x.jpg' });
    expect(external.statusCode).toBe(400);
    expect(external.headers['content-type']).toMatch(/^application\/problem\+json/);
    const unknown = await patchPost(slug, 1, { coverImage: `/uploads/${'a'.repeat(64)}.jpg` });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ type: '/problems/cover-image-unknown', errors: [{ field: 'body.coverImage' }] });
    // Authors do not set it (post settings are the editors').
    const asAuthor = await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { coverImage: null } });
    expect(asAuthor.statusCode).toBe(403);
  });
});
