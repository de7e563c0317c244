import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Upload } from '../../contract/index.js';
import { collectUnusedUploads } from '../media/collection.js';
import { UploadDirectory } from '../media/storage.js';
import { createPost, createTestApp, postEntry, until, type TestApp } from './helpers.js';
import { bombPng, claimedPng, multipart, noisePng, PNG } from './upload-fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const uploads = () => join(t.dir, 'uploads');

/** An image's decoded pixels, RGBA, whatever its encoding. */
const pixels = (image: Buffer) => sharp(image).ensureAlpha().raw().toBuffer();

/** Every byte under a directory, its subdirectories included. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, item) => {
    const path = join(dir, item.name);
    return sum + (item.isDirectory() ? bytesUnder(path) : statSync(path).size);
  }, 0);
}

/** The files an upload may leave behind: stored ones and any still in `.incoming/`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => (item.isDirectory() ? filesUnder(join(dir, item.name)).map((name) => `${item.name}/${name}`) : [item.name]));
}

describe('uploads', () => {
  it('stores an image under the SHA-256 of the stored bytes and serves it with immutable caching', async () => {
    const { payload, headers } = multipart('stage photo.png', 'image/png', PNG);
    const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
    expect(response.statusCode).toBe(201);
    const { url, fileName, size } = response.json() as Upload;
    const served = await t.app.inject({ method: 'GET', url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Feed readers and partner sites may show uploads; nothing else widens.
    expect(served.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((await t.app.inject({ method: 'GET', url: '/' })).headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    // The image is written again (without metadata), so the address is that of the stored bytes.
    const sha = createHash('sha256').update(served.rawPayload).digest('hex');
    expect(response.json()).toMatchObject({ url: `/uploads/${sha}.png`, mimeType: 'image/png', size: served.rawPayload.length, markdown: `![stage photo](/uploads/${sha}.png)` });
    expect(existsSync(join(uploads(), fileName))).toBe(true);
    expect(size).toBe(statSync(join(uploads(), fileName)).size);
    expect(await pixels(served.rawPayload)).toEqual(await pixels(PNG));
    // The same bytes again: the same name, one file.
    const again = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('editor') }, payload });
    expect(again.json().url).toBe(`/uploads/${sha}.png`);
    // Files still being received are never served.
    writeFileSync(join(uploads(), '.incoming', 'partial'), PNG);
    expect((await t.app.inject({ method: 'GET', url: '/uploads/.incoming/partial' })).statusCode).toBe(404);
  });

  it('checks the type from the bytes, not the name or the declared type', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const { payload, headers } = multipart('cat.png', 'image/png', html);
    const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toMatch(/PNG, JPEG, GIF and WebP/);
  });

  it('refuses files over 10 MB with 413, leaving nothing behind', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    const { payload, headers } = multipart('big.png', 'image/png', big);
    const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ type: '/problems/image-too-large', detail: 'Images may be at most 10 MB.' });
    expect(filesUnder(uploads())).toEqual([]);
  });

  it('streams an upload to disk as it arrives: a 9 MB image reaches the disk before its last byte is sent, and is stored pixel for pixel', async () => {
    const image = noisePng(1780, 1780);
    expect(image.length).toBeGreaterThan(9 * 1024 * 1024);
    const { payload, headers } = multipart('crowd.png', 'image/png', image);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/uploads', headers: { ...headers, ...t.auth('author'), 'content-length': String(payload.length) } });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (text: string) => (body += text));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
    });
    const last = 1024 * 1024;
    request.write(payload.subarray(0, payload.length - last));
    try {
      // A server that buffers the request writes nothing until the last byte is in.
      await until(() => bytesUnder(uploads()) > 4 * 1024 * 1024, 'the image to be written while it is still arriving', 10_000);
    } catch (error) {
      request.destroy();
      throw error;
    }
    request.end(payload.subarray(payload.length - last));
    const { status, body } = await answered;
    expect(status, body).toBe(201);
    const stored = readFileSync(join(uploads(), (JSON.parse(body) as Upload).fileName));
    expect((await pixels(stored)).equals(await pixels(image))).toBe(true);
    expect(readdirSync(join(uploads(), '.incoming'))).toEqual([]);
  });

  it('needs a logged-in user', async () => {
    const { payload, headers } = multipart('a.png', 'image/png', PNG);
    expect((await t.app.inject({ method: 'POST', url: '/api/uploads', headers, payload })).statusCode).toBe(401);
  });
});

describe('upload quotas', () => {
  /** Uploads `image` as `who` over inject. */
  const send = (app: TestApp, who: keyof TestApp['tokens'], image: Buffer) => {
    const { payload, headers } = multipart('photo.png', 'image/png', image);
    return app.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...app.auth(who) }, payload });
  };
  const rows = (app: TestApp) => (app.app.stores.db.prepare('SELECT count(*) AS n FROM uploads').get() as { n: number }).n;

  it('refuses a person over their quota with 413 and writes nothing; others and bytes already stored still go in', async () => {
    const q = await createTestApp({ UPLOAD_QUOTA_PER_USER_MB: '1' });
    try {
      const [first, second] = [noisePng(450, 450), noisePng(450, 450)]; // about 0.6 MB each, 0.7 MB with its full-size WebP
      expect((await send(q, 'author', first)).statusCode).toBe(201);
      const files = filesUnder(join(q.dir, 'uploads'));
      const refused = await send(q, 'author', second);
      expect(refused.statusCode).toBe(413);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ type: '/problems/upload-quota-exceeded', quotaBytes: 1024 * 1024 });
      expect(refused.json().detail).toMatch(/^Your uploads take 0\.7 MB of your 1 MB quota; this image \(0\.7 MB\) does not fit/);
      expect(filesUnder(join(q.dir, 'uploads'))).toEqual(files);
      expect(rows(q)).toBe(1);
      // The quota is one person's: another author has room of their own.
      expect((await send(q, 'author2', second)).statusCode).toBe(201);
      // Bytes already stored take no room: uploading them again is never refused.
      expect((await send(q, 'author', first)).statusCode).toBe(201);
      expect(rows(q)).toBe(2);
    } finally {
      await q.close();
    }
  });

  it('refuses everyone once the total quota is used, with 507, and writes nothing', async () => {
    const q = await createTestApp({ UPLOAD_QUOTA_TOTAL_MB: '1' });
    try {
      expect((await send(q, 'author', noisePng(450, 450))).statusCode).toBe(201);
      const files = filesUnder(join(q.dir, 'uploads'));
      const refused = await send(q, 'author2', noisePng(450, 450));
      expect(refused.statusCode).toBe(507);
      expect(refused.json()).toMatchObject({ type: '/problems/upload-storage-full', detail: expect.stringMatching(/image storage is full \(1 MB in all\)/) });
      expect(filesUnder(join(q.dir, 'uploads'))).toEqual(files);
      expect(rows(q)).toBe(1);
    } finally {
      await q.close();
    }
  });

  it('keeps room on the disk for the database: a server short of free space answers 507 before reading the image, over a real connection', async () => {
    const q = await createTestApp({ UPLOAD_MIN_FREE_DISK_MB: '1000000000' });
    try {
      await q.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = q.app.server.address() as AddressInfo;
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(noisePng(1000, 1000))], { type: 'image/png' }), 'stage.png');
      const response = await fetch(`http://127.0.0.1:${port}/api/uploads`, { method: 'POST', headers: q.auth('author'), body: form });
      expect(response.status).toBe(507);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/disk is nearly full/);
      expect(filesUnder(join(q.dir, 'uploads'))).toEqual([]);
      expect(rows(q)).toBe(0);
    } finally {
      await q.close();
    }
  });
});

describe('collection of unused uploads', () => {
  const DAY = 24 * 60 * 60 * 1000;

  /** Uploads a fresh image as the author and returns its file name. */
  async function upload(image = noisePng(8, 8)): Promise<string> {
    const { payload, headers } = multipart('photo.png', 'image/png', image);
    const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as Upload).fileName;
  }
  const stored = (fileName: string) => existsSync(join(uploads(), fileName)) && t.app.stores.uploads.byFileName(fileName) !== undefined;
  const gone = (fileName: string) => !existsSync(join(uploads(), fileName)) && t.app.stores.uploads.byFileName(fileName) === undefined;
  /** Makes an upload look as if it was last uploaded `ms` ago (its row and its file). */
  function age(fileName: string, ms: number): void {
    const then = new Date(Date.now() - ms);
    t.app.stores.db.prepare('UPDATE uploads SET created_at = ?, last_uploaded_at = ? WHERE file_name = ?').run(then.toISOString(), then.toISOString(), fileName);
    utimesSync(join(uploads(), fileName), then, then);
  }
  const collect = () => collectUnusedUploads(t.app.stores.db, t.app.stores.uploads, new UploadDirectory(uploads()), DAY);

  it('deletes the row and the file of an old upload nothing mentions, and keeps used and fresh ones', async () => {
    const { slug } = await createPost(t);
    const [unused, inEntry, inRevision, inDeleted, inAbsolute, fresh, againToday] = await Promise.all([upload(), upload(), upload(), upload(), upload(), upload(), upload()]);
    expect((await postEntry(t, slug, `On stage: ![keynote](/uploads/${inEntry})`)).statusCode).toBe(201);
    // Only an earlier revision shows this one: restoring that version would bring it back.
    const edited = (await postEntry(t, slug, `![first try](/uploads/${inRevision})`)).json() as { id: number };
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/entries/${edited.id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { body: 'No picture after all.' } });
    expect(edit.statusCode).toBe(200);
    // A deleted entry can be restored.
    const deleted = (await postEntry(t, slug, `![gone](/uploads/${inDeleted})`)).json() as { id: number };
    expect((await t.app.inject({ method: 'DELETE', url: `/api/entries/${deleted.id}`, headers: { ...t.auth('author'), 'if-match': '1' } })).statusCode).toBe(204);
    expect((await postEntry(t, slug, `[full size](https://live.example.com/uploads/${inAbsolute})`)).statusCode).toBe(201);
    for (const fileName of [unused, inEntry, inRevision, inDeleted, inAbsolute, againToday]) age(fileName, 2 * DAY);
    // Someone uploads the same bytes again today: about to use them.
    await upload(readFileSync(join(uploads(), againToday)));
    age(fresh, DAY - 60_000);

    expect(collect().unused).toEqual([unused]);
    expect(gone(unused)).toBe(true);
    for (const fileName of [inEntry, inRevision, inDeleted, inAbsolute, fresh, againToday]) expect(stored(fileName), fileName).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/uploads/${unused}` })).statusCode).toBe(404);
    // Quotas count only what is kept: every file left, renditions included.
    expect(t.app.stores.uploads.usage(0).totalBytes).toBe(bytesUnder(uploads()));
  });

  it('collects renditions with their original, and keeps an original whose rendition is the one a text shows', async () => {
    const { slug } = await createPost(t);
    const [unused, shownAsRendition] = [await upload(noisePng(1000, 500)), await upload(noisePng(1000, 500))];
    const renditions = (fileName: string) => t.app.stores.uploads.byFileName(fileName)!.renditions.map((rendition) => rendition.fileName);
    const [unusedRenditions, shownRenditions] = [renditions(unused), renditions(shownAsRendition)];
    expect(unusedRenditions).toHaveLength(5); // 480 and 960 (PNG, WebP), and the full 1000 px in WebP
    expect((await postEntry(t, slug, `![Crowd](/uploads/${shownRenditions[0]})`)).statusCode).toBe(201);
    for (const fileName of [unused, shownAsRendition]) age(fileName, 2 * DAY);
    for (const fileName of [...unusedRenditions, ...shownRenditions]) {
      const then = new Date(Date.now() - 2 * DAY);
      utimesSync(join(uploads(), fileName), then, then);
    }

    expect(collect()).toEqual({ unused: [unused], orphans: [], abandoned: [] });
    expect(filesUnder(uploads()).sort()).toEqual(['.incoming', shownAsRendition, ...shownRenditions].filter((name) => name !== '.incoming').sort());
    // A rendition whose original has no row any more is an orphan once it is old.
    t.app.stores.db.prepare('DELETE FROM uploads').run();
    expect(collect().orphans.sort()).toEqual([shownAsRendition, ...shownRenditions].sort());
  });

  it('deletes old files without a row and files a crash left in .incoming/, but not recent ones', async () => {
    const old = new Date(Date.now() - 2 * DAY);
    const orphan = `${'a'.repeat(64)}.png`;
    const recentOrphan = `${'b'.repeat(64)}.png`;
    for (const name of [orphan, recentOrphan]) writeFileSync(join(uploads(), name), PNG);
    utimesSync(join(uploads(), orphan), old, old);
    writeFileSync(join(uploads(), '.incoming', 'crashed'), PNG);
    utimesSync(join(uploads(), '.incoming', 'crashed'), old, old);
    writeFileSync(join(uploads(), '.incoming', 'arriving'), PNG);
    writeFileSync(join(uploads(), 'README.txt'), 'not an upload');
    utimesSync(join(uploads(), 'README.txt'), old, old);

    expect(collect()).toEqual({ unused: [], orphans: [orphan], abandoned: ['crashed'] });
    expect(filesUnder(uploads()).sort()).toEqual(['.incoming/arriving', 'README.txt', recentOrphan].sort());
  });

  it('runs hourly from housekeeping', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const h = await createTestApp();
    try {
      const old = new Date(Date.now() - 2 * DAY);
      const orphan = `${'c'.repeat(64)}.png`;
      writeFileSync(join(h.dir, 'uploads', orphan), PNG);
      utimesSync(join(h.dir, 'uploads', orphan), old, old);
      vi.advanceTimersByTime(60 * 60 * 1000);
      expect(existsSync(join(h.dir, 'uploads', orphan))).toBe(false);
    } finally {
      vi.useRealTimers();
      await h.close();
    }
  });
});

describe('images are decoded before they are kept', () => {
  const send = (image: Buffer, name = 'photo.png', type = 'image/png') => {
    const { payload, headers } = multipart(name, type, image);
    return t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
  };
  const stored = async (response: { json(): unknown }) => readFileSync(join(uploads(), (response.json() as Upload).fileName));
  const GPS = { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4000/100' };
  /** The latitude's seconds as EXIF (little-endian) writes them: 2964/100. */
  const GPS_SECONDS = Buffer.from([0x94, 0x0b, 0, 0, 0x64, 0, 0, 0]);

  it('refuses a decompression bomb: a few hundred bytes that claim 100,000 × 100,000 pixels', async () => {
    const bomb = claimedPng(100_000, 100_000);
    expect(bomb.length).toBeLessThan(200);
    const response = await send(bomb);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: '/problems/image-dimensions-too-large',
      detail: 'This image is 100,000 × 100,000 pixels; images may be at most 12,000 pixels a side and 50 megapixels in all.',
      width: 100_000,
      height: 100_000,
    });
    expect(filesUnder(uploads())).toEqual([]);
  });

  it('refuses a real 30,000 × 30,000 PNG of about 100 KB with 422, before decoding a pixel', async () => {
    const bomb = bombPng(30_000, 30_000);
    expect(bomb.length).toBeLessThan(120 * 1024);
    expect(await sharp(bomb, { limitInputPixels: false }).metadata()).toMatchObject({ format: 'png', width: 30_000, height: 30_000 });
    const response = await send(bomb);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: '/problems/image-dimensions-too-large', width: 30_000, height: 30_000 });
    expect(filesUnder(uploads())).toEqual([]);
  });

  it('refuses more than 50 megapixels even when each side is allowed', async () => {
    const response = await send(claimedPng(8000, 8000));
    expect(response.statusCode).toBe(422);
    expect(response.json().type).toBe('/problems/image-dimensions-too-large');
    expect(filesUnder(uploads())).toEqual([]);
  });

  it('refuses a file that starts like an image but does not decode as one', async () => {
    const photo = noisePng(64, 64);
    for (const broken of [photo.subarray(0, photo.length / 2), Buffer.concat([photo.subarray(0, 8), Buffer.from('<html><script>alert(1)</script></html>')])]) {
      const response = await send(broken);
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ type: '/problems/invalid-image', detail: 'This file starts like a PNG image but cannot be read as one; it may be damaged.' });
    }
    expect(filesUnder(uploads())).toEqual([]);
  });

  it("strips EXIF (the camera's GPS position) and keeps the photo the right way up", async () => {
    // 40 × 20 pixels stored sideways, with "rotate 90°" in EXIF, as phones do.
    const photo = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#c33' } })
      .withExif({ IFD0: { Make: 'LivelinePhone' }, IFD3: GPS })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    expect((await sharp(photo).metadata()).exif?.toString('latin1')).toContain('LivelinePhone');
    const response = await send(photo, 'photo.jpg', 'image/jpeg');
    expect(response.statusCode, response.body).toBe(201);
    const kept = await stored(response);
    const metadata = await sharp(kept).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 20, height: 40 });
    expect([metadata.exif, metadata.xmp, metadata.iptc, metadata.orientation]).toEqual([undefined, undefined, undefined, undefined]);
    expect(kept.includes('LivelinePhone')).toBe(false);
    expect(kept.includes('GPS')).toBe(false);
  });

  it('turns a phone photo the right way up, strips its GPS position, and stores renditions of it without metadata', async () => {
    // A phone photo: 2400 × 1800 pixels stored sideways, "rotate 90°" and the GPS position in EXIF.
    const photo = await sharp(noisePng(2400, 1800))
      .withExif({ IFD0: { Make: 'LivelinePhone', Model: 'Pocket 9' }, IFD3: GPS })
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 70 })
      .toBuffer();
    expect((await sharp(photo).metadata()).exif?.includes(GPS_SECONDS)).toBe(true);
    const response = await send(photo, 'IMG_2034.jpg', 'image/jpeg');
    expect(response.statusCode, response.body).toBe(201);
    const upload = response.json() as Upload;
    // Standing up: 1800 wide, 2400 high.
    expect(upload).toMatchObject({ width: 1800, height: 2400, mimeType: 'image/jpeg' });
    const sha = upload.fileName.slice(0, 64);
    expect(upload.renditions).toEqual([
      { url: `/uploads/${sha}-480.jpg`, width: 480, height: 640, mimeType: 'image/jpeg' },
      { url: `/uploads/${sha}-480.webp`, width: 480, height: 640, mimeType: 'image/webp' },
      { url: `/uploads/${sha}-960.jpg`, width: 960, height: 1280, mimeType: 'image/jpeg' },
      { url: `/uploads/${sha}-960.webp`, width: 960, height: 1280, mimeType: 'image/webp' },
      { url: `/uploads/${sha}-1600.jpg`, width: 1600, height: 2133, mimeType: 'image/jpeg' },
      { url: `/uploads/${sha}-1600.webp`, width: 1600, height: 2133, mimeType: 'image/webp' },
    ]);
    expect(t.app.stores.uploads.byFileName(upload.fileName)).toMatchObject({ width: 1800, height: 2400, renditions: expect.arrayContaining([expect.objectContaining({ fileName: `${sha}-480.webp` })]) });
    for (const { url, width, height, mimeType } of [{ url: upload.url, width: 1800, height: 2400, mimeType: 'image/jpeg' }, ...upload.renditions]) {
      const served = await t.app.inject({ method: 'GET', url });
      expect(served.statusCode, url).toBe(200);
      expect(served.headers['content-type'], url).toBe(mimeType);
      expect(served.headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
      expect(served.headers['cross-origin-resource-policy'], url).toBe('cross-origin');
      const metadata = await sharp(served.rawPayload).metadata();
      expect(metadata, url).toMatchObject({ width, height });
      expect([metadata.exif, metadata.xmp, metadata.iptc, metadata.orientation], url).toEqual([undefined, undefined, undefined, undefined]);
      expect(served.rawPayload.includes('LivelinePhone'), url).toBe(false);
      expect(served.rawPayload.includes(GPS_SECONDS), url).toBe(false);
    }
    // Never upscaled: a small image gets only its full-size WebP.
    const small = (await send(noisePng(300, 200), 'small.png')).json() as Upload;
    expect(small.renditions).toEqual([{ url: `/uploads/${small.fileName.slice(0, 64)}-300.webp`, width: 300, height: 200, mimeType: 'image/webp' }]);
  });

  it('strips EXIF from PNG and WebP too', async () => {
    for (const [format, name] of [['png', 'map.png'], ['webp', 'map.webp']] as const) {
      const image = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#36c' } }).withExif({ IFD0: { Make: 'LivelinePhone' }, IFD3: GPS }).toFormat(format).toBuffer();
      expect((await sharp(image).metadata()).exif, format).toBeDefined();
      const response = await send(image, name, `image/${format}`);
      expect(response.statusCode, response.body).toBe(201);
      expect((await sharp(await stored(response)).metadata()).exif, format).toBeUndefined();
    }
  });

  it('keeps an animation: every frame, its delays and its loop', async () => {
    const [width, height, frames] = [10, 8, 3];
    const raw = Buffer.alloc(width * height * frames * 3, 0).map((_, i) => (i * 37) % 256);
    const gif = await sharp(raw, { raw: { width, height: height * frames, channels: 3, pageHeight: height } }).gif({ loop: 0, delay: [100, 200, 300] }).toBuffer();
    const response = await send(gif, 'clap.gif', 'image/gif');
    expect(response.statusCode, response.body).toBe(201);
    expect(await sharp(await stored(response), { animated: true }).metadata()).toMatchObject({ format: 'gif', width, pageHeight: height, pages: frames, delay: [100, 200, 300], loop: 0 });
  });
});
