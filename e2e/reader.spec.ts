import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { auth, createPost, patchPost, postEntries, postEntry, uniqueTitle } from './support/api.js';

const entries = (page: Page) => page.locator('#entries > article[data-entry-id]');
const bodies = (page: Page) => page.locator('#entries > article[data-entry-id] .entry-body');

async function openLive(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');
}

test('newest first: the page opens at its top, new entries appear there; scrolled into the stream, nothing moves and "N new entries ↑" leads back', async ({ page, request }) => {
  await page.setViewportSize({ width: 1000, height: 600 });
  const slug = await createPost(request, uniqueTitle('Follow'));
  await postEntries(request, slug, 30, 'Early');
  await openLive(page, `/posts/${slug}`);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);

  // At the top: a new entry appears above the others, in view, and the page does not scroll away from the title.
  const followed = await postEntry(request, slug, 'Followed');
  await expect(entries(page).first()).toHaveId(`entry-${followed.id}`);
  await expect(page.locator(`#entry-${followed.id}`)).toBeInViewport();
  await expect(page.locator('#post-title')).toBeInViewport();
  await expect(page.locator('#new-entries')).toBeHidden();

  // Scrolled down the stream: nothing moves, a button counts what arrived.
  await page.locator('#entries > article').nth(12).scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 100));
  const anchor = page.locator(`#${await entries(page).nth(14).getAttribute('id')}`);
  const before = (await anchor.boundingBox())!.y;
  const fresh = [];
  for (let i = 1; i <= 5; i++) fresh.push(await postEntry(request, slug, `Fresh ${i}`));
  await expect(page.locator('#new-entries')).toHaveText('5 new entries ↑');
  expect((await anchor.boundingBox())!.y).toBe(before);
  await expect(page.locator(`#entry-${fresh[4]!.id}`)).not.toBeInViewport();

  await page.locator('#new-entries').click();
  await expect(page.locator(`#entry-${fresh[4]!.id}`)).toBeInViewport();
  await expect(page.locator('#new-entries')).toBeHidden();
});

test('oldest first (a remembered choice): the page follows at the live edge; scrolled away it stays put and offers "N new entries"', async ({ page, request }) => {
  await page.setViewportSize({ width: 1000, height: 600 });
  const slug = await createPost(request, uniqueTitle('Follow'));
  await postEntries(request, slug, 30, 'Early');
  await openLive(page, `/posts/${slug}`);
  await page.getByRole('link', { name: 'Oldest', exact: true }).click();
  await openLive(page, `/posts/${slug}`);

  // Read oldest first, a live post opens at its newest entry and follows new ones.
  const followed = await postEntry(request, slug, 'Followed');
  await expect(page.locator(`#entry-${followed.id}`)).toBeInViewport();
  await expect(page.locator('#new-entries')).toBeHidden();

  // Scrolled away: nothing moves, a button counts what arrived.
  await page.evaluate(() => window.scrollTo(0, 200));
  const anchor = entries(page).nth(3);
  const before = { scrollY: await page.evaluate(() => window.scrollY), top: (await anchor.boundingBox())!.y };
  const fresh = [];
  for (let i = 1; i <= 5; i++) fresh.push(await postEntry(request, slug, `Fresh ${i}`));
  await expect(page.locator('#new-entries')).toHaveText('5 new entries ↓');
  expect(await page.evaluate(() => window.scrollY)).toBe(before.scrollY);
  expect((await anchor.boundingBox())!.y).toBe(before.top);
  await expect(page.locator(`#entry-${fresh[4]!.id}`)).not.toBeInViewport();

  await page.locator('#new-entries').click();
  await expect(page.locator(`#entry-${fresh[4]!.id}`)).toBeInViewport();
  await expect(page.locator('#new-entries')).toBeHidden();
});

test('a reader offline for 10 s while 10 entries are posted ends with exactly those entries, once', async ({ page, request, context }) => {
  const slug = await createPost(request, uniqueTitle('Offline'));
  await postEntry(request, slug, 'Before');
  await openLive(page, `/posts/${slug}`);
  await context.setOffline(true);
  await expect(page.locator('#connection')).toHaveText('Offline');
  await expect(page.locator('#connection')).toBeVisible();
  const started = Date.now();
  for (let i = 1; i <= 10; i++) {
    await postEntry(request, slug, `While offline ${i}`);
    await page.waitForTimeout(Math.max(0, started + i * 1000 - Date.now()));
  }
  await context.setOffline(false);
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  // Live again: the pill goes away (the connection shows only when degraded).
  await expect(page.locator('#connection')).toBeHidden();
  await expect(bodies(page)).toHaveText([...Array.from({ length: 10 }, (_, i) => `While offline ${10 - i}`), 'Before']);
});

test('edits, key moments and the end of the post show up live', async ({ page, request }) => {
  const slug = await createPost(request, uniqueTitle('Highlights'));
  const entry = await postEntry(request, slug, 'The CEO takes the stage');
  await openLive(page, `/posts/${slug}`);
  await expect(page.locator('#key-moments')).toBeHidden();

  const marked = await request.patch(`/api/entries/${entry.id}`, { headers: { ...auth, 'if-match': String(entry.version) }, data: { keyEvent: true } });
  expect(marked.status()).toBe(200);
  await expect(page.locator('#key-moments')).toBeVisible();
  await expect(page.locator('#key-moments-list li a')).toContainText('The CEO takes the stage');
  await expect(page.locator(`#entry-${entry.id} .badge`)).toHaveText('Key moment');
  // Marking a key moment is not an edit: no "Updated" marker.
  await expect(page.locator(`#entry-${entry.id} .edited`)).toHaveCount(0);

  await expect(page.locator('#ended-banner')).toBeHidden();
  await patchPost(request, slug, { status: 'ended', title: 'Keynote (ended)' });
  await expect(page.locator('#ended-banner')).toHaveText('This liveblog has ended.');
  await expect(page.locator('#post-status')).toHaveText(/^Ended at .+ your time$/);
  await expect(page.locator('#post-status .live-dot')).toHaveCount(0);
  await expect(page.locator('#post-title')).toHaveText('Keynote (ended)');
});

test('"Load earlier entries" pages back in place, and a permalink to an old entry finds it', async ({ page, request }) => {
  const slug = await createPost(request, uniqueTitle('Long'));
  const posted = await postEntries(request, slug, 120);
  await openLive(page, `/posts/${slug}`);
  await expect(entries(page)).toHaveCount(50);
  await page.locator('#load-earlier').click();
  await expect(entries(page)).toHaveCount(100);
  // Newest first, earlier entries load below the stream.
  await expect(bodies(page).last()).toHaveText('Entry 21');
  expect(page.url()).not.toContain('before=');

  await page.goto('about:blank');
  await page.goto(`/posts/${slug}#entry-${posted[2]!.id}`);
  await expect(page.locator(`#entry-${posted[2]!.id}`)).toBeInViewport();
  await expect(bodies(page).last()).toHaveText('Entry 1');
  await expect(page.locator('#load-earlier')).toHaveCount(0);
});

test('without JavaScript the page is readable and the earlier links work', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('No JS'), { description: 'Plain HTML' });
  await postEntries(request, slug, 60);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/posts/${slug}`);
  await expect(page.locator('#post-description')).toHaveText('Plain HTML');
  await expect(entries(page)).toHaveCount(50);
  // Newest first, as a live post opens; the earlier link below the stream.
  await expect(bodies(page).first()).toHaveText('Entry 60');
  await expect(bodies(page).last()).toHaveText('Entry 11');
  await expect(page.locator('#entries time').first()).toHaveAttribute('datetime', /Z$/);
  await page.getByRole('link', { name: 'Load earlier entries' }).click();
  await expect(bodies(page)).toHaveText(Array.from({ length: 10 }, (_, i) => `Entry ${10 - i}`));
  await page.getByRole('link', { name: 'Back to the latest entries' }).click();
  await expect(entries(page)).toHaveCount(50);
  await context.close();
});

test('local and relative times replace the server-rendered event times', async ({ page, request }) => {
  const slug = await createPost(request, uniqueTitle('Times'), { timezone: 'Asia/Tokyo' });
  await postEntry(request, slug, 'Now');
  await openLive(page, `/posts/${slug}`);
  const header = page.locator('#entries > article header').first();
  await expect(header.locator('.ago')).toHaveText('just now');
  await expect(header.locator('time')).toHaveAttribute('title', /\(your time\) · .*\(event time, Asia\/Tokyo\)/);
});

for (const [name, path] of [
  ['home', '/'],
  ['post', '/posts/SLUG'],
  ['embed', '/posts/SLUG/embed'],
] as const) {
  test(`axe finds no serious or critical accessibility violation on the ${name} page`, async ({ page, request }) => {
    const slug = await createPost(request, uniqueTitle('Accessible'), { description: 'For everyone' });
    await postEntry(request, slug, 'A **key** moment with [a link](https://example.com)', { keyEvent: true });
    await postEntry(request, slug, '> A quote\n\n- a list');
    await page.goto(path.replace('SLUG', slug));
    if (name !== 'home') await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

test('the pinned entry and the reader count update live', async ({ page, browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Pinned'));
  const first = await postEntry(request, slug, 'Follow the stream here');
  const second = await postEntry(request, slug, 'Doors open at nine');
  await openLive(page, `/posts/${slug}`);
  await expect(page.locator('#pinned')).toBeHidden();

  expect((await request.put(`/api/entries/${first.id}/pin`, { headers: auth })).status()).toBe(200);
  await expect(page.locator('#pinned')).toBeVisible();
  await expect(page.locator('#pinned-body')).toContainText('Follow the stream here');
  // Shown once: in the stream its place says it is pinned above.
  await expect(page.locator(`#entry-${first.id}`)).toContainText('Pinned above.');
  await expect(page.locator('#entries')).not.toContainText('Follow the stream here');
  // One pinned entry per post: pinning another replaces it.
  expect((await request.put(`/api/entries/${second.id}/pin`, { headers: auth })).status()).toBe(200);
  await expect(page.locator('#pinned-body')).toContainText('Doors open at nine');
  await expect(page.locator('#pinned-body')).not.toContainText('Follow the stream here');
  await expect(page.locator(`#entry-${first.id} .entry-body`)).toHaveText('Follow the stream here');
  expect((await request.delete(`/api/entries/${second.id}/pin`, { headers: auth })).status()).toBe(200);
  await expect(page.locator('#pinned')).toBeHidden();
  await expect(page.locator(`#entry-${second.id} .entry-body`)).toHaveText('Doors open at nine');

  await expect(page.locator('#readers')).toHaveText('1 reading', { timeout: 15_000 });
  const other = await browser.newPage();
  await other.goto(`/posts/${slug}`);
  await expect(page.locator('#readers')).toHaveText('2 reading', { timeout: 15_000 });
  await other.close();
  await expect(page.locator('#readers')).toHaveText('1 reading', { timeout: 15_000 });
});
