import { afterEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/** Issue 15: the home page lists posts as cards (status, title, start, last update, entry count, first image). */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const cardOf = (page: string, slug: string) => new RegExp(`<li class="card" data-slug="${slug}"[\\s\\S]*?</li>`).exec(page)?.[0] ?? '';

describe('the home page', () => {
  it('shows each post as a card with its status, title, start, last update, entry count and first image', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live', startsAt: '2026-03-14T09:00:00Z', timezone: 'Europe/Berlin', description: 'All the news' });
    await postEntry(t, slug, 'Doors open.');
    await postEntry(t, slug, 'On stage: ![the CEO](https://images.example.com/ceo.jpg) and ![later](https://images.example.com/later.jpg)');
    await postEntry(t, slug, 'Another one ![third](https://images.example.com/third.jpg)');
    const { slug: later } = await createPost(t, { title: 'Tomorrow', startsAt: '2026-03-15T09:00:00Z', timezone: 'Europe/Berlin' });
    const page = (await t.app.inject('/')).body;

    const card = cardOf(page, slug);
    expect(card).toContain('<p class="status status-live">Live</p>');
    expect(card).toContain(`<h3 class="card-title"><a href="/posts/${slug}">Keynote</a></h3>`);
    expect(card).toContain('<p class="description">All the news</p>');
    expect(card).toContain('Started <time datetime="2026-03-14T09:00:00.000Z">14 Mar 2026, 10:00 CET</time>');
    expect(card).toMatch(/Last update <time datetime="\d{4}-[^"]+">/);
    expect(card).toContain('<span class="count">3 entries</span>');
    // The first image of the oldest entry that has one.
    expect(card).toContain('<img class="card-image" src="https://images.example.com/ceo.jpg" alt="" loading="lazy">');

    const upcoming = cardOf(page, later);
    expect(upcoming).toContain('<p class="status status-scheduled">Upcoming</p>');
    expect(upcoming).toContain('Starts <time datetime="2026-03-15T09:00:00.000Z">15 Mar 2026, 10:00 CET</time>');
    expect(upcoming).not.toContain('Last update');
    expect(upcoming).toContain('<span class="count">0 entries</span>');
    expect(upcoming).not.toContain('card-image');
    // Grouped as before: live first.
    expect(page.indexOf('id="posts-live"')).toBeLessThan(page.indexOf('id="posts-scheduled"'));
  });

  it('a new entry changes the card (and the ETag)', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t, { title: 'Counting', status: 'live' });
    await postEntry(t, slug, 'One.');
    const first = await t.app.inject('/');
    expect(cardOf(first.body, slug)).toContain('1 entry<');
    await postEntry(t, slug, 'Two.');
    const second = await t.app.inject({ url: '/', headers: { 'if-none-match': first.headers.etag as string } });
    expect(second.statusCode).toBe(200);
    expect(cardOf(second.body, slug)).toContain('2 entries<');
  });

  it('speaks the site’s default language, each card’s title in its post’s own', async () => {
    t = await createTestApp({ DEFAULT_LANGUAGE: 'fr' });
    const { slug } = await createPost(t, { title: 'العرض', status: 'ended', language: 'ar' });
    const page = (await t.app.inject('/')).body;
    expect(page).toMatch(/<html lang="fr">/);
    expect(page).toContain('<h1>Directs</h1>');
    expect(page).toContain('<p class="status status-ended">Terminé</p>');
    expect(cardOf(page, slug)).toContain(`<h3 class="card-title" lang="ar" dir="rtl"><a href="/posts/${slug}">العرض</a></h3>`);
    expect(cardOf(page, slug)).toContain('0 entrée');
    expect(page).toContain('<a href="/admin">Rédaction</a> (pour celles et ceux qui écrivent ici)');
  });
});
