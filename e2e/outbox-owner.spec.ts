import { expect, request as playwrightRequest, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';

/**
 * Security review M8: an entry queued offline belongs to whoever typed it. On a shared browser, a
 * colleague who signs in after them (in another tab, or after a logout) must never publish it
 * under their own name; it waits until its author signs in again.
 */
const PASSWORD = 'e2e user password';
let admin: APIRequestContext;
let csrf = '';

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  const response = await admin.post('/login', { data: { email: process.env.LIVELINE_E2E_ADMIN_EMAIL, password: process.env.LIVELINE_E2E_ADMIN_PASSWORD } });
  csrf = ((await response.json()) as { csrfToken: string }).csrfToken;
});
test.afterAll(async () => {
  await admin.dispose();
});

async function author(name: string): Promise<string> {
  const email = `${name.toLowerCase()}-${Date.now()}@e2e.test`;
  expect((await admin.post('/api/users', { headers: { 'x-csrf-token': csrf }, data: { name, email, role: 'author', password: PASSWORD } })).status()).toBe(201);
  return email;
}

async function signIn(context: BrowserContext, email: string): Promise<void> {
  expect((await context.request.post('/login', { data: { email, password: PASSWORD } })).status()).toBe(200);
}

async function signOut(page: Page): Promise<void> {
  const token = await page.locator('meta[name="csrf-token"]').getAttribute('content');
  expect((await page.context().request.post('/logout', { headers: { 'x-csrf-token': token ?? '', 'content-type': 'application/json' }, data: {} })).status()).toBe(204);
}

async function published(slug: string): Promise<{ body: string; author: { name: string } | null }[]> {
  return ((await (await admin.get(`/api/posts/${slug}`)).json()) as { entries: { body: string; author: { name: string } | null }[] }).entries;
}

test("a colleague signing in on the same browser never publishes someone else's queued entry", async ({ browser }) => {
  const created = await admin.post('/api/posts', { headers: { 'x-csrf-token': csrf }, data: { title: `Shared laptop ${Date.now()}` } });
  const { slug } = (await created.json()) as { slug: string };
  const [ada, bob] = [await author('Ada'), await author('Bob')];
  const context = await browser.newContext();
  await signIn(context, ada);
  const adaTab = await context.newPage();
  await adaTab.goto(`/admin/posts/${slug}`);
  await expect(adaTab.locator('#connection')).toHaveText('Live');

  await context.setOffline(true);
  await adaTab.locator('#entry-body').fill("Ada's scoop, typed offline");
  await adaTab.locator('#entry-body').press('Control+Enter');
  await adaTab.locator('#entry-body').fill("Ada's half-written draft");
  await expect(adaTab.locator('#outbox .outbox-item[data-state="queued"]')).toHaveCount(1);

  // Ada leaves; Bob signs in on the same browser while Ada's tab is still open. Then the network returns.
  await signOut(adaTab);
  await signIn(context, bob);
  await context.setOffline(false);
  // Ada's still-open tab tries to send with Bob's cookie: it holds the entry instead.
  await expect(adaTab.locator('#outbox .outbox-item .reason')).toContainText('Held', { timeout: 15_000 });
  const bobTab = await context.newPage();
  await bobTab.goto(`/admin/posts/${slug}`);
  await expect(bobTab.locator('#connection')).toHaveText('Live');
  await expect(bobTab.locator('#entry-body')).toHaveValue('');
  await expect(bobTab.locator('#outbox .outbox-item')).toHaveCount(0);
  await bobTab.waitForTimeout(1500);
  expect(await published(slug)).toEqual([]);

  // Ada comes back: her entry goes out, under her name.
  await signOut(bobTab);
  await signIn(context, ada);
  const again = await context.newPage();
  await again.goto(`/admin/posts/${slug}`);
  await expect.poll(async () => (await published(slug)).map((entry) => [entry.body, entry.author?.name]), { timeout: 20_000 }).toEqual([["Ada's scoop, typed offline", 'Ada']]);
  await expect(again.locator('#entry-body')).toHaveValue("Ada's half-written draft");
  await context.close();
});
