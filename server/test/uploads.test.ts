import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Upload } from '../../contract/index.js';
import { createTestApp, until, type TestApp } from './helpers.js';
import { multipart, noisePng, PNG } from './upload-fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const uploads = () => join(t.dir, 'uploads');

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
  it('stores a PNG under its SHA-256 and serves it with immutable caching', async () => {
    const { payload, headers } = multipart('stage photo.png', 'image/png', PNG);
    const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
    expect(response.statusCode).toBe(201);
    const sha = createHash('sha256').update(PNG).digest('hex');
    expect(response.json()).toMatchObject({ url: `/uploads/${sha}.png`, mimeType: 'image/png', size: PNG.length, markdown: `![stage photo](/uploads/${sha}.png)` });
    expect(existsSync(join(t.dir, 'uploads', `${sha}.png`))).toBe(true);
    const served = await t.app.inject({ method: 'GET', url: `/uploads/${sha}.png` });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toMatch(/immutable/);
    expect(served.rawPayload.equals(PNG)).toBe(true);
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

  it('streams an upload to disk as it arrives: a 9 MB image reaches the disk before its last byte is sent, and is stored byte for byte', async () => {
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
    expect(stored.equals(image)).toBe(true);
    expect(readdirSync(join(uploads(), '.incoming'))).toEqual([]);
  });

  it('needs a logged-in user', async () => {
    const { payload, headers } = multipart('a.png', 'image/png', PNG);
    expect((await t.app.inject({ method: 'POST', url: '/api/uploads', headers, payload })).statusCode).toBe(401);
  });
});
