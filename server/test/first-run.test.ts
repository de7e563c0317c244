import { afterEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';
import { loginAs, PASSWORD } from './session-helpers.js';

/**
 * A newsroom's first minutes (issue 14, "First run"): the home page of a fresh install leads to
 * the setup page, then to the newsroom; the newsroom's post list says what each post is doing.
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('first run', () => {
  it('the home page of a fresh install links to the setup page, and to the newsroom once an account exists', async () => {
    t = await createTestApp({}, { withTokens: false });
    const fresh = await t.app.inject('/');
    expect(fresh.body).toContain('href="/setup"');
    expect(fresh.body).not.toContain('POST /api/posts');
    const etag = fresh.headers.etag as string;

    await t.app.inject({ method: 'POST', url: '/setup', payload: { name: 'Ada', email: 'ada@example.org', password: PASSWORD } });
    // The cached page must not keep pointing at a setup page that is gone.
    const after = await t.app.inject({ url: '/', headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('href="/admin"');
    expect(after.body).not.toContain('href="/setup"');
  });

  it('the newsroom without posts says what to do, for editors and for authors', async () => {
    t = await createTestApp();
    const editor = await loginAs(t, 'editor');
    const editorPage = await t.app.inject({ url: '/admin', headers: { cookie: editor.cookie } });
    expect(editorPage.body).toContain('id="post-list-empty"');
    expect(editorPage.body).toContain('id="new-post"');
    const author = await loginAs(t, 'author');
    const authorPage = await t.app.inject({ url: '/admin', headers: { cookie: author.cookie } });
    expect(authorPage.body).toMatch(/Ask an editor/);
    expect(authorPage.body).not.toContain('id="new-post"');
  });

  it('the post list shows each post with its status, live entry count and last update', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    await createPost(t, { title: 'Tomorrow', status: 'scheduled' });
    for (const body of ['One', 'Two', 'Three']) await postEntry(t, slug, body);
    const doomed = (await postEntry(t, slug, 'Gone')).json() as { id: number; version: number };
    await t.app.inject({ method: 'DELETE', url: `/api/entries/${doomed.id}`, headers: { ...t.auth('author'), 'if-match': `"${doomed.version}"` } });

    const editor = await loginAs(t, 'editor');
    const page = (await t.app.inject({ url: '/admin', headers: { cookie: editor.cookie } })).body;
    const row = page.match(new RegExp(`<tr data-slug="${slug}">.*?</tr>`, 's'))?.[0] ?? '';
    expect(row).toContain('status-live');
    expect(row).toMatch(/<td class="count">3<\/td>/);
    expect(row).toMatch(/<time datetime="[^"]+"[^>]*>just now<\/time>/);
    expect(page).toMatch(/<tr data-slug="tomorrow">.*?status-scheduled.*?<td class="count">0<\/td>/s);
  });
});
