import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Upload } from '../../contract/index.js';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';
import { multipart, noisePng } from './upload-fixtures.js';

/**
 * Captions and credits are Markdown (render/images.ts), so they live in the entry body that every
 * export carries: exporting a post (Jekyll and JSON) and importing it elsewhere gives the same
 * body and the same figure HTML, on a server that has the same images.
 */
let source: TestApp;
let target: TestApp;
beforeEach(async () => {
  [source, target] = await Promise.all([createTestApp(), createTestApp()]);
});
afterEach(async () => {
  await Promise.all([source.close(), target.close()]);
});

async function upload(t: TestApp, image: Buffer): Promise<Upload> {
  const { payload, headers } = multipart('photo.jpg', 'image/jpeg', image);
  const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Upload;
}

const entries = (t: TestApp, slug: string) =>
  t.app.stores.db.prepare('SELECT e.body, e.html FROM entries e JOIN posts p ON p.id = e.post_id WHERE p.slug = ? AND e.deleted_at IS NULL ORDER BY e.created_at, e.id').all(slug) as { body: string; html: string }[];

describe('captions and credits in archives', () => {
  it('survive export → import, Jekyll and JSON, with the same body and figure HTML', async () => {
    const [photo, second] = [await sharp(noisePng(1200, 800)).jpeg().toBuffer(), await sharp(noisePng(900, 600)).jpeg().toBuffer()];
    const [a, b] = [await upload(source, photo), await upload(source, second)];
    // The target has the same images (uploads travel beside the archive, not in it).
    expect((await upload(target, photo)).url).toBe(a.url);
    expect((await upload(target, second)).url).toBe(b.url);
    const { slug } = await createPost(source, { title: 'Vote night', coverImage: b.url });
    const bodies = [
      `![Crowds outside parliament](${a.url})\n*Thousands gathered before the vote — many of them students. — Photo: Jane Doe/AP*`,
      // One paragraph, no blank line: today's Jekyll format splits an entry at blank lines.
      `![The chamber](${a.url})\n_The chamber at midnight._\n![](${b.url} "decorative")\n*— Foto: Max Müller, dpa*`,
    ];
    for (const body of bodies) expect((await postEntry(source, slug, body)).statusCode).toBe(201);
    const before = entries(source, slug);
    expect(before.map((entry) => entry.body)).toEqual(bodies);
    expect(before[0]!.html).toContain('<figcaption>Thousands gathered before the vote — many of them students. <small class="credit">Photo: Jane Doe/AP</small></figcaption>');
    expect(before[1]!.html).toContain('<small class="credit">Foto: Max Müller, dpa</small>');
    expect(before[0]!.html).toMatch(/srcset="\/uploads\//);

    // Jekyll: the public export, imported by an editor.
    const exported = await source.app.inject({ method: 'GET', url: `/posts/${slug}.md` });
    expect(exported.statusCode).toBe(200);
    const imported = await target.app.inject({
      method: 'POST',
      url: '/api/import?filename=vote-night.md',
      headers: { ...target.auth('editor'), 'content-type': 'text/markdown' },
      payload: exported.body,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(entries(target, imported.json().slug)).toEqual(before);

    // JSON: the full archive, imported by an admin into a third database.
    const third = await createTestApp();
    try {
      for (const image of [photo, second]) await upload(third, image);
      const archive = JSON.parse(JSON.stringify(source.app.services.archives.exportJson(slug))) as unknown;
      const restored = await third.app.inject({ method: 'POST', url: `/api/import?filename=${slug}.json`, headers: third.auth('admin'), payload: archive as object });
      expect(restored.statusCode, restored.body).toBe(201);
      expect(entries(third, slug)).toEqual(before);
      // The JSON archive restores the post's cover image too.
      expect((await third.app.inject({ method: 'GET', url: `/api/posts/${slug}` })).json().post.coverImage).toBe(b.url);
    } finally {
      await third.close();
    }
  });
});
