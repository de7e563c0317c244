import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const articleIds = (html: string) => [...html.matchAll(/<article class="entry[^"]*" id="entry-(\d+)" data-entry-id="(\d+)"/g)].map((match) => Number(match[2]));

describe('reader page', () => {
  it('renders the post, its status and entries oldest first, readable without JavaScript', async () => {
    const { slug } = await createPost(t, { title: 'Keynote <live>', description: 'Opening & close', timezone: 'America/New_York' });
    const ids: number[] = [];
    for (let i = 1; i <= 3; i++) ids.push((await postEntry(t, slug, `Entry **${i}**`)).json().id);
    const response = await t.app.inject(`/posts/${slug}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    const page = response.body;
    expect(page).toContain('<title>Keynote &lt;live&gt; · Liveline</title>');
    expect(page).toContain('Opening &amp; close');
    expect(page).toMatch(/<p class="status status-live" id="post-status">Live<\/p>/);
    expect(page).toMatch(new RegExp(`<section id="entries"[^>]*data-slug="${slug}" data-last-seq="3"`));
    expect(articleIds(page)).toEqual(ids);
    expect(page).toContain('<strong>2</strong>');
    expect(page).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z" title="[^"]+">\d\d:\d\d<\/time>/);
    expect(page).toContain('<link rel="canonical" href="http://liveline.test/posts/keynote-live">');
  });

  it('links to earlier entries with ?before= when a post has more than 50', async () => {
    const { slug } = await createPost(t);
    const ids: number[] = [];
    for (let i = 1; i <= 60; i++) ids.push((await postEntry(t, slug, `Entry ${i}`)).json().id);
    const page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(articleIds(page)).toEqual(ids.slice(10));
    const href = /<a href="(\/posts\/[^"]+\?before=[^"]+)" rel="prev"/.exec(page)?.[1];
    expect(href).toBeTruthy();
    const earlier = (await t.app.inject(href!)).body;
    expect(articleIds(earlier)).toEqual(ids.slice(0, 10));
    expect(earlier).not.toContain('rel="prev"');
  });

  it('never serves a stale live edge: new, edited and deleted entries show on the next load', async () => {
    const { slug } = await createPost(t);
    const first = (await postEntry(t, slug, 'First take')).json();
    expect((await t.app.inject(`/posts/${slug}`)).body).toContain('First take');
    const second = (await postEntry(t, slug, 'Second take')).json();
    let page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(articleIds(page)).toEqual([first.id, second.id]);
    const headers = { authorization: `Bearer ${t.tokens.editor}`, 'if-match': String(first.version) };
    expect((await t.app.inject({ method: 'PATCH', url: `/api/entries/${first.id}`, headers, payload: { body: 'Corrected take' } })).statusCode).toBe(200);
    page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toContain('Corrected take');
    expect(page).not.toContain('First take');
    const remove = { authorization: `Bearer ${t.tokens.editor}`, 'if-match': String(second.version) };
    expect((await t.app.inject({ method: 'DELETE', url: `/api/entries/${second.id}`, headers: remove })).statusCode).toBe(204);
    expect(articleIds((await t.app.inject(`/posts/${slug}`)).body)).toEqual([first.id]);
  });

  it('answers a revalidation of the live edge with 304 while nothing changed', async () => {
    const { slug } = await createPost(t);
    await postEntry(t, slug, 'Only entry');
    const first = await t.app.inject(`/posts/${slug}`);
    const etag = String(first.headers.etag);
    expect((await t.app.inject({ url: `/posts/${slug}`, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    await postEntry(t, slug, 'Another entry');
    const after = await t.app.inject({ url: `/posts/${slug}`, headers: { 'if-none-match': etag } });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Another entry');
  });

  it('lists posts on the home page grouped by status', async () => {
    await createPost(t, { title: 'Now' });
    await createPost(t, { title: 'Later', startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    await createPost(t, { title: 'Before', status: 'ended' });
    const page = (await t.app.inject('/')).body;
    const order = ['posts-live', 'posts-scheduled', 'posts-ended'].map((id) => page.indexOf(`id="${id}"`));
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).toContain('<a href="/posts/later">Later</a>');
  });

  it('answers an unknown post with an HTML 404', async () => {
    const response = await t.app.inject('/posts/missing');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Not found');
  });
});
