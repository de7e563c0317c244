import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Issue 15, orientation, as the server renders it (what a reader without JavaScript gets, and the
 * first paint for everyone): the order of the stream, the "Key moments only" view, the editors'
 * summary, the pinned entry shown once, "Updated 10:45", and day separators in the event's zone.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const articleIds = (html: string) => [...html.matchAll(/<article class="entry[^"]*" id="entry-(\d+)" data-entry-id="(\d+)"/g)].map((match) => Number(match[2]));
const withoutJsonLd = (html: string) => html.replace(/<script type="application\/ld\+json">[\s\S]*?<\/script>/, '');
const page = async (url: string) => (await t.app.inject(url)).body;
const patchPost = (slug: string, version: number, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': String(version) }, payload });
const entry = (slug: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('editor'), payload });

describe('the order of the stream', () => {
  it('opens a live post newest first and an ended one oldest first with "Jump to latest"; ?order= chooses', async () => {
    const { slug, version } = await createPost(t, { title: 'Order', status: 'live' });
    const ids: number[] = [];
    for (let i = 1; i <= 3; i++) ids.push((await postEntry(t, slug, `Entry ${i}`)).json().id);
    let live = await page(`/posts/${slug}`);
    expect(articleIds(live)).toEqual([...ids].reverse());
    expect(live).toMatch(/<a href="\/posts\/order\?order=newest" data-order="newest" aria-current="true">Newest<\/a><a href="\/posts\/order\?order=oldest" data-order="oldest">Oldest<\/a>/);
    expect(live).toMatch(/<a class="jump-latest" id="jump-latest" href="#entry-\d+" hidden>/);
    live = await page(`/posts/${slug}?order=oldest`);
    expect(articleIds(live)).toEqual(ids);
    expect(live).toContain('data-order-source="url"');
    expect(live).toMatch(/data-order="oldest" aria-current="true">Oldest/);
    // The filter link keeps the chosen order.
    expect(live).toContain('href="/posts/order?filter=key&amp;order=oldest"');

    expect((await patchPost(slug, version, { status: 'ended' })).statusCode).toBe(200);
    const ended = await page(`/posts/${slug}`);
    expect(articleIds(ended)).toEqual(ids);
    expect(ended).toContain(`<a class="jump-latest" id="jump-latest" href="#entry-${ids[2]}">Jump to latest</a>`);
    expect(articleIds(await page(`/posts/${slug}?order=newest`))).toEqual([...ids].reverse());
  });

  it('opens an ended post of more than a page at its first entry, with later pages forward and "Jump to latest" to the newest', async () => {
    const { slug, version } = await createPost(t, { title: 'Long', status: 'live' });
    const ids: number[] = [];
    for (let i = 1; i <= 120; i++) ids.push((await postEntry(t, slug, `Entry ${i}`)).json().id);
    // While live, the page is the latest 50, newest first.
    expect(articleIds(await page(`/posts/${slug}`))).toEqual(ids.slice(70).reverse());
    expect((await patchPost(slug, version, { status: 'ended' })).statusCode).toBe(200);

    const start = await page(`/posts/${slug}`);
    expect(articleIds(start)).toEqual(ids.slice(0, 50));
    expect(start).not.toContain('id="load-earlier"');
    const later = /<a href="\/posts\/long\?after=([\w-]+)" rel="next" id="load-later" data-cursor="([\w-]+)">Load later entries<\/a>/.exec(start);
    expect(later?.[1]).toBe(later?.[2]);
    // The newest entry is not on this page: "Jump to latest" opens the newest-first view.
    expect(start).toContain('<a class="jump-latest" id="jump-latest" href="/posts/long?order=newest">Jump to latest</a>');
    expect(start).toContain('data-live="true"');
    expect(articleIds(await page(`/posts/${slug}?order=newest`))).toEqual(ids.slice(70).reverse());
    expect(articleIds(await page(`/posts/${slug}?order=oldest`))).toEqual(ids.slice(0, 50));

    // Without JavaScript, the link pages forward; the last page has no link, and each leads back.
    const second = await page(`/posts/${slug}?after=${later![1]}`);
    expect(articleIds(second)).toEqual(ids.slice(50, 100));
    expect(second).toContain('data-live="false"');
    expect(second).toContain('>Back to the start</a>');
    expect(second).toContain('id="load-earlier"');
    const third = await page(`/posts/${slug}?after=${/id="load-later" data-cursor="([\w-]+)"/.exec(second)![1]}`);
    expect(articleIds(third)).toEqual(ids.slice(100));
    expect(third).not.toContain('id="load-later"');

    // The API reads forward the same way.
    const first = (await t.app.inject(`/api/posts/${slug}/entries?after=start&limit=50`)).json();
    expect(first.entries.map((entry: { id: number }) => entry.id)).toEqual(ids.slice(0, 50));
    expect(first.nextCursor).toBeNull();
    const next = (await t.app.inject(`/api/posts/${slug}/entries?after=${first.laterCursor}&limit=100`)).json();
    expect(next.entries.map((entry: { id: number }) => entry.id)).toEqual(ids.slice(50));
    expect(next.laterCursor).toBeNull();
    expect(next.nextCursor).toEqual(expect.any(String));
  });

  it('refuses a forward cursor it did not issue, and before with after, as problems', async () => {
    const { slug } = await createPost(t, { title: 'Cursors', status: 'live' });
    await postEntry(t, slug, 'Hello');
    const foreign = await t.app.inject(`/api/posts/${slug}/entries?after=bm90LWEtY3Vyc29y`);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.headers['content-type']).toContain('application/problem+json');
    expect(foreign.json().errors).toEqual([{ field: 'querystring.after', message: 'is not a valid cursor' }]);
    const both = await t.app.inject(`/api/posts/${slug}/entries?after=start&before=x`);
    expect(both.statusCode).toBe(400);
    // The page ignores a foreign cursor, as it does for ?before=.
    expect((await t.app.inject(`/posts/${slug}?after=bm90LWEtY3Vyc29y`)).statusCode).toBe(200);
  });

  it('ignores an order or filter it does not know, and keeps its page cache bounded whatever is asked', async () => {
    const { slug } = await createPost(t, { title: 'Bounded', status: 'live' });
    await postEntry(t, slug, 'Hello');
    const plain = await page(`/posts/${slug}`);
    for (const query of ['order=sideways', 'filter=everything', 'order=%00', `order=${'x'.repeat(500)}`]) {
      const response = await t.app.inject(`/posts/${slug}?${query}`);
      expect(response.statusCode, query).toBe(200);
      expect(response.body, query).toBe(plain);
    }
  });

  it('keeps the view when a renamed post redirects', async () => {
    const { slug, version } = await createPost(t, { title: 'Old name', status: 'live' });
    expect((await patchPost(slug, version, { slug: 'new-name' })).statusCode).toBe(200);
    const response = await t.app.inject(`/posts/${slug}?filter=key&order=oldest`);
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe('/posts/new-name?order=oldest&filter=key');
  });
});

describe('"Key moments only"', () => {
  it('shows only the key moments, without an earlier link, with a way back to every entry', async () => {
    const { slug } = await createPost(t, { title: 'Keys', status: 'live' });
    const keys: number[] = [];
    for (let i = 1; i <= 60; i++) {
      const response = await entry(slug, { body: `Entry ${i}`, keyEvent: i % 10 === 0 });
      if (i % 10 === 0) keys.push(response.json().id);
    }
    const all = await page(`/posts/${slug}`);
    expect(all).toContain('rel="prev"');
    // The box lists the newest first; "All 6 key moments" opens the view without JavaScript.
    expect([...all.matchAll(/<li data-key-id="(\d+)"/g)].map((match) => Number(match[1]))).toEqual([...keys].reverse());
    expect(all).toContain('<a class="key-moments-all" id="key-moments-all" href="/posts/keys?filter=key">All 6 key moments</a>');

    const filtered = await page(`/posts/${slug}?filter=key`);
    expect(articleIds(filtered)).toEqual([...keys].reverse());
    expect(filtered).not.toContain('rel="prev"');
    expect(filtered).toContain('data-filter="key"');
    expect(filtered).toMatch(/<a href="\/posts\/keys" data-filter="all">All entries<\/a><a href="\/posts\/keys\?filter=key" data-filter="key" aria-current="true">Key moments only<\/a>/);
    // A cursor means nothing in this view.
    expect(articleIds(await page(`/posts/${slug}?filter=key&before=garbage`))).toEqual([...keys].reverse());
  });

  it('says so when a post has none yet', async () => {
    const { slug } = await createPost(t, { title: 'No keys', status: 'live' });
    await postEntry(t, slug, 'Ordinary');
    const filtered = await page(`/posts/${slug}?filter=key`);
    expect(articleIds(filtered)).toEqual([]);
    expect(filtered).toMatch(/<p class="empty" id="empty">No key moments yet/);
  });
});

describe('"What we know"', () => {
  it('is Markdown the editors keep in the post settings, sanitized like entries, on the page and in the change', async () => {
    const { slug, version } = await createPost(t, { title: 'Summary', status: 'live', summary: '- Doors at **nine**' });
    expect(await page(`/posts/${slug}`)).toContain('<div class="summary-body" id="summary-body"><ul>\n<li>Doors at <strong>nine</strong></li>\n</ul>\n</div>');
    const patched = await patchPost(slug, version, { summary: '- Keynote at ten <script>alert(1)</script>\n- [More](javascript:alert(1))' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ summary: '- Keynote at ten <script>alert(1)</script>\n- [More](javascript:alert(1))' });
    const html = patched.json().summaryHtml as string;
    expect(html).toContain('<li>Keynote at ten </li>');
    expect(html).not.toMatch(/script|javascript/);
    const { changes } = (await t.app.inject(`/api/posts/${slug}/changes?since=0`)).json() as { changes: { type: string; post?: { summaryHtml: string } }[] };
    expect(changes.at(-1)).toMatchObject({ type: 'post.updated', post: { summaryHtml: html } });
    expect(await page(`/posts/${slug}`)).not.toContain('<script>alert');

    // Emptied, the box is hidden; too long, it is refused like any bad field.
    expect((await patchPost(slug, version + 1, { summary: '' })).statusCode).toBe(200);
    expect(await page(`/posts/${slug}`)).toContain('<section class="summary" id="summary" aria-labelledby="summary-title" hidden>');
    const tooLong = await patchPost(slug, version + 2, { summary: 'x'.repeat(2001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('entry anatomy', () => {
  it('says "Updated 10:45" on an edited entry, and shows the pinned entry once, above the stream', async () => {
    const { slug } = await createPost(t, { title: 'Anatomy', status: 'live', timezone: 'Europe/Berlin' });
    const first = (await postEntry(t, slug, 'Teh keynote')).json();
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/entries/${first.id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { body: 'The keynote' } });
    const updatedAt = edit.json().updatedAt as string;
    let body = await page(`/posts/${slug}`);
    expect(body).toContain(`<span class="edited">Updated <time datetime="${updatedAt}"`);
    expect(body).not.toMatch(/>edited</);

    const pinned = (await postEntry(t, slug, 'Follow along here')).json();
    expect((await t.app.inject({ method: 'PUT', url: `/api/entries/${pinned.id}/pin`, headers: t.auth('author') })).statusCode).toBe(200);
    body = await page(`/posts/${slug}`);
    // Once on the page (JSON-LD aside): in the box, not again in the stream.
    expect(withoutJsonLd(body).match(/Follow along here/g)).toHaveLength(1);
    expect(body).toMatch(new RegExp(`<div class="pinned-body entry" id="pinned-body" data-pinned-id="${pinned.id}"><header>`));
    expect(body).toMatch(new RegExp(`id="entry-${pinned.id}"[^>]*>\\n<header>[\\s\\S]*?</header>\\n\\n<p class="pinned-note">Pinned above. <a href="#pinned">Read the pinned entry</a></p>`));
  });
});

describe('day separators', () => {
  it('mark each day in the event zone when the entries cross midnight, and nothing otherwise', async () => {
    const { slug } = await createPost(t, { title: 'Night', status: 'live', timezone: 'America/New_York' });
    // 23:30 and 00:30 in New York (04:30 and 05:30 UTC the next day).
    await entry(slug, { body: 'Before midnight', createdAt: '2026-03-14T03:30:00.000Z' });
    expect(await page(`/posts/${slug}`)).not.toContain('day-separator');
    await entry(slug, { body: 'After midnight', createdAt: '2026-03-14T04:30:00.000Z' });
    const body = withoutJsonLd(await page(`/posts/${slug}`));
    const separators = [...body.matchAll(/<h2 class="day-separator" data-day="([\d-]+)">([^<]+)<\/h2>/g)].map((match) => [match[1], match[2]]);
    expect(separators).toEqual([
      ['2026-03-14', 'Saturday, 14 March 2026'],
      ['2026-03-13', 'Friday, 13 March 2026'],
    ]);
    expect(body.indexOf('Saturday, 14 March')).toBeLessThan(body.indexOf('After midnight'));
    expect(body.indexOf('After midnight')).toBeLessThan(body.indexOf('Friday, 13 March'));
    expect(body.indexOf('Friday, 13 March')).toBeLessThan(body.indexOf('Before midnight'));
  });
});
