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
  it('renders the post, its status and entries newest first, readable without JavaScript', async () => {
    const { slug } = await createPost(t, { title: 'Keynote <live>', description: 'Opening & close', timezone: 'America/New_York', status: 'live' });
    const ids: number[] = [];
    for (let i = 1; i <= 3; i++) ids.push((await postEntry(t, slug, `Entry **${i}**`)).json().id);
    const response = await t.app.inject(`/posts/${slug}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    const page = response.body;
    expect(page).toContain('<title>Keynote &lt;live&gt; · Liveline</title>');
    expect(page).toContain('Opening &amp; close');
    expect(page).toMatch(/<p class="status status-live" id="post-status" data-status="live"[^>]*><span class="live-dot" aria-hidden="true"><\/span><span id="post-status-text">Live<\/span>/);
    expect(page).toMatch(new RegExp(`<section id="entries"[^>]*data-slug="${slug}" data-last-seq="3"`));
    expect(articleIds(page)).toEqual([...ids].reverse());
    expect(page).toContain('<strong>2</strong>');
    expect(page).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z" title="[^"]+">\d\d:\d\d<\/time>/);
    expect(page).toContain('<link rel="canonical" href="http://liveline.test/posts/keynote-live">');
  });

  it('says without JavaScript when a scheduled post starts and when an ended one ended, in the event zone, with no live dot', async () => {
    const { slug } = await createPost(t, { title: 'Later', timezone: 'Europe/Berlin', startsAt: '2026-03-14T18:00:00.000Z' });
    let page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toMatch(/id="post-status" data-status="scheduled" data-starts-at="2026-03-14T18:00:00.000Z" data-ended-at=""><span id="post-status-text">Starts Saturday,? 14 March 2026 at 19:00 CET<\/span>/);
    expect(page).not.toContain('live-dot');
    expect(page).toContain('Event time zone: Europe/Berlin');
    const { slug: undated } = await createPost(t, { title: 'Some day' });
    page = (await t.app.inject(`/posts/${undated}`)).body;
    expect(page).toMatch(/<span id="post-status-text">Upcoming<\/span>/);
    // No start time yet: no date that would read like one.
    expect(page).toMatch(/<p class="meta" hidden>/);

    const patch = await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': '"1"' }, payload: { status: 'ended' } });
    expect(patch.statusCode).toBe(200);
    const endedAt = new Date(patch.json().endedAt as string);
    const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZoneName: 'short', timeZone: 'Europe/Berlin' }).format(endedAt);
    page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toContain(`<span id="post-status-text">Ended at ${clock} on `);
    expect(page).not.toContain('live-dot');
  });

  it('links to earlier entries with ?before= when a post has more than 50', async () => {
    const { slug } = await createPost(t);
    const ids: number[] = [];
    for (let i = 1; i <= 60; i++) ids.push((await postEntry(t, slug, `Entry ${i}`)).json().id);
    const page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(articleIds(page)).toEqual(ids.slice(10).reverse());
    const href = /<a href="(\/posts\/[^"]+\?before=[^"]+)" rel="prev"/.exec(page)?.[1];
    expect(href).toBeTruthy();
    const earlier = (await t.app.inject(href!)).body;
    expect(articleIds(earlier)).toEqual(ids.slice(0, 10).reverse());
    expect(earlier).not.toContain('rel="prev"');
  });

  it('never serves a stale live edge: new, edited and deleted entries and post changes show on the next load', async () => {
    const { slug } = await createPost(t);
    const first = (await postEntry(t, slug, 'First take')).json();
    expect((await t.app.inject(`/posts/${slug}`)).body).toContain('First take');
    const second = (await postEntry(t, slug, 'Second take')).json();
    expect(articleIds((await t.app.inject(`/posts/${slug}`)).body)).toEqual([second.id, first.id]);
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/entries/${first.id}`, headers: { ...t.auth('editor'), 'if-match': '1' }, payload: { body: 'Corrected take' } });
    expect(edit.statusCode).toBe(200);
    let page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toContain('Corrected take');
    expect(page).not.toContain('First take');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/entries/${second.id}`, headers: { ...t.auth('editor'), 'if-match': '1' } })).statusCode).toBe(204);
    expect(articleIds((await t.app.inject(`/posts/${slug}`)).body)).toEqual([first.id]);
    await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': '1' }, payload: { title: 'Renamed' } });
    page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toContain('<h1 id="post-title">Renamed</h1>');
    // The cached page is per origin: canonical URLs never leak from one Host to another.
    expect(page).toContain('href="http://liveline.test/posts/');
  });

  it('lists posts on the home page grouped by status', async () => {
    await createPost(t, { title: 'Now', status: 'live' });
    await createPost(t, { title: 'Later', startsAt: new Date(Date.now() + 3_600_000).toISOString() });
    await createPost(t, { title: 'Before', status: 'ended' });
    const page = (await t.app.inject('/')).body;
    const order = ['posts-live', 'posts-scheduled', 'posts-ended'].map((id) => page.indexOf(`id="${id}"`));
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).toContain('<a href="/posts/later">Later</a>');
  });

  it('ignores a cursor it did not issue, whatever its characters', async () => {
    const { slug } = await createPost(t);
    for (const before of ['%E2%82%AC', 'a%0ab', 'garbage']) {
      const response = await t.app.inject(`/posts/${slug}?before=${before}`);
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('id="entries"');
    }
  });

  it('answers an unknown post with an HTML 404', async () => {
    const response = await t.app.inject('/posts/missing');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Not found');
  });
});
