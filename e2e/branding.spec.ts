import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, request as playwrightRequest, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { OwnServer } from './support/server.js';

/**
 * Issue 15, "Site branding": an admin sets the site's name, logo, accent, font and footer links
 * on /admin/site, and the reader page, the embed and the newsroom wear them; an accent below
 * 4.5:1 is refused. Branding is site-wide, so this runs on a server of its own (the other specs
 * keep the built-in look), whose DEFAULT_LANGUAGE is Arabic: its home page is right to left. axe
 * checks home, post and embed there, branded, light and dark, right to left and left to right.
 */
test.describe.configure({ mode: 'serial' });

const ADMIN = { email: 'brand-admin@e2e.test', password: 'brand admin password' };
const NAME = 'Nordlicht Nachrichten';
const ACCENT = '#005a9c';

let server: OwnServer;
let api: APIRequestContext;
let german = '';
let arabic = '';

/** A 160×48 logo: a blue field with a white bar, as a real PNG (the upload pipeline decodes it). */
function logoPng(): Buffer {
  const width = 160;
  const height = 48;
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const white = y > 18 && y < 30 && x > 20 && x < 140;
      rows.set(white ? [255, 255, 255] : [0, 90, 156], y * (width * 3 + 1) + 1 + x * 3);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

test.beforeAll(async () => {
  server = new OwnServer({ DEFAULT_LANGUAGE: 'ar' });
  await server.start();
  const env = { ...process.env, DATABASE_PATH: join(server.dir, 'liveline.db') };
  execFileSync(process.execPath, ['bin/liveline.js', 'user', 'add', '--email', ADMIN.email, '--name', 'Brand Admin', '--role', 'admin', '--password-stdin'], { env, input: ADMIN.password, stdio: ['pipe', 'pipe', 'pipe'] });
  api = await playwrightRequest.newContext({ baseURL: server.url, extraHTTPHeaders: { authorization: `Bearer ${server.token('editor')}` } });
  const post = async (data: Record<string, unknown>, entries: string[]) => {
    const response = await api.post('/api/posts', { data: { status: 'live', ...data } });
    expect(response.status()).toBe(201);
    const { slug } = (await response.json()) as { slug: string };
    for (const body of entries) expect((await api.post(`/api/posts/${slug}/entries`, { headers: { 'idempotency-key': crypto.randomUUID() }, data: { body, keyEvent: body.startsWith('**') } })).status()).toBe(201);
    return slug;
  };
  german = await post({ title: 'Landtagswahl: der Abend', language: 'de', timezone: 'Europe/Berlin', description: 'Hochrechnungen und Stimmen' }, ['**Erste Prognose:** die Wahlbeteiligung steigt.', 'Die Parteien äußern sich. [Ergebnisse](https://example.com/ergebnisse)']);
  arabic = await post({ title: 'الانتخابات: ليلة النتائج', timezone: 'Asia/Dubai', description: 'التوقعات والتصريحات' }, ['**أول توقع:** نسبة المشاركة ترتفع.', 'الأحزاب تعلّق على النتائج.']);
});

test.afterAll(async () => {
  await api?.dispose();
  await server?.dispose();
});

async function accentOf(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
}

async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, ...options });
  return context.newPage();
}

test('an admin sets the branding on /admin/site; an unreadable accent is refused', async ({ browser }) => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto('/login?next=/admin/site');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/admin\/site$/);
  await expect(page.getByRole('link', { name: 'Site & branding' })).toBeVisible();

  await page.getByLabel('Site name').fill(NAME);
  // Yellow on white: the page says so as it is typed, and the server refuses it.
  await page.getByLabel('On the light background').fill('#ffcc00');
  await expect(page.locator('#site-accent-check')).toContainText('too low');
  await page.getByRole('button', { name: 'Save branding' }).click();
  await expect(page.locator('#site-message')).toContainText(/Not saved: .*#ffcc00 has a contrast of 1\.\d+:1 against the light background.*4\.5:1/);
  await expect(page.getByLabel('On the light background')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('On the light background').fill(ACCENT);
  await expect(page.locator('#site-accent-check')).toContainText('readable');
  await expect(page.locator('#site-accent-dark-check')).toContainText('derived from the light accent');
  await page.getByLabel(/Upload a logo/).setInputFiles({ name: 'nordlicht.png', mimeType: 'image/png', buffer: logoPng() });
  await expect(page.locator('#site-logo-preview img')).toBeVisible();
  await page.getByLabel('Font').selectOption('transitional');
  await page.getByRole('button', { name: 'Add a link' }).click();
  await page.getByLabel('Link 1 text').fill('Impressum');
  await page.getByLabel('Link 1 address').fill('/impressum');
  await page.getByRole('button', { name: 'Save branding' }).click();
  await expect(page.locator('#site-message')).toHaveText('Saved. Readers see the new branding on their next page load.');
  // The newsroom itself wears it.
  await page.reload();
  await expect(page.locator('.newsroom-bar .brand')).toHaveText(`${NAME} newsroom`);
  expect(await accentOf(page)).toBe(ACCENT);
  await page.screenshot({ path: test.info().outputPath('admin-site.png'), fullPage: true });
  await page.context().close();
});

test('a form used before the newsroom script has loaded neither reloads nor loses what was typed', async ({ browser }) => {
  // A first visit: no service worker has the bundle yet (and Playwright's routes cannot see one).
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  await page.goto('/login?next=/admin/users');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  // A slow connection: the page is there, its script is not yet.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/newsroom[.-][^/]*\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.reload({ waitUntil: 'commit' });
  await page.getByLabel('Initial password').fill('a password typed early');
  // The button cannot send the form natively, which would put the password in the address.
  await expect(page.getByRole('button', { name: 'Add user' })).toBeDisabled();
  expect(page.url()).not.toContain('password');

  await page.goto('/admin/site', { waitUntil: 'commit' });
  await page.getByLabel('On the light background').fill('#ffcc00');
  await expect(page.getByRole('button', { name: 'Save branding' })).toBeDisabled();
  release();
  // Once the script runs, the typed accent is kept and checked, and the form can be sent.
  await expect(page.getByRole('button', { name: 'Save branding' })).toBeEnabled();
  await expect(page.getByLabel('On the light background')).toHaveValue('#ffcc00');
  await expect(page.locator('#site-accent-check')).toContainText('too low');
  await page.context().close();
});

test('the reader page and the embed wear the branding, in light and in dark', async ({ browser }) => {
  const site = (await (await api.get('/api/site')).json()) as { status?: number };
  // Editors may not read the branding through the API: the pages are where it shows.
  expect(site.status).toBe(403);
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await newPage(browser, { colorScheme, viewport: { width: 1280, height: 900 } });
    await page.goto(`/posts/${german}`);
    await expect(page).toHaveTitle(new RegExp(`· ${NAME}$`));
    await expect(page.getByRole('link', { name: NAME })).toBeVisible();
    await expect(page.locator('header.site img.brand-logo')).toHaveAttribute('alt', NAME);
    await expect(page.locator('footer.site-footer').getByRole('link', { name: 'Impressum' })).toHaveAttribute('href', '/impressum');
    const accent = await accentOf(page);
    if (colorScheme === 'light') expect(accent).toBe(ACCENT);
    else expect(accent).toMatch(/^#[0-9a-f]{6}$/);
    if (colorScheme === 'dark') expect(accent).not.toBe(ACCENT);
    // The live status is in the accent, the text in the chosen font stack.
    const status = await page.locator('#post-status').evaluate((element) => getComputedStyle(element).color);
    if (colorScheme === 'light') expect(status).toBe('rgb(0, 90, 156)');
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/^Charter/);
    await page.screenshot({ path: test.info().outputPath(`reader-de-${colorScheme}.png`), fullPage: true });

    await page.goto(`/posts/${german}/embed${colorScheme === 'dark' ? '?theme=dark' : ''}`);
    expect(await accentOf(page)).toBe(accent);
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toMatch(/^Charter/);
    await page.context().close();
  }
});

test('the branded pages on a phone and a desktop, right to left and left to right (screenshots)', async ({ browser }) => {
  for (const [device, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    const page = await newPage(browser, { viewport, isMobile: device === 'phone' });
    for (const [name, path] of [['home', '/'], ['arabic', `/posts/${arabic}`], ['german', `/posts/${german}`]] as const) {
      await page.goto(path);
      await expect(page.locator('header.site img.brand-logo')).toBeVisible();
      await page.screenshot({ path: test.info().outputPath(`${name}-${device}.png`), fullPage: true });
    }
    // The home page speaks the site's default language (Arabic here), each card its post's.
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.locator(`li.card[data-slug="${german}"] h3`)).toHaveAttribute('lang', 'de');
    await expect(page.locator(`li.card[data-slug="${arabic}"] .count`)).toHaveText('تحديثان');
    await page.context().close();
  }
});

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => `${node.target.join(' ')} (${node.failureSummary ?? ''})`).join(', ')}`);
}

test('axe: no serious or critical violation on the branded home, post and embed, light and dark, rtl and ltr', async ({ browser }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await newPage(browser, { colorScheme });
    for (const path of ['/', `/posts/${arabic}`, `/posts/${german}`, `/posts/${arabic}/embed?theme=${colorScheme}`, `/posts/${german}/embed?theme=${colorScheme}`]) {
      await page.goto(path);
      expect(await seriousViolations(page), `${path} (${colorScheme})`).toEqual([]);
    }
    await page.context().close();
  }
});

test('axe: no serious or critical violation on /admin/site, light and dark', async ({ browser }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await newPage(browser, { colorScheme });
    expect((await page.request.post('/login', { data: ADMIN })).status()).toBe(200);
    await page.goto('/admin/site');
    await expect(page.locator('#site-accent-check')).toContainText('readable');
    expect(await seriousViolations(page), colorScheme).toEqual([]);
    await page.context().close();
  }
});
