import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import { auth, createPost, postEntries } from './support/api.js';

/**
 * Issue 14 on a 2,000-entry post: "Load earlier" renders each page in one batch (it used to
 * re-render the whole timeline per entry: 8.8 s a page by the 20th), find-in-post reaches the
 * very first entry, and jump-to-time one in the middle, in the event's zone (Los Angeles) while
 * the browser is in Berlin. No assertion on time: each page's DOM work is counted instead (a
 * MutationObserver on #timeline); the times are logged as annotations for the record.
 */
const ENTRIES = 2000;
const EVENT_ZONE = 'America/Los_Angeles';
test.use({ timezoneId: 'Europe/Berlin' });

let admin: APIRequestContext;
let slug: string;

/** Entry i is shown at 09:00:00 PT + 15 s × (i − 1): the 1,000th at 13:09:45 PT, the last at 17:19:45. */
function keynote(unique: string): string {
  const blocks = Array.from({ length: ENTRIES }, (_, index) => {
    const seconds = index * 15;
    const clock = [9 + Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((n) => String(n).padStart(2, '0')).join(':');
    const text = index === 0 ? 'Doors open at the Zürich pavilion, entry 1 of the day.' : `Update ${index + 1}: the speaker shows slide ${index + 1}.`;
    return `**${clock}** ${text}`;
  });
  return `---\ntitle: Scale keynote ${unique}\nslug: scale-${unique}\ndate: 2026-03-14\ntimezone: ${EVENT_ZONE}\nstatus: live\n---\n\n${blocks.join('\n\n')}\n`;
}

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(120_000);
  admin = await playwrightRequest.newContext({ baseURL });
  expect((await admin.post('/login', { data: { email: process.env.LIVELINE_E2E_ADMIN_EMAIL, password: process.env.LIVELINE_E2E_ADMIN_PASSWORD } })).status()).toBe(200);
  // One import request seeds the post (2,000 API posts would take most of the test's time).
  const unique = `${test.info().workerIndex}-${Date.now()}`;
  const imported = await admin.post('/api/import?filename=scale-keynote.md', { headers: { ...auth, 'content-type': 'text/markdown' }, data: keynote(unique) });
  expect(imported.status()).toBe(201);
  slug = ((await imported.json()) as { slug: string }).slug;
});
test.afterAll(async () => {
  await admin.dispose();
});

type Batch = { added: number; removed: number };
type Recorder = { batches: Batch[]; pages: { start: number; inserted: number; painted: number; batches: Batch[] }[] };

/**
 * Records every change to #timeline's children: each insert of articles (a batch) and each
 * article removed or replaced; and, per click on "Load earlier", when its page went into the DOM
 * and when the next frame (layout, paint) was ready.
 */
async function recordTimeline(page: Page): Promise<() => Promise<Recorder>> {
  await page.evaluate(() => {
    const recorder: Recorder = { batches: [], pages: [] };
    (window as unknown as { recorder: Recorder }).recorder = recorder;
    const isEntry = (node: Node) => node instanceof HTMLElement && node.matches('[data-entry-id]');
    document.addEventListener(
      'click',
      (event) => {
        if ((event.target as Element).closest('#load-earlier')) recorder.pages.push({ start: performance.now(), inserted: 0, painted: 0, batches: [] });
      },
      true,
    );
    new MutationObserver((records) => {
      const current = recorder.pages.at(-1);
      for (const record of records) {
        const batch = { added: [...record.addedNodes].filter(isEntry).length, removed: [...record.removedNodes].filter(isEntry).length };
        if (batch.added === 0 && batch.removed === 0) continue;
        recorder.batches.push(batch);
        if (current && !current.painted) {
          current.batches.push(batch);
          current.inserted = performance.now();
          requestAnimationFrame(() => setTimeout(() => (current.painted = performance.now())));
        }
      }
    }).observe(document.getElementById('timeline')!, { childList: true });
  });
  return () => page.evaluate(() => (window as unknown as { recorder: Recorder }).recorder);
}

async function openDesk(page: Page): Promise<void> {
  await page.context().addCookies((await admin.storageState()).cookies);
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  await expect(page.locator('#timeline > article[data-entry-id]')).toHaveCount(50);
}

/** The entry numbers on the desk, top to bottom (entry 1's text names it "entry 1"). */
const entryNumbers = (page: Page) =>
  page.locator('#timeline > article[data-entry-id] .entry-body').evaluateAll((bodies) => bodies.map((body) => Number(/(?:Update|entry) (\d+)/.exec(body.textContent ?? '')?.[1])));

test('"Load earlier" to the start of a 2,000-entry post: each page is one insert of 50 new articles, nothing redone', async ({ page }) => {
  test.setTimeout(180_000);
  await openDesk(page);
  const recorded = await recordTimeline(page);
  const articles = page.locator('#timeline > article[data-entry-id]');
  await page.getByRole('button', { name: 'Load earlier entries' }).click();
  await expect(articles).toHaveCount(100);
  // Then from the keyboard, as an editor going back through a long post does: Enter on the button,
  // which keeps the focus page after page. (By id from here on: finding it by role computes the
  // role and name of every element of a page this long, and would weigh on the times logged below.)
  const button = page.locator('#load-earlier');
  for (let loaded = 150; loaded <= ENTRIES; loaded += 50) {
    await expect(button).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(articles).toHaveCount(loaded);
  }
  // The last page says it is the last: the button goes, and the focus moves on to the oldest entry.
  await expect(button).toHaveCount(0);
  await expect(articles.last()).toBeFocused();

  const { pages, batches } = await recorded();
  expect(pages).toHaveLength(ENTRIES / 50 - 1);
  // The same work for the 39th page as for the 1st: one insert of 50 articles, none removed or replaced.
  expect(pages.map((page) => page.batches)).toEqual(pages.map(() => [{ added: 50, removed: 0 }]));
  expect(batches.every((batch) => batch.removed === 0)).toBe(true);
  // Every entry exactly once, newest first.
  expect(await entryNumbers(page)).toEqual(Array.from({ length: ENTRIES }, (_, index) => ENTRIES - index));

  await expect.poll(async () => (await recorded()).pages.every((page) => page.painted > 0)).toBe(true);
  const times = (await recorded()).pages.map((page) => ({ inserted: Math.round(page.inserted - page.start), painted: Math.round(page.painted - page.start) }));
  const line = times.map((time, index) => `${index + 2}:${time.inserted}/${time.painted}`).join(' ');
  test.info().annotations.push({ type: 'per-page ms (page: click→in DOM / click→next frame)', description: line });
  console.log(`Load earlier, per page (ms, click→in DOM/click→next frame): ${line}`);
});

test("a colleague's change to an entry not loaded yet waits for its page: the desk stays one unbroken stretch", async ({ page, request }) => {
  test.setTimeout(60_000);
  const small = await createPost(request, `Stretch keynote ${Date.now()}`);
  const posted = await postEntries(request, small, 60);
  await page.context().addCookies((await admin.storageState()).cookies);
  await page.goto(`/admin/posts/${small}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  const articles = page.locator('#timeline > article[data-entry-id]');
  await expect(articles).toHaveCount(50);
  const recorded = await recordTimeline(page);

  // Entry 3 is edited and entry 55 moved back before entry 1: neither is on the loaded stretch (11–60 minus 55).
  const entry3 = posted[2]!;
  const entry55 = posted[54]!;
  expect((await request.patch(`/api/entries/${entry3.id}`, { headers: { ...auth, 'if-match': '1' }, data: { body: 'Entry 3, corrected' } })).status()).toBe(200);
  const before = new Date(Date.parse(posted[0]!.createdAt) - 60_000).toISOString();
  expect((await request.patch(`/api/entries/${entry55.id}`, { headers: { ...auth, 'if-match': '1' }, data: { createdAt: before } })).status()).toBe(200);
  await expect(articles).toHaveCount(49);
  await expect(page.locator(`#timeline [data-entry-id="${entry3.id}"]`)).toHaveCount(0);
  await expect(articles.last()).toContainText('Entry 11');

  await page.locator('#load-earlier').click();
  await expect(page.locator('#load-earlier')).toHaveCount(0);
  await expect(articles).toHaveCount(60);
  await expect(page.locator(`#timeline [data-entry-id="${entry3.id}"]`)).toContainText('Entry 3, corrected');
  const bodies = (await page.locator('#timeline > article[data-entry-id] .entry-body').allTextContents()).map((body) => body.trim());
  expect(bodies).toEqual([...Array.from({ length: 60 }, (_, index) => `Entry ${60 - index}`).filter((body) => body !== 'Entry 55').map((body) => (body === 'Entry 3' ? 'Entry 3, corrected' : body)), 'Entry 55']);
  // Entry 55 left the top (one removal), then the earlier page came in one insert of 11.
  expect((await recorded()).batches).toEqual([
    { added: 0, removed: 1 },
    { added: 11, removed: 0 },
  ]);
});

test('find-in-post reaches the first entry of 2,000 from the keyboard: revealed in batches, scrolled to, focused', async ({ page }) => {
  test.setTimeout(120_000);
  await openDesk(page);
  const recorded = await recordTimeline(page);
  const search = page.getByRole('searchbox', { name: 'Find in this post' });
  await search.focus();
  await page.keyboard.type('zuri'); // no accent, the last word a prefix: "Zürich"
  await page.keyboard.press('Enter');

  const results = page.getByRole('list', { name: 'Matching entries' });
  const hit = results.getByRole('button');
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText('09:00:00 PT');
  await expect(hit.locator('mark')).toHaveText('Zürich');
  await expect(page.locator('#desk-tools-status')).toHaveText('1 entry matches “zuri”.');

  await page.screenshot({ path: test.info().outputPath('desk-find-results-desktop.png') });
  await hit.focus();
  await page.keyboard.press('Enter');
  // Waiting by count first: a failing poll of toBeFocused() takes an ARIA snapshot of the whole
  // page (Playwright 1.65), which on 2,000 entries costs seconds and slows the desk it measures.
  await expect(page.locator('#timeline > article[data-entry-id]')).toHaveCount(ENTRIES, { timeout: 60_000 });
  const first = page.locator('#timeline > article[data-entry-id]', { hasText: 'Doors open at the Zürich pavilion' });
  await expect(first).toBeFocused();
  await page.screenshot({ path: test.info().outputPath('desk-find-first-desktop.png') });
  await expect(first).toBeInViewport();
  await expect(page.locator('#desk-tools-status')).toHaveText(/^Showing the entry of (Sat 14 Mar( 2026)?, )?09:00:00 PT \(17:00 your time\)\.$/);
  // Loaded in pages of 200, each one insert; nothing on the desk was redone.
  const { batches } = await recorded();
  expect(batches).toEqual([...Array.from({ length: 9 }, () => ({ added: 200, removed: 0 })), { added: 150, removed: 0 }]);
  expect(await entryNumbers(page)).toEqual(Array.from({ length: ENTRIES }, (_, index) => ENTRIES - index));
});

test('jump-to-time in the event zone (PT) while the browser is in Berlin reaches the entry at or just before it', async ({ page }) => {
  test.setTimeout(120_000);
  await openDesk(page);
  const time = page.getByLabel('Jump to time (PT)');
  await time.fill('08:00:00');
  await time.press('Enter');
  await expect(page.locator('#desk-tools-status')).toHaveText('No entry at or before 08:00:00 PT: the post starts later.');

  await time.fill('13:09:50');
  await time.press('Enter');
  // Only the pages down to it are loaded: 50, then 200 at a time (by count first: see above).
  await expect(page.locator('#timeline > article[data-entry-id]')).toHaveCount(1050, { timeout: 60_000 });
  const target = page.locator('#timeline > article[data-entry-id]', { hasText: 'Update 1000:' });
  await expect(target).toBeFocused();
  await page.screenshot({ path: test.info().outputPath('desk-jump-desktop.png') });
  await expect(target).toBeInViewport();
  await expect(target.locator('time')).toContainText('13:09:45');
  await expect(page.locator('#desk-tools-status')).toHaveText(/^Showing (Sat 14 Mar( 2026)?, )?13:09:45 PT \(21:09 your time\), the last entry at or before 13:09:50 PT\.$/);
});

test('on a phone: find and jump work with touch, results and the revealed entry fit the screen', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  try {
    await openDesk(page);
    const search = page.getByRole('searchbox', { name: 'Find in this post' });
    await search.tap();
    await search.fill('slide 1999');
    await search.press('Enter');
    const hit = page.getByRole('list', { name: 'Matching entries' }).getByRole('button');
    await expect(hit).toHaveCount(1);
    const box = (await hit.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: test.info().outputPath('desk-find-phone.png') });
    await hit.tap();
    const found = page.locator('#timeline > article[data-entry-id]', { hasText: 'Update 1999:' });
    await expect(found).toBeFocused();
    await expect(found).toBeInViewport();

    const time = page.getByLabel('Jump to time (PT)');
    await time.fill('13:09:50');
    await page.getByRole('button', { name: 'Go', exact: true }).tap();
    await expect(page.locator('#timeline > article[data-entry-id]')).toHaveCount(1050, { timeout: 60_000 });
    const target = page.locator('#timeline > article[data-entry-id]', { hasText: 'Update 1000:' });
    await expect(target).toBeFocused();
    await page.screenshot({ path: test.info().outputPath('desk-jump-phone.png') });
    await expect(target).toBeInViewport();
  } finally {
    await context.close();
  }
});
