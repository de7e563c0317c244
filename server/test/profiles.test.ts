import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectUnusedUploads } from '../media/collection.js';
import { UploadDirectory } from '../media/storage.js';
import { createPost, createTestApp, type TestApp } from './helpers.js';
import { loginAs, type Login } from './session-helpers.js';
import { multipart } from './upload-fixtures.js';

/**
 * Bylines (issue 17): a person's profile, its page in the newsroom, and the avatar, cropped
 * square and kept while the profile points at it.
 */
let t: TestApp;
let ada: Login;
beforeAll(async () => {
  t = await createTestApp();
  ada = await loginAs(t, 'author');
});
afterAll(async () => {
  await t.close();
});

const DAY = 24 * 60 * 60 * 1000;

it('saves a display name and role title; the profile page shows them and never the email', async () => {
  const saved = await t.app.inject({ method: 'PATCH', url: '/api/profile', headers: ada.headers, payload: { displayName: '  Ada Lovelace ', jobTitle: 'Senior reporter' } });
  expect(saved.statusCode, saved.body).toBe(200);
  expect(saved.json()).toMatchObject({ id: ada.userId, accountName: 'author person', displayName: 'Ada Lovelace', jobTitle: 'Senior reporter', avatar: null });
  expect(saved.body).not.toContain('@example.org');
  const page = await t.app.inject({ method: 'GET', url: '/admin/profile', headers: { cookie: ada.cookie } });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain('value="Ada Lovelace"');
  expect(page.body).toContain('value="Senior reporter"');
  // Blank clears it: the account's name is the byline again.
  const cleared = await t.app.inject({ method: 'PATCH', url: '/api/profile', headers: ada.headers, payload: { displayName: '' } });
  expect(cleared.json().displayName).toBeNull();
  const bad = await t.app.inject({ method: 'PATCH', url: '/api/profile', headers: ada.headers, payload: { email: 'x@y.z' } });
  expect(bad.statusCode).toBe(400);
  expect(bad.headers['content-type']).toContain('application/problem+json');
  expect((await t.app.inject({ method: 'GET', url: '/admin/profile' })).statusCode).toBe(303);
});

it('crops an uploaded avatar square (256 × 256) and keeps it while the profile points at it', async () => {
  const wide = await sharp({ create: { width: 800, height: 300, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
  const { payload, headers } = multipart('me.jpg', 'image/jpeg', wide);
  const response = await t.app.inject({ method: 'PUT', url: '/api/profile/avatar', headers: { ...ada.headers, ...headers }, payload });
  expect(response.statusCode, response.body).toBe(200);
  const avatar = response.json().avatar as string;
  expect(avatar).toMatch(/^\/uploads\/[0-9a-f]{64}\.webp$/);
  const served = await t.app.inject({ method: 'GET', url: avatar });
  expect(served.statusCode).toBe(200);
  expect(await sharp(served.rawPayload).metadata()).toMatchObject({ width: 256, height: 256, format: 'webp' });

  // Long after, collection takes the unused original but keeps the avatar.
  const dir = t.app.config.storage.uploads.dir;
  const old = new Date(Date.now() - 2 * DAY);
  t.app.stores.db.prepare('UPDATE uploads SET created_at = ?, last_uploaded_at = ?').run(old.toISOString(), old.toISOString());
  const fileName = avatar.slice('/uploads/'.length);
  utimesSync(join(dir, fileName), old, old);
  const report = collectUnusedUploads(t.app.stores.db, t.app.stores.uploads, new UploadDirectory(dir), DAY);
  expect(report.unused).toHaveLength(1);
  expect(report.unused).not.toContain(fileName);
  expect(existsSync(join(dir, fileName))).toBe(true);

  // Not an image: refused with a problem, the profile unchanged.
  const text = multipart('me.png', 'image/png', Buffer.from('not an image'));
  const refused = await t.app.inject({ method: 'PUT', url: '/api/profile/avatar', headers: { ...ada.headers, ...text.headers }, payload: text.payload });
  expect(refused.statusCode).toBe(422);
  expect(refused.headers['content-type']).toContain('application/problem+json');
  expect((await t.app.inject({ method: 'GET', url: '/api/profile', headers: ada.headers })).json().avatar).toBe(avatar);
  // Removing it.
  const removed = await t.app.inject({ method: 'DELETE', url: '/api/profile/avatar', headers: ada.headers });
  expect(removed.json().avatar).toBeNull();
  expect((await t.app.inject({ method: 'DELETE', url: '/api/profile/avatar' })).statusCode).toBe(401);
});

it('a byline change is a new page: the reader page is not served from before it', async () => {
  const { slug } = await createPost(t, { title: 'Byline cache' });
  expect((await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: ada.headers, payload: { body: 'Hello' } })).statusCode).toBe(201);
  const before = await t.app.inject(`/posts/${slug}`);
  expect(before.body).toContain('<span class="author">author person</span>');
  await t.app.inject({ method: 'PATCH', url: '/api/profile', headers: ada.headers, payload: { displayName: 'Ada King' } });
  const after = await t.app.inject({ method: 'GET', url: `/posts/${slug}`, headers: { 'if-none-match': String(before.headers.etag) } });
  expect(after.statusCode).toBe(200);
  expect(after.body).toContain('<span class="author">Ada King</span>');
});
