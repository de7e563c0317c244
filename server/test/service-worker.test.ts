import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_DIST } from '../render/assets.js';
import { createPost, createTestApp, type TestApp } from './helpers.js';
import { loginAs } from './session-helpers.js';

/**
 * The newsroom's service worker (issue 14, "the composer opens offline") is served where it can
 * look after /admin, and the composer pages say whose they are, so the worker keeps them per user
 * (client/newsroom/offline-cache.ts). The browser side is e2e/desk-offline.spec.ts.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const built = existsSync(`${CLIENT_DIST}/manifest.json`);

describe('the newsroom service worker', () => {
  it.runIf(built)('is served at /admin/sw.js for the scope /admin, looked for again on every visit', async () => {
    const manifest = JSON.parse(readFileSync(`${CLIENT_DIST}/manifest.json`, 'utf8')) as Record<string, string>;
    const response = await t.app.inject('/admin/sw.js');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['service-worker-allowed']).toBe('/admin');
    expect(response.headers['cache-control']).not.toContain('immutable');
    expect(response.body).toBe(readFileSync(`${CLIENT_DIST}/${manifest['sw.js']}`, 'utf8'));
    // It keeps this build's newsroom assets, by their hashed names.
    for (const name of ['newsroom.js', 'styles.css', 'newsroom.css']) expect(response.body).toContain(`/assets/${manifest[name]}`);
  });

  it("composer pages name their user and stay private, no-store; without a session there is nobody's page", async () => {
    const { slug } = await createPost(t);
    const author = await loginAs(t, 'author');
    const page = await t.app.inject({ url: `/admin/posts/${slug}`, headers: { cookie: author.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['liveline-user']).toBe(String(author.userId));
    expect(page.headers['cache-control']).toBe('private, no-store');
    const anonymous = await t.app.inject(`/admin/posts/${slug}`);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers['liveline-user']).toBeUndefined();
  });
});
