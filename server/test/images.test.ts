import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Upload } from '../../contract/index.js';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';
import { multipart, noisePng } from './upload-fixtures.js';

/**
 * Images in entries as readers get them (issue 16): an uploaded photo comes out of the page as a
 * figure whose <img> has its dimensions, WebP renditions in srcset and lazy loading (but the
 * page's first image), with its caption and credit; several make a gallery; an uploaded image
 * without alt text is not published; what an author writes by hand never gains those attributes.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function upload(image: Buffer, name = 'photo.jpg', type = 'image/jpeg'): Promise<Upload> {
  const { payload, headers } = multipart(name, type, image);
  const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Upload;
}

/** A phone photo: 2400 × 1800 stored sideways, "rotate 90°" and a GPS position in EXIF. */
const phonePhoto = () =>
  sharp(noisePng(2400, 1800))
    .withExif({ IFD0: { Make: 'LivelinePhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4000/100' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 60 })
    .toBuffer();

const imgTags = (html: string) => [...html.matchAll(/<img\b[^>]*>/g)].map((match) => match[0]);
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const page = async (slug: string) => (await t.app.inject({ method: 'GET', url: `/posts/${slug}` })).body;

describe('images in entries', () => {
  it('renders an uploaded phone photo as a figure with dimensions, srcset, caption and credit', async () => {
    const photo = await upload(await phonePhoto(), 'IMG_2034.jpg');
    const sha = photo.fileName.slice(0, 64);
    const { slug } = await createPost(t);
    const body = `![Crowds outside parliament before dawn](${photo.url})\n*Thousands gathered before the vote. — Photo: Jane Doe/AP*`;
    const created = await postEntry(t, slug, body);
    expect(created.statusCode, created.body).toBe(201);
    const { html } = created.json() as { html: string };
    expect(html).toMatch(/^<figure class="figure"><img [^>]+><figcaption>Thousands gathered before the vote\. <small class="credit">Photo: Jane Doe\/AP<\/small><\/figcaption><\/figure>/);
    const [tag] = imgTags(html);
    // The original is 1800 wide: src is its 1600 px JPEG, srcset the WebPs.
    expect(attr(tag!, 'src')).toBe(`/uploads/${sha}-1600.jpg`);
    expect([attr(tag!, 'width'), attr(tag!, 'height')]).toEqual(['1600', '2133']);
    expect(attr(tag!, 'srcset')).toBe(`/uploads/${sha}-480.webp 480w, /uploads/${sha}-960.webp 960w, /uploads/${sha}-1600.webp 1600w`);
    expect(attr(tag!, 'sizes')).toMatch(/42rem/);
    expect(attr(tag!, 'alt')).toBe('Crowds outside parliament before dawn');
    expect([attr(tag!, 'loading'), attr(tag!, 'decoding')]).toEqual(['lazy', 'async']);
    // Every candidate is served, without the photo's metadata.
    for (const url of [attr(tag!, 'src')!, ...attr(tag!, 'srcset')!.split(', ').map((candidate) => candidate.split(' ')[0]!)]) {
      const served = await t.app.inject({ method: 'GET', url });
      expect(served.statusCode, url).toBe(200);
      expect((await sharp(served.rawPayload).metadata()).exif, url).toBeUndefined();
    }

    // On the page, the first image loads at once; a later one stays lazy.
    const later = await upload(noisePng(600, 400), 'later.png', 'image/png');
    expect((await postEntry(t, slug, `![A second photo](${later.url})`)).statusCode).toBe(201);
    const tags = imgTags(await page(slug));
    expect(tags).toHaveLength(2);
    // Newest first: the second photo is the first image of the page.
    expect(attr(tags[0]!, 'src')).toBe(later.url);
    expect(attr(tags[0]!, 'loading')).toBe('eager');
    expect([attr(tags[0]!, 'width'), attr(tags[0]!, 'height')]).toEqual(['600', '400']);
    expect(attr(tags[0]!, 'srcset')).toBe(`/uploads/${later.fileName.slice(0, 64)}-480.webp 480w, /uploads/${later.fileName.slice(0, 64)}-600.webp 600w`);
    expect(attr(tags[1]!, 'loading')).toBe('lazy');
  });

  it('makes several images in a row a gallery, captions kept', async () => {
    const [a, b, c] = [await upload(noisePng(800, 600), 'a.png', 'image/png'), await upload(noisePng(800, 600), 'b.png', 'image/png'), await upload(noisePng(600, 800), 'c.png', 'image/png')];
    const { slug } = await createPost(t);
    const body = `Scenes from the square:\n\n![Banners](${a.url})\n*The march sets off.*\n![Drums](${b.url})\n\n![A child on a shoulder](${c.url})\n_— Photo: Sam Lee_`;
    const { html } = (await postEntry(t, slug, body)).json() as { html: string };
    expect(html).toMatch(/^<p>Scenes from the square:<\/p>\n<figure class="gallery">(<figure class="figure"><img [^>]+>(<figcaption>.*?<\/figcaption>)?<\/figure>){3}<\/figure>/);
    expect(html).toContain('<figcaption>The march sets off.</figcaption>');
    expect(html).toContain('<figcaption><small class="credit">Photo: Sam Lee</small></figcaption>');
    for (const tag of imgTags(html)) expect(attr(tag, 'sizes')).toMatch(/21rem/);
    // One image alone, or an image inside a sentence, is not a gallery.
    expect((await postEntry(t, slug, `![Banners](${a.url})`)).json().html).not.toContain('gallery');
    expect((await postEntry(t, slug, `Look ![Banners](${a.url}) and ![Drums](${b.url}).`)).json().html).toMatch(/^<p>Look <img/);
  });

  it('refuses to publish an uploaded image without alt text (422), unless it is marked decorative', async () => {
    const photo = await upload(noisePng(500, 300), 'IMG_1.png', 'image/png');
    const { slug } = await createPost(t);
    const refused = await postEntry(t, slug, `Before the vote.\n\n![](${photo.url})\n*The chamber.*`);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ type: '/problems/image-alt-missing', images: [photo.url], errors: [{ field: 'body.body' }] });
    expect(refused.json().detail).toMatch(/no alt text/);
    // Spaces are no description either; an edit that drops the alt is refused the same way.
    expect((await postEntry(t, slug, `![   ](${photo.url})`)).statusCode).toBe(422);
    const ok = await postEntry(t, slug, `![The chamber](${photo.url})`);
    expect(ok.statusCode).toBe(201);
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/entries/${ok.json().id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { body: `![](${photo.url})` } });
    expect(edit.statusCode).toBe(422);
    // Decorative: an empty alt and the title "decorative"; it renders alt="" and no title.
    const decorative = await postEntry(t, slug, `![](${photo.url} "decorative")`);
    expect(decorative.statusCode, decorative.body).toBe(201);
    const [tag] = imgTags(decorative.json().html);
    expect([attr(tag!, 'alt'), attr(tag!, 'role'), attr(tag!, 'title')]).toEqual(['', 'presentation', undefined]);
    // Hot-linked images are not asked for (they never were).
    expect((await postEntry(t, slug, '![](https://images.example.com/a.jpg)')).statusCode).toBe(201);
  });

  it("never gives an author's own img srcset, sizes or loading, nor an external image our renditions", async () => {
    const photo = await upload(noisePng(700, 500), 'p.png', 'image/png');
    const { slug } = await createPost(t);
    const bodies = [
      `<img src="${photo.url}" alt="x" srcset="javascript:alert(1) 1w, https://evil.example/p.png 2w" sizes="1px" loading="eager" onerror="alert(1)">`,
      '<img src="https://evil.example/a.png" alt="x" srcset="https://evil.example/track.png 1x" sizes="100vw" decoding="sync" role="presentation">',
      '<figure class="figure evil" onclick="alert(1)"><img src="https://evil.example/a.png" alt="x" srcset="/uploads/x.webp 1w"><figcaption class="evil">c <small class="credit evil" style="color:red">d</small></figcaption></figure>',
    ];
    const [ours = '', external = '', figure = ''] = await Promise.all(bodies.map(async (body) => (await postEntry(t, slug, body)).json().html as string));
    expect(ours).not.toMatch(/javascript:|evil\.example|sizes="1px"|onerror|loading="eager"/);
    expect(attr(imgTags(ours)[0]!, 'srcset')).toMatch(/^\/uploads\/[0-9a-f]{64}-480\.webp 480w, /);
    expect(imgTags(external)[0]).toBe('<img src="https://evil.example/a.png" alt="x" loading="lazy" decoding="async" />');
    expect(figure).toBe('<figure class="figure"><img src="https://evil.example/a.png" alt="x" loading="lazy" decoding="async" /><figcaption>c <small class="credit">d</small></figcaption></figure>');
  });
});
