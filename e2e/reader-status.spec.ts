import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { auth, createPost, patchPost, postEntries, postEntry, uniqueTitle } from './support/api.js';

/**
 * Issue 15, "Honest status and clocks": a reader in another zone than the event's sees the start
 * in their clock (labelled) with the event's as a hint; the connection shows only when degraded,
 * as a pill visible anywhere on the page; a live dot only on live posts, "Starts … your time" with
 * a countdown on scheduled ones, "Ended at …" on ended ones; the tab title counts what arrived
 * while the tab was hidden; and a returning reader is told what is new since the last visit.
 */

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1200, height: 800 } };
/** The reader is in New York; the events below are in Berlin or Tokyo. */
const READER_ZONE = 'America/New_York';

async function reader(browser: Browser, options: BrowserContextOptions = DESKTOP, timezoneId = READER_ZONE): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options, timezoneId, locale: 'en-GB' });
  return { context, page: await context.newPage() };
}

/** The documented hook: `#connection[data-state]` (the pill itself is hidden while all is well). */
async function openLive(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');
}

/** "14:05" in the reader's zone, as the page writes it (en-GB). */
const clock = (iso: string, timeZone = READER_ZONE) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
const sameDay = (a: Date, b: Date, timeZone = READER_ZONE) => {
  const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeZone });
  return day.format(a) === day.format(b);
};

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

test('the start time is in the reader zone, labelled, with the event time as a hint; the first entry time carries the zone', async ({ browser, request }) => {
  const startsAt = '2026-03-14T18:00:00.000Z'; // 19:00 in Berlin, 14:00 in New York (both on Saturday)
  const slug = await createPost(request, uniqueTitle('Berlin keynote'), { timezone: 'Europe/Berlin', startsAt });
  await postEntries(request, slug, 2);
  const { context, page } = await reader(browser);

  // Without JavaScript the server speaks the event's zone.
  await page.route('**/assets/reader-*.js', (route) => route.abort());
  await page.goto(`/posts/${slug}`);
  await expect(page.locator('#post-start')).toHaveText(/19:00 CET$/);
  await expect(page.locator('#post-zone')).toHaveText('Event time zone: Europe/Berlin');
  await page.unroute('**/assets/reader-*.js');

  await openLive(page, `/posts/${slug}`);
  await expect(page.locator('#post-start')).toHaveText(/^Saturday,? 14 March 2026(,| at) 14:00 ET$/);
  await expect(page.locator('#post-zone')).toHaveText('Event time: 19:00 CET (Europe/Berlin)');
  await expect(page.locator('#post-start')).toHaveAttribute('title', /\(your time\) · .*19:00 CET \(event time, Europe\/Berlin\)/);
  // Entry times are the reader's; the first one says whose clock that is, the others do not repeat it.
  const first = page.locator('#entries > article[data-entry-id]').first();
  await expect(page.locator('#entries .zone-label')).toHaveCount(1);
  await expect(first.locator('.zone-label')).toHaveText('ET');
  await expect(first.locator('.permalink')).toHaveText(/^\d\d:\d\d ET$/);
  // New entries keep one label, on the first entry in the stream.
  await postEntry(request, slug, 'Third');
  await expect(page.locator('#entries > article[data-entry-id]')).toHaveCount(3);
  await expect(page.locator('#entries .zone-label')).toHaveCount(1);
  await expect(page.locator('#entries > article[data-entry-id]').first().locator('.zone-label')).toHaveCount(1);
  await shot(page, 'desktop-zones');
  await context.close();

  // A reader in the event's own zone needs no hint.
  const local = await reader(browser, PHONE, 'Europe/Berlin');
  await openLive(local.page, `/posts/${slug}`);
  await expect(local.page.locator('#post-start')).toHaveText(/^Saturday,? 14 March 2026(,| at) 19:00 CET$/);
  await expect(local.page.locator('#post-zone')).toBeHidden();
  await local.context.close();
});

test('on a phone scrolled to the bottom, going offline shows a fixed "Offline" pill that leaves when the connection is back', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Pill'));
  await postEntries(request, slug, 30, 'A long day of news, entry');
  const { context, page } = await reader(browser, PHONE);
  await openLive(page, `/posts/${slug}`);
  const pill = page.locator('#connection');
  // All is well: the connection says nothing, and the live post has its dot.
  await expect(pill).toBeHidden();
  await expect(page.locator('#post-status .live-dot')).toBeVisible();
  await expect(page.locator('#post-status')).toHaveText('Live');

  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(page.locator('#post-title')).not.toBeInViewport();
  await context.setOffline(true);
  await expect(pill).toHaveText('Offline');
  await expect(pill).toHaveAttribute('data-state', 'offline');
  await expect(pill).toBeVisible();
  await expect(pill).toBeInViewport();
  const box = (await pill.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(844);
  await expect(page.locator('#status-announcer')).toHaveText('Offline');
  await shot(page, 'phone-offline-bottom');

  await context.setOffline(false);
  await expect(pill).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await expect(pill).toBeHidden();
  await expect(page.locator('#status-announcer')).toHaveText('Connected again: live updates are back.');
  await context.close();
});

test('a scheduled post says "Starts … your time" with a countdown, and turns live when an editor goes live', async ({ browser, request }) => {
  const startsAt = new Date(Date.now() + 2 * 3600_000 + 30_000).toISOString();
  const slug = await createPost(request, uniqueTitle('Later today'), { status: 'scheduled', timezone: 'Asia/Tokyo', startsAt });
  const { context, page } = await reader(browser, PHONE);
  await openLive(page, `/posts/${slug}`);
  const day = sameDay(new Date(startsAt), new Date()) ? '' : 'tomorrow at ';
  await expect(page.locator('#post-status-text')).toHaveText(`Starts ${day}${clock(startsAt)} your time`);
  await expect(page.locator('#post-countdown')).toHaveText(/^in 2 h( 1 min)?$/);
  await expect(page.locator('#post-status .live-dot')).toHaveCount(0);
  await shot(page, 'phone-scheduled');

  await patchPost(request, slug, { status: 'live' });
  await expect(page.locator('#post-status')).toHaveText('Live');
  await expect(page.locator('#post-status .live-dot')).toBeVisible();
  await expect(page.locator('#post-countdown')).toBeHidden();
  await expect(page.locator('#status-announcer')).toHaveText('The liveblog is live now.');
  await context.close();
});

test('the countdown follows the clock, and says "starting soon" once the start has passed', async ({ browser, request }) => {
  const now = Date.now();
  const startsAt = new Date(now + 2 * 3600_000 + 30_000).toISOString();
  const slug = await createPost(request, uniqueTitle('Countdown'), { status: 'scheduled', timezone: 'Europe/Berlin', startsAt });
  const { context, page } = await reader(browser);
  await page.clock.install({ time: now });
  await page.goto(`/posts/${slug}`);
  const countdown = page.locator('#post-countdown');
  await expect(countdown).toHaveText(/^in 2 h( 1 min)?$/);
  // The page's clock moves on (no wait in real time): the countdown follows within a second.
  await page.clock.setSystemTime(now + 70 * 60_000);
  await expect(countdown).toHaveText(/^in 5\d min$/);
  await page.clock.setSystemTime(now + 2 * 3600_000 - 90_000);
  await expect(countdown).toHaveText('in 2 min');
  await page.clock.setSystemTime(now + 2 * 3600_000 + 10_000);
  await expect(countdown).toHaveText('in less than a minute');
  await page.clock.setSystemTime(now + 3 * 3600_000);
  await expect(countdown).toHaveText('starting soon');
  await context.close();
});

test('an ended post says when it ended, in the reader zone, and has no live dot', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Over'), { timezone: 'Europe/Berlin' });
  await postEntry(request, slug, 'The last word');
  await patchPost(request, slug, { status: 'ended' });
  const { endedAt } = ((await (await request.get(`/api/posts/${slug}`)).json()) as { post: { endedAt: string } }).post;
  for (const options of [DESKTOP, PHONE]) {
    const { context, page } = await reader(browser, options);
    await openLive(page, `/posts/${slug}`);
    await expect(page.locator('#post-status-text')).toHaveText(`Ended at ${clock(endedAt)} your time`);
    await expect(page.locator('#post-status .live-dot')).toHaveCount(0);
    await expect(page.locator('#ended-banner')).toHaveText('This liveblog has ended.');
    await shot(page, `ended-${options === PHONE ? 'phone' : 'desktop'}`);
    await context.close();
  }
});

test('while the tab is hidden its title counts the new entries; coming back clears it', async ({ browser, request }) => {
  const title = uniqueTitle('Background');
  const slug = await createPost(request, title);
  await postEntry(request, slug, 'Before');
  const { context, page } = await reader(browser);
  await openLive(page, `/posts/${slug}`);
  await expect(page).toHaveTitle(`${title} · Liveline`);

  await setVisibility(page, 'hidden');
  const posted = await postEntries(request, slug, 3, 'Meanwhile');
  await expect(page).toHaveTitle(`(3) ${title} · Liveline`);
  // Published and deleted while away: not news any more.
  expect((await request.delete(`/api/entries/${posted[2]!.id}`, { headers: { ...auth, 'if-match': String(posted[2]!.version) } })).status()).toBe(204);
  await expect(page).toHaveTitle(`(2) ${title} · Liveline`);
  // A renamed post keeps its count.
  await patchPost(request, slug, { title: 'Renamed keynote' });
  await expect(page).toHaveTitle('(2) Renamed keynote · Liveline');

  await setVisibility(page, 'visible');
  await expect(page).toHaveTitle('Renamed keynote · Liveline');
  await postEntry(request, slug, 'Seen as it arrives');
  await expect(page.locator('#entries > article[data-entry-id]')).toHaveCount(4);
  await expect(page).toHaveTitle('Renamed keynote · Liveline');
  await context.close();
});

test('a returning reader sees what is new since the last visit, with a link to the first new entry', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Return'));
  const old = await postEntries(request, slug, 30, 'Old');
  const { context, page } = await reader(browser, PHONE);
  await openLive(page, `/posts/${slug}`);
  const banner = page.locator('#since-last-visit');
  // A first visit has nothing to compare with.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('liveline:visits'))).toContain(slug);
  await expect(banner).toBeHidden();
  await page.goto('about:blank');

  // Meanwhile: two new entries (one a key moment), one published and deleted, an old one edited.
  const first = await postEntry(request, slug, 'New and important', { keyEvent: true });
  await postEntry(request, slug, 'New too');
  const dropped = await postEntry(request, slug, 'Posted by mistake');
  expect((await request.delete(`/api/entries/${dropped.id}`, { headers: { ...auth, 'if-match': String(dropped.version) } })).status()).toBe(204);
  expect((await request.patch(`/api/entries/${old[0]!.id}`, { headers: { ...auth, 'if-match': String(old[0]!.version) }, data: { body: 'Old, corrected' } })).status()).toBe(200);

  await openLive(page, `/posts/${slug}`);
  await expect(banner).toBeVisible();
  await expect(banner.locator('.since-text')).toHaveText(/^2 new entries and 1 key moment since \d\d:\d\d\.$/);
  await expect(page.locator('#status-announcer')).toHaveText(/^2 new entries and 1 key moment since/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'phone-since-last-visit');
  await banner.getByRole('link', { name: 'Read from the first new one' }).click();
  await expect(page).toHaveURL(new RegExp(`#entry-${first.id}$`));
  await expect(page.locator(`#entry-${first.id}`)).toBeInViewport();

  // Back again with nothing new: no banner.
  await page.goto('about:blank');
  await openLive(page, `/posts/${slug}`);
  await expect(page.locator('#entries > article[data-entry-id]').first()).toContainText('New too');
  await expect(banner).toBeHidden();

  // A huge gap is counted only so far.
  await page.goto('about:blank');
  await postEntries(request, slug, 101, 'Flood');
  await openLive(page, `/posts/${slug}`);
  await expect(banner.locator('.since-text')).toHaveText(/^100\+ new entries since \d\d:\d\d\.$/);
  await context.close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe: no serious or critical violation on the post page's header states (${scheme})`, async ({ browser, request }) => {
    const slug = await createPost(request, uniqueTitle('Accessible status'), { timezone: 'Europe/Berlin', description: 'Status for everyone' });
    await postEntry(request, slug, 'A **key** moment', { keyEvent: true });
    const scheduled = await createPost(request, uniqueTitle('Accessible schedule'), { status: 'scheduled', startsAt: new Date(Date.now() + 3600_000).toISOString() });
    const { context, page } = await reader(browser, scheme === 'dark' ? PHONE : DESKTOP);
    await page.emulateMedia({ colorScheme: scheme });
    const check = async () => {
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
    };
    // A returning reader: the since-last-visit banner is on the page.
    await openLive(page, `/posts/${slug}`);
    await page.goto('about:blank');
    await postEntry(request, slug, 'While away');
    await openLive(page, `/posts/${slug}`);
    await expect(page.locator('#since-last-visit')).toBeVisible();
    await check();
    // The pill, offline.
    await context.setOffline(true);
    await expect(page.locator('#connection')).toBeVisible();
    await check();
    await shot(page, `axe-offline-${scheme}`);
    await context.setOffline(false);
    await openLive(page, `/posts/${scheduled}`);
    await expect(page.locator('#post-countdown')).toBeVisible();
    await check();
    await shot(page, `axe-scheduled-${scheme}`);
    await context.close();
  });
}
