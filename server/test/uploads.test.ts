import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.js';
import { multipart, PNG } from './upload-fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

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
  });

  it('checks the type from the bytes, not the name or the declared type', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const { payload, headers } = multipart('cat.png', 'image/png', html);
    const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toMatch(/PNG, JPEG, GIF and WebP/);
  });

  it('refuses files over 10 MB with 413', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    const { payload, headers } = multipart('big.png', 'image/png', big);
    const response = await t.app.inject({ method: 'POST', url: '/api/uploads', headers: { ...headers, ...t.auth('author') }, payload });
    expect(response.statusCode).toBe(413);
  });

  it('needs a logged-in user', async () => {
    const { payload, headers } = multipart('a.png', 'image/png', PNG);
    expect((await t.app.inject({ method: 'POST', url: '/api/uploads', headers, payload })).statusCode).toBe(401);
  });
});
