import { execFileSync } from 'node:child_process';
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import { WebhookReceiver } from '../server/test/webhook-receiver.js';
import { OwnServer } from './support/server.js';

/**
 * Issue 18, webhooks in the newsroom: an admin registers an endpoint on /admin/webhooks (the
 * secret shown once), sees deliveries arrive in the log as entries are published, sees a failing
 * receiver as failing and recovering, and replays the post from a seq. The receiver is a real HTTP
 * server in the test that checks every signature with its own Standard Webhooks implementation.
 * On a server of its own: internal receivers allowed (WEBHOOK_ALLOW_PRIVATE), retries compressed.
 */
test.describe.configure({ mode: 'serial' });

const ADMIN = { email: 'hooks-admin@e2e.test', password: 'hooks admin password' };

let server: OwnServer;
let api: APIRequestContext;
const receiver = new WebhookReceiver();
let slug = '';

test.beforeAll(async () => {
  server = new OwnServer({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000' });
  await server.start();
  execFileSync(process.execPath, ['bin/liveline.js', 'user', 'add', '--email', ADMIN.email, '--name', 'Hooks Admin', '--role', 'admin', '--password-stdin'], {
    env: { ...process.env, DATABASE_PATH: join(server.dir, 'liveline.db') },
    input: ADMIN.password,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  api = await playwrightRequest.newContext({ baseURL: server.url, extraHTTPHeaders: { authorization: `Bearer ${server.token('editor')}` } });
  const created = await api.post('/api/posts', { data: { title: 'Partner keynote', status: 'live' } });
  expect(created.status()).toBe(201);
  slug = ((await created.json()) as { slug: string }).slug;
  for (const body of ['Doors open.', 'The keynote starts.']) await publish(body);
  await receiver.start();
});

test.afterAll(async () => {
  await api?.dispose();
  await receiver.stop();
  await server?.dispose();
});

async function publish(body: string): Promise<void> {
  expect((await api.post(`/api/posts/${slug}/entries`, { data: { body } })).status()).toBe(201);
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/login?next=/admin/webhooks`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
}

const logRows = (page: Page) => page.locator('#deliveries-log tbody tr');

test('an admin registers an endpoint, watches deliveries arrive, sees a failure recover, and replays from a seq', async ({ page }) => {
  await logIn(page);
  await expect(page.getByText('No endpoints yet.')).toBeVisible();

  await page.getByLabel('URL').fill(receiver.url);
  await page.getByLabel('Follows').selectOption(slug);
  await page.getByLabel('Description (optional)').fill('Partner desk');
  await page.getByRole('button', { name: 'Register endpoint' }).click();
  const secret = page.locator('#webhook-secret');
  await expect(secret).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  receiver.secret = (await secret.textContent())!;
  const row = page.locator('#webhooks tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(receiver.url);
  await expect(row).toContainText('Partner keynote');
  await expect(row).toContainText('Active');
  await expect(page.getByRole('heading', { name: `Deliveries to ${receiver.url}` })).toBeVisible();
  await expect(page.getByText('Nothing delivered yet.')).toBeVisible();

  // Entries published elsewhere show up in the log as they are delivered.
  for (const body of ['Announcement one.', 'Announcement two.', 'Announcement three.']) await publish(body);
  await expect(logRows(page)).toHaveCount(3);
  await expect(logRows(page).first()).toContainText('5');
  for (const seq of ['3', '4', '5']) await expect(page.locator(`#deliveries-log tr[data-seq="${seq}"]`)).toContainText('Delivered');
  expect(receiver.seqs).toEqual([3, 4, 5]);
  expect(receiver.received.every((delivery) => delivery.signatureValid)).toBe(true);

  // The receiver fails: the endpoint says so, the delivery waits and is retried, then goes through.
  receiver.answer = () => 500;
  await publish('While the partner is down.');
  await expect(row).toContainText('Failing');
  await expect(page.locator('#deliveries-log tr[data-seq="6"]')).toContainText('Retrying');
  await expect(page.locator('#deliveries-log tr[data-seq="6"]')).toContainText('HTTP 500: receiver says 500');
  await page.screenshot({ path: test.info().outputPath('webhooks-failing.png'), fullPage: true });
  receiver.answer = () => 200;
  await expect(page.locator('#deliveries-log tr[data-seq="6"]')).toContainText('Delivered', { timeout: 10_000 });
  await expect(row).toContainText('Active');
  expect(receiver.seqs).toEqual([3, 4, 5, 6]);

  // Replay the whole post from seq 1.
  await page.getByLabel('Replay from seq').fill('1');
  await page.getByRole('button', { name: 'Replay' }).click();
  await expect(page.locator('#replay-message')).toHaveText(`Replaying ${slug} from seq 1: 6 to send.`);
  await expect(logRows(page)).toHaveCount(10);
  await expect.poll(() => receiver.seqs).toEqual([3, 4, 5, 6, 1, 2, 3, 4, 5, 6]);
  expect(receiver.received.every((delivery) => delivery.signatureValid)).toBe(true);
  expect(new Set(receiver.received.map((delivery) => delivery.id)).size).toBe(10);
  await expect(logRows(page).filter({ hasText: 'Retrying' })).toHaveCount(0);
  await expect(row.locator('.webhook-pending')).toHaveText('0');
  await page.screenshot({ path: test.info().outputPath('webhooks-desktop.png'), fullPage: true });

  // A replay beyond the log is refused with the server's words.
  await page.getByLabel('Replay from seq').fill('99');
  await page.getByRole('button', { name: 'Replay' }).click();
  await expect(page.locator('#replay-message')).toHaveText("fromSeq: the post's log ends at seq 6.");
});

test('on a phone, the page and its log fit the screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await logIn(page);
  await page.locator('#webhooks tbody tr').getByRole('button', { name: 'Deliveries' }).click();
  await expect(logRows(page)).toHaveCount(10);
  // Nothing but the log's own scroller may be wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath('webhooks-phone.png'), fullPage: true });
  await context.close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no serious violation on /admin/webhooks with its log open (${colorScheme})`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await logIn(page);
    await page.locator('#webhooks tbody tr').getByRole('button', { name: 'Deliveries' }).click();
    await expect(logRows(page)).toHaveCount(10);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
    await context.close();
  });
}
