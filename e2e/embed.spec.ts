import { createServer, type Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { createPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * A partner site embeds a live post (issue 15, "Embeds on other sites"): the oEmbed snippet on a
 * page of another origin (a small server this file starts on LIVELINE_E2E_PARTNER_PORT, listed in
 * the server's EMBED_ORIGINS by playwright.config.ts; a real server, not a routed page, so that
 * Chromium's local network access rules see a loopback page framing a loopback site). The iframe grows with the post, never shows a scrollbar inside, never
 * scrolls the partner's page, and stops at its cap with "Show more".
 */
const PARTNER = `http://127.0.0.1:${process.env.LIVELINE_E2E_PARTNER_PORT}`;
/** The partner's story pages, by path. */
const stories = new Map<string, string>();
let partner: Server;
test.beforeAll(async () => {
  partner = createServer((request, response) => {
    const story = stories.get(request.url ?? '');
    response.writeHead(story ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(story ?? 'not found');
  });
  await new Promise<void>((resolve) => partner.listen(Number(process.env.LIVELINE_E2E_PARTNER_PORT), '127.0.0.1', resolve));
});
test.afterAll(async () => {
  await new Promise((resolve) => partner.close(resolve));
});

async function partnerPage(page: import('@playwright/test').Page, baseURL: string, slug: string, frameAttributes = ''): Promise<void> {
  const snippet = ((await (await page.request.get(`${baseURL}/oembed?url=${encodeURIComponent(`${baseURL}/posts/${slug}`)}`)).json()) as { html: string }).html.replace('<iframe ', `<iframe ${frameAttributes} `);
  stories.set(`/${slug}`, `<!doctype html><html><head><title>Partner news</title></head><body style="margin:0;font-family:serif"><h1>Partner news</h1><p>Our story, with the live coverage below.</p>${snippet}<p id="after">More from the partner.</p></body></html>`);
  await page.goto(`${PARTNER}/${slug}`);
}

const frameHeight = (page: import('@playwright/test').Page) => page.locator('iframe[data-liveline-embed]').evaluate((frame) => frame.getBoundingClientRect().height);

test('the embed grows with its content and never shows a scrollbar inside the partner page', async ({ page, request, baseURL }) => {
  const slug = await createPost(request, uniqueTitle('Embedded keynote'), { status: 'live' });
  await postEntry(request, slug, 'Doors open');
  await page.setViewportSize({ width: 1000, height: 700 });
  await partnerPage(page, baseURL!, slug, 'data-max-height="5000"');
  const frame = page.frameLocator('iframe[data-liveline-embed]');
  await expect(frame.locator('#entries > article[data-entry-id]')).toHaveCount(1);
  await expect.poll(() => frameHeight(page)).toBeLessThan(600);
  const before = await frameHeight(page);

  for (let i = 1; i <= 6; i++) await postEntry(request, slug, `Update ${i}\n\nwith a second paragraph about the announcement`);
  await expect(frame.locator('#entries > article[data-entry-id]')).toHaveCount(7);
  // Newest first at the top, and the partner's page was not scrolled to it.
  await expect(frame.locator('#entries > article[data-entry-id]').first()).toContainText('Update 6');
  await expect.poll(() => frameHeight(page)).toBeGreaterThan(before + 200);
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  // No scroll inside the scroll: the embed's document fits its iframe.
  const inner = page.frames().find((candidate) => new URL(candidate.url()).pathname.endsWith('/embed'))!;
  await expect.poll(() => inner.evaluate(() => document.documentElement.scrollHeight - document.documentElement.clientHeight)).toBeLessThanOrEqual(1);
  expect(await inner.evaluate(() => getComputedStyle(document.documentElement).overflowY)).toBe('hidden');
  await page.screenshot({ path: test.info().outputPath('partner-page.png') });
});

test('a long post stops at the cap with "Show more", which lets it grow', async ({ page, request, baseURL }) => {
  const slug = await createPost(request, uniqueTitle('Long embedded keynote'), { status: 'live' });
  for (let i = 1; i <= 12; i++) await postEntry(request, slug, `Entry ${i}\n\nA paragraph long enough to take some room on the partner's page.`);
  await partnerPage(page, baseURL!, slug, 'data-max-height="400"');
  const more = page.getByRole('button', { name: 'Show more' });
  await expect(more).toBeVisible();
  expect(await frameHeight(page)).toBe(400);
  await more.click();
  await expect.poll(() => frameHeight(page)).toBeGreaterThan(800);
  await expect(more).toBeHidden();
});

test('the embed is light on a dark system unless asked otherwise', async ({ browser, request, baseURL }) => {
  const slug = await createPost(request, uniqueTitle('Themed keynote'), { status: 'live' });
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(`${baseURL}/posts/${slug}/embed`);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await background()).toBe('rgb(253, 253, 252)');
  await page.goto(`${baseURL}/posts/${slug}/embed?theme=auto`);
  expect(await background()).toBe('rgb(21, 21, 23)');
  await page.goto(`${baseURL}/posts/${slug}/embed?accent=%23005a9c`);
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim())).toBe('#005a9c');
  // An accent unreadable on the background is ignored.
  await page.goto(`${baseURL}/posts/${slug}/embed?accent=%23ffff66`);
  await page.waitForLoadState('load');
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim())).toBe('#c8102e');
  await context.close();
});
