import { devices, expect, request as playwrightRequest, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';

/**
 * Issue 14, "calm on bad Wi-Fi": the composer on dead Wi-Fi says so (a sticky banner with the
 * entries waiting, the button reads "Queue"), opens again on a reload without a network (the
 * newsroom's service worker), and once the network returns sends the queue once, in order, with
 * the times the entries were typed. An ended session shows a login link that comes back to the
 * post, and the queue goes on by itself. Kept pages are one user's: a logout or another user's
 * sign-in purges them.
 */
const PASSWORD = 'e2e user password';
let admin: APIRequestContext;
let csrf = '';
let counter = 0;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  const response = await admin.post('/login', { data: { email: process.env.LIVELINE_E2E_ADMIN_EMAIL, password: process.env.LIVELINE_E2E_ADMIN_PASSWORD } });
  expect(response.status()).toBe(200);
  csrf = ((await response.json()) as { csrfToken: string }).csrfToken;
});
test.afterAll(async () => {
  await admin.dispose();
});

async function createAuthor(name: string): Promise<string> {
  const email = `offline-${Date.now()}-${counter++}@e2e.test`;
  expect((await admin.post('/api/users', { headers: { 'x-csrf-token': csrf }, data: { name, email, role: 'author', password: PASSWORD } })).status()).toBe(201);
  return email;
}

async function createPost(title: string): Promise<string> {
  const response = await admin.post('/api/posts', { headers: { 'x-csrf-token': csrf }, data: { title: `${title} ${Date.now()}-${counter++}` } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { slug: string }).slug;
}

async function logIn(context: BrowserContext, email: string): Promise<void> {
  expect((await context.request.post('/login', { data: { email, password: PASSWORD } })).status()).toBe(200);
}

type Published = { body: string; createdAt: string; updatedAt: string; author: { name: string } | null };
async function published(slug: string): Promise<Published[]> {
  return ((await (await admin.get(`/api/posts/${slug}`)).json()) as { entries: Published[] }).entries;
}

/** Opens the composer and waits until the service worker keeps it for offline use. */
async function openComposer(page: Page, slug: string): Promise<void> {
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  await expect(page.locator('#composer')).toHaveAttribute('data-offline-ready', 'true');
}

/** The browser's own clock, as the outbox reads it. */
const browserNow = (page: Page) => page.evaluate(() => Date.now());

/** This browser's kept newsroom pages (sw.ts): one cache per user. */
const keptPages = (page: Page) => page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('liveline-pages-')));

test('offline: the banner counts 3 waiting entries, a reload still shows them, and back online they go out once, in order, with their typed times', async ({ browser }) => {
  const slug = await createPost('Dead Wi-Fi keynote');
  const email = await createAuthor('Wanda Wifi');
  const context = await browser.newContext();
  // The laptop's clock starts 5 minutes back; the offline spell below moves it 5 minutes on, so
  // when the entries go out it agrees with the server's and they are 5 minutes late.
  await context.clock.install({ time: Date.now() - 5 * 60_000 });
  await logIn(context, email);
  const page = await context.newPage();
  await openComposer(page, slug);
  const banner = page.locator('#queue-banner');
  const button = page.locator('#publish');
  await expect(banner).toBeHidden();
  await expect(button).toHaveText('Publish');

  await context.setOffline(true);
  await expect(banner).toHaveText('Offline: what you publish waits here and goes out in order when the connection returns.');
  await expect(button).toHaveText('Queue');
  const bodies = ['Doors open, offline', 'The CEO walks on', 'One more thing'];
  const typed: [number, number][] = [];
  for (const body of bodies) {
    await page.locator('#entry-body').fill(body);
    const before = await browserNow(page);
    await page.locator('#entry-body').press('Control+Enter');
    await expect(page.locator('#entry-body')).toHaveValue('');
    typed.push([before, await browserNow(page)]);
  }
  await expect(banner).toHaveText('Offline: 3 entries waiting; they go out in order.');
  await expect(page.locator('#outbox-status')).toHaveText('Queued: 3 entries waiting.');
  await expect(page.locator('#outbox .outbox-item[data-state="queued"]')).toHaveCount(3);
  await page.locator('#entry-body').fill('Half-written: the price is');
  await page.screenshot({ path: test.info().outputPath('offline-desktop.png') });

  // A reload on dead Wi-Fi: the service worker's copy, with the queue and the draft.
  await page.reload();
  await expect(banner).toHaveText('Offline: 3 entries waiting; they go out in order.');
  await expect(button).toHaveText('Queue');
  await expect(page.locator('#outbox .outbox-item[data-state="queued"] .excerpt')).toHaveText(bodies);
  await expect(page.locator('#entry-body')).toHaveValue('Half-written: the price is');
  expect(await published(slug)).toEqual([]);

  // Five minutes later the network is back.
  await context.clock.fastForward('05:00');
  await context.setOffline(false);
  await expect(banner).toHaveText('All 3 entries sent.');
  await expect(page.locator('#outbox-status')).toHaveText('All 3 entries sent.');
  await expect(button).toHaveText('Publish');
  // Sent rows: one line each, their time and no trace of the waiting.
  const sent = page.locator('#outbox .outbox-item[data-state="published"]');
  await expect(sent).toHaveCount(3);
  await expect(sent.locator('.reason')).toHaveCount(0);
  for (const row of await sent.all()) expect((await row.boundingBox())!.height).toBeLessThan(40);

  const entries = await published(slug);
  expect(entries.map((entry) => [entry.body, entry.author?.name])).toEqual(bodies.map((body) => [body, 'Wanda Wifi']));
  entries.forEach((entry, i) => {
    const shown = Date.parse(entry.createdAt);
    // The time it was typed (to the millisecond, by the browser's clock), saved 5 minutes later.
    expect(shown).toBeGreaterThanOrEqual(typed[i]![0]);
    expect(shown).toBeLessThanOrEqual(typed[i]![1]);
    expect(Date.parse(entry.updatedAt) - shown).toBeGreaterThan(4 * 60_000);
  });
  await page.screenshot({ path: test.info().outputPath('drained-desktop.png') });
  // The confirmation fades; nothing goes out twice, also after another reload.
  await expect(banner).toBeHidden({ timeout: 15_000 });
  await page.reload();
  await expect(page.locator('#connection')).toHaveText('Live');
  await expect(page.locator('#timeline .desk-entry')).toHaveCount(3);
  expect((await published(slug)).length).toBe(3);
  await context.close();
});

test('a server out of reach while the browser thinks it is online counts as offline too', async ({ browser }) => {
  const slug = await createPost('Captive portal keynote');
  const email = await createAuthor('Pia Portal');
  const context = await browser.newContext();
  await context.clock.install();
  await logIn(context, email);
  const page = await context.newPage();
  await openComposer(page, slug);
  // The venue's Wi-Fi answers nothing: the browser still says it is online.
  await page.route('**/api/**', (route) => route.abort('connectionrefused'));
  await page.locator('#entry-body').fill('Sent into the void');
  await page.locator('#entry-body').press('Control+Enter');
  await expect(page.locator('#queue-banner')).toHaveText('The server cannot be reached: 1 entry waiting; retrying, it goes out in order.');
  await expect(page.locator('#publish')).toHaveText('Queue');
  await page.unroute('**/api/**');
  // The outbox's next retry (at most 20 s away) comes at once.
  await context.clock.fastForward('00:30');
  await expect(page.locator('#queue-banner')).toHaveText('The waiting entry has been sent.');
  expect((await published(slug)).map((entry) => entry.body)).toEqual(['Sent into the void']);
  await context.close();
});

test('an ended session shows a login link back to the post; after signing in again the queue goes on by itself', async ({ browser, baseURL }) => {
  const slug = await createPost('Expired session keynote');
  const email = await createAuthor('Sam Session');
  const context = await browser.newContext();
  await logIn(context, email);
  const page = await context.newPage();
  await openComposer(page, slug);
  expect(await keptPages(page)).toHaveLength(1);

  await context.setOffline(true);
  const bodies = ['Typed before the session ended', 'And one more'];
  for (const body of bodies) {
    await page.locator('#entry-body').fill(body);
    await page.locator('#entry-body').press('Control+Enter');
  }
  const banner = page.locator('#queue-banner');
  await expect(banner).toHaveText('Offline: 2 entries waiting; they go out in order.');

  // The session ends elsewhere (logged out from another device): this browser keeps its stale cookie.
  const cookie = (await context.cookies()).find((c) => c.name === 'liveline_session')!;
  const elsewhere = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { cookie: `liveline_session=${cookie.value}` } });
  const token = (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? '';
  expect((await elsewhere.post('/logout', { headers: { 'x-csrf-token': token, 'content-type': 'application/json' }, data: {} })).status()).toBe(204);
  await elsewhere.dispose();

  await context.setOffline(false);
  await expect(banner).toHaveText('Your session has ended: 2 entries waiting. Log in again to send them; nothing is lost.');
  await expect(page.locator('#outbox-alert')).toHaveText(/^Your session has ended/);
  await expect(page.locator('#publish')).toHaveText('Queue');
  const login = banner.getByRole('link', { name: 'Log in again' });
  await expect(login).toHaveAttribute('href', `/login?next=${encodeURIComponent(`/admin/posts/${slug}`)}`);
  // With the session gone, this browser keeps no newsroom page.
  await expect.poll(() => keptPages(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('session-ended.png') });
  expect(await published(slug)).toEqual([]);

  await login.click();
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/posts/${slug}$`));
  await expect(banner).toHaveText('All 2 entries sent.');
  expect((await published(slug)).map((entry) => entry.body)).toEqual(bodies);
  await expect(page.locator('#composer')).toHaveAttribute('data-offline-ready', 'true');
  await context.close();
});

test("kept pages are one user's: logging out purges them, and so does someone else signing in", async ({ browser }) => {
  const slug = await createPost('Shared laptop keynote');
  const [ada, bob] = [await createAuthor('Ada Offline'), await createAuthor('Bob Offline')];
  const context = await browser.newContext();
  await logIn(context, ada);
  const page = await context.newPage();
  await openComposer(page, slug);
  const adaId = await page.locator('#who').getAttribute('data-user-id');
  expect(await keptPages(page)).toEqual([`liveline-pages-${adaId}`]);

  // Ada logs out with the button: her kept page goes; offline, the composer no longer opens.
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(await keptPages(page)).toEqual([]);
  await context.setOffline(true);
  await expect(page.goto(`/admin/posts/${slug}`)).rejects.toThrow();
  await context.setOffline(false);

  // Ada again, then Bob signs in on the same browser without Ada logging out.
  await logIn(context, ada);
  await openComposer(page, slug);
  expect(await keptPages(page)).toEqual([`liveline-pages-${adaId}`]);
  await logIn(context, bob);
  await page.goto('/admin');
  await expect.poll(() => keptPages(page)).toEqual([]);
  await openComposer(page, slug);
  const bobId = await page.locator('#who').getAttribute('data-user-id');
  expect(await keptPages(page)).toEqual([`liveline-pages-${bobId}`]);
  // Offline, the composer that opens is Bob's.
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('#who')).toHaveAttribute('data-user-id', bobId!);
  await context.close();
});

test('on a phone, the offline banner stays in view above the box', async ({ browser }) => {
  const slug = await createPost('Phone keynote');
  // A timeline longer than the screen, so that there is somewhere to scroll to.
  for (let i = 1; i <= 12; i++) expect((await admin.post(`/api/posts/${slug}/entries`, { headers: { 'x-csrf-token': csrf }, data: { body: `Earlier update ${i}` } })).status()).toBe(201);
  const email = await createAuthor('Phil Phone');
  const context = await browser.newContext({ ...devices['Pixel 7'] });
  await logIn(context, email);
  const page = await context.newPage();
  await openComposer(page, slug);
  await context.setOffline(true);
  const bodies = ['From the front row: the lights go down and the CEO walks on stage to a standing ovation', 'The demo crashed'];
  for (const body of bodies) {
    await page.locator('#entry-body').fill(body);
    await page.locator('#publish').tap();
  }
  const banner = page.locator('#queue-banner');
  await expect(banner).toHaveText('Offline: 2 entries waiting; they go out in order.');
  await expect(page.locator('#publish')).toHaveText('Queue');
  // Sticky: scrolled down to the end of the timeline, the banner is still at the top of the screen.
  await expect(page.locator('#timeline .desk-entry')).toHaveCount(12);
  await page.locator('#timeline .desk-entry').last().scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
  await expect(banner).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('offline-phone-scrolled.png') });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: test.info().outputPath('offline-phone.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: test.info().outputPath('offline-phone-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Back online: sent, and each sent row is one line even on a narrow screen.
  await context.setOffline(false);
  await expect(banner).toHaveText('All 2 entries sent.');
  const sent = page.locator('#outbox .outbox-item[data-state="published"]');
  await expect(sent).toHaveCount(2);
  for (const row of await sent.all()) expect((await row.boundingBox())!.height).toBeLessThan(40);
  await page.screenshot({ path: test.info().outputPath('sent-phone.png') });
  await context.close();
});
