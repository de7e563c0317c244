import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { auth, createPost, patchPost, postEntries, postEntry, uniqueTitle } from './support/api.js';

/**
 * Issue 15, "Orientation": the reader page opens like a news story. A live post opens at the top
 * with its title, status, the editors' summary and the newest entry; the pinned entry is collapsed;
 * key moments can be read alone, with or without JavaScript; every entry can be shared with a link
 * that opens the page at it; days are marked in the reader's zone.
 */

const PHONE = { width: 390, height: 844 };
const entries = (page: Page) => page.locator('#entries > article[data-entry-id]');
const bodies = (page: Page) => page.locator('#entries > article[data-entry-id] .entry-body');

async function openLive(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.locator('#connection')).toHaveText('Live');
}

const SUMMARY = '- The keynote started at **10:00**\n- Two new phones, one watch\n- Prices come at the end';
const LONG_PIN = [
  'Welcome to our live coverage of the keynote. We will bring you every announcement as it happens, with analysis from our reporters in the hall.',
  'Prices, availability and the full specifications follow as soon as they are confirmed on stage; the replay link will be added here afterwards.',
  'Questions? Send them to the newsroom and we will answer the best ones during the break.',
].join('\n\n');

/** A live post as a newsroom would have it an hour in: summary, a long pinned entry, key moments, a stream. */
async function storyPost(request: Parameters<typeof createPost>[0], title = uniqueTitle('Keynote')) {
  const slug = await createPost(request, title, { description: 'Everything announced today', summary: SUMMARY });
  const pinned = await postEntry(request, slug, LONG_PIN);
  expect((await request.put(`/api/entries/${pinned.id}/pin`, { headers: auth })).status()).toBe(200);
  const posted = [];
  for (let i = 1; i <= 12; i++) {
    posted.push(await postEntry(request, slug, `Update ${i}: the presenter moves to slide ${i}, with a short paragraph about what was shown.`, { keyEvent: i % 3 === 0 }));
  }
  return { slug, pinned, posted };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

test('a fresh phone visit to a live post shows title, status, summary and the newest entry in the first screen; the pinned entry is collapsed', async ({ browser, request }) => {
  const { slug, pinned, posted } = await storyPost(request);
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await openLive(page, `/posts/${slug}`);
  const newest = page.locator(`#entry-${posted.at(-1)!.id}`);
  await expect(entries(page).first()).toHaveId(`entry-${posted.at(-1)!.id}`);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await shot(page, 'phone-first-screen');

  // In the first screen: fully for the title, status and summary; the newest entry's time and first line.
  for (const locator of [page.locator('#post-title'), page.locator('#post-status'), page.locator('#summary')]) {
    const box = (await locator.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
  }
  await expect(page.locator('#summary')).toContainText('Two new phones, one watch');
  const newestBody = (await newest.locator('.entry-body').boundingBox())!;
  expect(newestBody.y + 24).toBeLessThanOrEqual(PHONE.height);

  // The pinned entry: a few lines, "Show more", not repeated in the stream.
  const pinnedBody = page.locator('#pinned-body .entry-body');
  const collapsed = (await pinnedBody.boundingBox())!.height;
  expect(collapsed).toBeLessThan(await pinnedBody.evaluate((element) => element.scrollHeight));
  expect(collapsed).toBeLessThan(100);
  await expect(page.locator(`#entry-${pinned.id}`)).toContainText('Pinned above.');
  await expect(page.locator(`#entry-${pinned.id} .entry-body`)).toHaveCount(0);
  await page.getByText('Show more').click();
  await expect(page.getByText('Show less')).toBeVisible();
  expect((await pinnedBody.boundingBox())!.height).toBeGreaterThan(collapsed + 40);
  await expect(pinnedBody).toContainText('Questions? Send them to the newsroom');

  // Key moments on a phone: a strip of the latest three, the rest one tap away.
  const strip = page.locator('#key-moments-list');
  await expect(strip.locator('li:visible')).toHaveCount(3);
  await expect(strip.locator('li').first()).toContainText('Update 12');
  await page.getByRole('button', { name: 'All 4 key moments' }).click();
  await expect(strip.locator('li:visible')).toHaveCount(4);
  await expect(page.getByRole('button', { name: 'Show the latest 3' })).toHaveAttribute('aria-expanded', 'true');
  await context.close();
});

test('desktop: the story layout, and a short pinned entry is shown whole', async ({ page, request }) => {
  const { slug } = await storyPost(request);
  await page.setViewportSize({ width: 1280, height: 900 });
  await openLive(page, `/posts/${slug}`);
  await expect(page.locator('#summary')).toBeInViewport();
  await expect(entries(page).first()).toBeInViewport();
  await shot(page, 'desktop-first-screen');

  const short = await createPost(request, uniqueTitle('Short pin'));
  const pin = await postEntry(request, short, 'Doors open at nine.');
  await request.put(`/api/entries/${pin.id}/pin`, { headers: auth });
  await openLive(page, `/posts/${short}`);
  await expect(page.locator('#pinned-body')).toContainText('Doors open at nine.');
  await expect(page.locator('#pinned-more')).toBeHidden();
});

test('the summary updates live when the editors change it', async ({ page, request }) => {
  const slug = await createPost(request, uniqueTitle('Summary live'));
  await postEntry(request, slug, 'First');
  await openLive(page, `/posts/${slug}`);
  await expect(page.locator('#summary')).toBeHidden();
  await patchPost(request, slug, { summary: '- Doors open at **nine**\n- Keynote at ten' });
  await expect(page.locator('#summary')).toBeVisible();
  await expect(page.locator('#summary-body li')).toHaveText(['Doors open at nine', 'Keynote at ten']);
  await expect(page.locator('#summary-body strong')).toHaveText('nine');
  await patchPost(request, slug, { summary: '' });
  await expect(page.locator('#summary')).toBeHidden();
});

test('Newest · Oldest: live posts open newest first, oldest first is remembered; ended posts open at the start with "Jump to latest"', async ({ page, request }) => {
  const slug = await createPost(request, uniqueTitle('Order'));
  await postEntries(request, slug, 3);
  await openLive(page, `/posts/${slug}`);
  const newest = page.getByRole('link', { name: 'Newest', exact: true });
  const oldest = page.getByRole('link', { name: 'Oldest', exact: true });
  await expect(bodies(page)).toHaveText(['Entry 3', 'Entry 2', 'Entry 1']);
  await expect(newest).toHaveAttribute('aria-current', 'true');
  await expect(oldest).not.toHaveAttribute('aria-current', /.*/);

  await oldest.click();
  await expect(bodies(page)).toHaveText(['Entry 1', 'Entry 2', 'Entry 3']);
  await expect(oldest).toHaveAttribute('aria-current', 'true');
  await expect(newest).not.toHaveAttribute('aria-current', /.*/);
  await postEntry(request, slug, 'Entry 4');
  await expect(bodies(page)).toHaveText(['Entry 1', 'Entry 2', 'Entry 3', 'Entry 4']);

  // Remembered, also on another live post opened afresh.
  await page.goto(`/posts/${slug}`);
  await expect(bodies(page)).toHaveText(['Entry 1', 'Entry 2', 'Entry 3', 'Entry 4']);
  await newest.click();
  await expect(bodies(page)).toHaveText(['Entry 4', 'Entry 3', 'Entry 2', 'Entry 1']);
  await page.reload();
  await expect(bodies(page)).toHaveText(['Entry 4', 'Entry 3', 'Entry 2', 'Entry 1']);

  const ended = await createPost(request, uniqueTitle('Ended order'));
  await postEntries(request, ended, 30);
  await patchPost(request, ended, { status: 'ended' });
  await page.setViewportSize({ width: 1000, height: 600 });
  await page.goto(`/posts/${ended}`);
  await expect(bodies(page).first()).toHaveText('Entry 1');
  await expect(oldest).toHaveAttribute('aria-current', 'true');
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await expect(page.locator('#post-title')).toBeInViewport();
  await page.getByRole('link', { name: 'Jump to latest' }).click();
  await expect(bodies(page).last()).toBeInViewport();
  await expect(bodies(page).last()).toHaveText('Entry 30');
});

test('an ended post longer than a page opens at its first entry like an article; later pages load in place; "Jump to latest" and a shared link reach the end', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Long ended'));
  const posted = await postEntries(request, slug, 120);
  await patchPost(request, slug, { status: 'ended' });
  for (const viewport of [PHONE, { width: 1280, height: 800 }]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await openLive(page, `/posts/${slug}`);
    await expect(bodies(page).first()).toHaveText('Entry 1');
    await expect(entries(page)).toHaveCount(50);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expect(page.getByRole('link', { name: 'Oldest', exact: true })).toHaveAttribute('aria-current', 'true');

    // Reading on: the next page goes in below, and what the reader looks at stays put.
    const more = page.getByRole('link', { name: 'Load later entries' });
    await more.scrollIntoViewIfNeeded();
    const fiftieth = page.locator(`#entry-${posted[49]!.id}`);
    const before = (await fiftieth.boundingBox())!.y;
    await more.click();
    await expect(entries(page)).toHaveCount(100);
    expect(Math.abs((await fiftieth.boundingBox())!.y - before)).toBeLessThanOrEqual(2);
    await expect(bodies(page).nth(50)).toHaveText('Entry 51');
    if (viewport === PHONE) await shot(page, 'ended-long-phone');

    // "Jump to latest" opens the newest-first view, at its top.
    await page.getByRole('link', { name: 'Jump to latest' }).click();
    await expect(page).toHaveURL(/\?order=newest$/);
    await expect(bodies(page).first()).toHaveText('Entry 120');
    await expect(page.getByRole('link', { name: 'Newest', exact: true })).toHaveAttribute('aria-current', 'true');
    // Back to the start through the order control (another page of the post, not a reordering).
    await page.getByRole('link', { name: 'Oldest', exact: true }).click();
    await expect(bodies(page).first()).toHaveText('Entry 1');
    await expect(entries(page)).toHaveCount(50);
    await context.close();
  }

  // A shared link to an entry near the end opens the page scrolled to it, loading forward as needed.
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await page.goto(`/posts/${slug}#entry-${posted[109]!.id}`);
  await expect(page.locator(`#entry-${posted[109]!.id}`)).toBeInViewport();
  await expect(page.locator(`#entry-${posted[109]!.id}`)).toHaveClass(/target/);
  await context.close();
});

test('without JavaScript, an ended post pages forward with plain links', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Long ended no JS'));
  await postEntries(request, slug, 60);
  await patchPost(request, slug, { status: 'ended' });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/posts/${slug}`);
  await expect(bodies(page).first()).toHaveText('Entry 1');
  await page.getByRole('link', { name: 'Load later entries' }).click();
  await expect(bodies(page)).toHaveText(Array.from({ length: 10 }, (_, i) => `Entry ${51 + i}`));
  await page.getByRole('link', { name: 'Back to the start' }).click();
  await expect(bodies(page).first()).toHaveText('Entry 1');
  await context.close();
});

test('without JavaScript, the order control and the key-moments filter are plain links that work', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('No JS views'));
  for (let i = 1; i <= 6; i++) await postEntry(request, slug, `Entry ${i}`, { keyEvent: i % 2 === 0 });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/posts/${slug}`);
  await expect(bodies(page)).toHaveText(['Entry 6', 'Entry 5', 'Entry 4', 'Entry 3', 'Entry 2', 'Entry 1']);
  await page.getByRole('link', { name: 'Key moments only' }).click();
  await expect(page).toHaveURL(/\?filter=key$/);
  await expect(bodies(page)).toHaveText(['Entry 6', 'Entry 4', 'Entry 2']);
  await expect(page.getByRole('link', { name: 'Key moments only' })).toHaveAttribute('aria-current', 'true');
  await page.getByRole('link', { name: 'Oldest', exact: true }).click();
  await expect(bodies(page)).toHaveText(['Entry 2', 'Entry 4', 'Entry 6']);
  await page.getByRole('link', { name: 'All entries' }).click();
  await expect(page).toHaveURL(/\?order=oldest$/);
  await expect(bodies(page)).toHaveText(['Entry 1', 'Entry 2', 'Entry 3', 'Entry 4', 'Entry 5', 'Entry 6']);
  await shot(page, 'no-js-oldest');
  await context.close();
});

test('with JavaScript, "Key moments only" stays live: new key moments come in, others stay out', async ({ page, request }) => {
  const slug = await createPost(request, uniqueTitle('Key filter'));
  const plain = await postEntry(request, slug, 'Ordinary entry');
  await postEntry(request, slug, 'The CEO takes the stage', { keyEvent: true });
  await openLive(page, `/posts/${slug}`);
  await page.getByRole('link', { name: 'Key moments only' }).click();
  await expect(page.locator('#connection')).toHaveText('Live');
  await expect(bodies(page)).toHaveText(['The CEO takes the stage']);

  await postEntry(request, slug, 'Not a key moment');
  await postEntry(request, slug, 'Prices announced', { keyEvent: true });
  await expect(bodies(page)).toHaveText(['Prices announced', 'The CEO takes the stage']);
  // An older entry marked as a key moment joins the view in its place.
  expect((await request.patch(`/api/entries/${plain.id}`, { headers: { ...auth, 'if-match': String(plain.version) }, data: { keyEvent: true } })).status()).toBe(200);
  await expect(bodies(page)).toHaveText(['Prices announced', 'The CEO takes the stage', 'Ordinary entry']);
  await page.getByRole('link', { name: 'All entries' }).click();
  await expect(bodies(page)).toHaveText(['Prices announced', 'Not a key moment', 'The CEO takes the stage', 'Ordinary entry']);
});

async function openShareMenu(page: Page, id: number) {
  await page.locator(`#entry-${id}`).getByRole('button', { name: /^Share/ }).click();
  return page.locator(`#share-${id}`);
}

test('Share on an entry gives a link that opens the page scrolled to that entry', async ({ browser, request, baseURL }) => {
  const slug = await createPost(request, uniqueTitle('Share'));
  const posted = await postEntries(request, slug, 70);
  const target = posted[4]!; // older than the first page: the link must load earlier entries to find it
  const context = await browser.newContext({ viewport: PHONE, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await openLive(page, `/posts/${slug}#entry-${posted[30]!.id}`);
  const menu = await openShareMenu(page, posted[30]!.id);
  await expect(menu.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await menu.getByRole('button', { name: 'Copy link' }).click();
  await expect(menu.getByRole('status')).toHaveText('Link copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`${baseURL}/posts/${slug}#entry-${posted[30]!.id}`);

  // The share links are plain links carrying the same address.
  const x = await menu.getByRole('link', { name: 'X' }).getAttribute('href');
  expect(new URL(x!).origin).toBe('https://x.com');
  expect(new URL(x!).searchParams.get('url')).toBe(copied);
  for (const name of ['Bluesky', 'Facebook', 'WhatsApp', 'Email']) {
    expect(decodeURIComponent((await menu.getByRole('link', { name }).getAttribute('href'))!)).toContain(copied);
  }
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);

  // A fresh reader opens a shared link to an old entry: it is loaded and scrolled to.
  await page.locator('#load-earlier').click();
  await expect(page.locator(`#entry-${target.id}`)).toHaveCount(1);
  await (await openShareMenu(page, target.id)).getByRole('button', { name: 'Copy link' }).click();
  const shared = await page.evaluate(() => navigator.clipboard.readText());
  const other = await browser.newContext({ viewport: PHONE });
  const reader = await other.newPage();
  await reader.goto(shared);
  await expect(reader.locator(`#entry-${target.id}`)).toBeInViewport();
  await expect(reader.locator(`#entry-${target.id} .entry-body`)).toHaveText('Entry 5');
  await shot(reader, 'shared-link-opened');
  await other.close();
  await context.close();
});

async function nightPost(request: Parameters<typeof createPost>[0]) {
  // 23:10 and 23:40 on Friday 13 March, 00:20 on Saturday 14 March in Tokyo (all the 13th in UTC).
  const slug = await createPost(request, uniqueTitle('Night session'), { timezone: 'UTC' });
  await postEntry(request, slug, 'Late on Friday', { createdAt: '2026-03-13T14:10:00.000Z' });
  await postEntry(request, slug, 'Almost midnight', { createdAt: '2026-03-13T14:40:00.000Z' });
  await postEntry(request, slug, 'Past midnight', { createdAt: '2026-03-13T15:20:00.000Z' });
  return slug;
}

async function readerIn(browser: Browser, timezoneId: string) {
  const context = await browser.newContext({ timezoneId, locale: 'en-GB' });
  return { context, page: await context.newPage() };
}

test('day separators follow the reader’s time zone for a post that crosses midnight there', async ({ browser, request }) => {
  const slug = await nightPost(request);
  const tokyo = await readerIn(browser, 'Asia/Tokyo');
  await openLive(tokyo.page, `/posts/${slug}`);
  const separators = tokyo.page.locator('#entries > .day-separator');
  await expect(separators).toHaveText([/^Saturday,? 14 March/, /^Friday,? 13 March/]);
  // Newest first: Saturday's entry under Saturday, Friday's two under Friday.
  const order = await tokyo.page.locator('#entries > *').evaluateAll((nodes) => nodes.map((node) => (node.classList.contains('day-separator') ? `# ${node.textContent}` : node.querySelector('.entry-body')?.textContent?.trim())));
  expect(order).toEqual([expect.stringMatching(/^# Saturday 14 March/), 'Past midnight', expect.stringMatching(/^# Friday 13 March/), 'Almost midnight', 'Late on Friday']);
  // Times not of today carry their date.
  await expect(tokyo.page.locator('#entries > article').first().locator('.permalink time')).toHaveText('14 Mar, 00:20');
  // A new entry on the same day goes under the same separator, live.
  await postEntry(request, slug, 'Still Saturday', { createdAt: '2026-03-13T15:30:00.000Z' });
  await expect(tokyo.page.locator('#entries > *').nth(1)).toContainText('Still Saturday');
  await expect(separators).toHaveCount(2);
  await shot(tokyo.page, 'day-separators-tokyo');
  await tokyo.context.close();

  // In London the same entries are all on Friday: one separator (read later), nothing between them.
  const london = await readerIn(browser, 'Europe/London');
  await openLive(london.page, `/posts/${slug}`);
  await expect(london.page.locator('#entries > .day-separator')).toHaveText([/^Friday,? 13 March/]);
  await london.context.close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical violation on the story page (${scheme}), share menu open`, async ({ browser, request }) => {
    const { slug, posted } = await storyPost(request);
    await postEntry(request, slug, 'Days later', { createdAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await openLive(page, `/posts/${slug}`);
    await openShareMenu(page, posted.at(-1)!.id);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
    await shot(page, `story-${scheme}`);
    await context.close();
  });
}
