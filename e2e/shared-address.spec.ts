import { expect, test, type Page } from '@playwright/test';
import { OwnServer } from './support/server.js';

/**
 * A reader behind an address that already holds every socket the server allows it (a keynote on
 * the venue's one public address, a carrier-grade NAT) must still get a live page. The server is
 * our own with SOCKET_MAX_CONNECTIONS_PER_IP=1, so the second of two browser contexts on
 * 127.0.0.1 is that reader: its socket is refused, and its page follows the change log over HTTP
 * (client/live-sync.ts), saying so calmly, while the first keeps its socket.
 */

let server: OwnServer;
let auth: { authorization: string };

test.beforeAll(async () => {
  server = new OwnServer({ SOCKET_MAX_CONNECTIONS_PER_IP: '1' });
  await server.start();
  auth = { authorization: `Bearer ${server.token('editor')}` };
});

test.afterAll(async () => {
  await server.dispose();
});

const entryBodies = (page: Page) => page.locator('#entries article[data-entry-id] .entry-body');

test('a second reader on the same address, refused a socket, still sees entries posted after it opened', async ({ browser, request }) => {
  test.setTimeout(60_000);
  const created = await request.post(`${server.url}/api/posts`, { headers: auth, data: { title: 'Keynote on the venue Wi-Fi' } });
  expect(created.status()).toBe(201);
  const { slug } = (await created.json()) as { slug: string };

  const first = await (await browser.newContext()).newPage();
  await first.goto(`${server.url}/posts/${slug}`);
  await expect(first.locator('#connection')).toHaveAttribute('data-state', 'live');

  const second = await (await browser.newContext()).newPage();
  await second.goto(`${server.url}/posts/${slug}`);
  // Its socket is refused; the first poll of the change log answers within a few seconds.
  await expect(second.locator('#connection')).toHaveText('Live (slower updates)', { timeout: 15_000 });
  await expect(second.locator('#connection')).toHaveAttribute('data-state', 'slower');
  await expect(second.locator('#connection')).toBeVisible();
  await expect(first.locator('#connection')).toBeHidden();
  const marker = await second.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));

  for (const body of ['Doors open', 'The keynote **starts**']) {
    const posted = await request.post(`${server.url}/api/posts/${slug}/entries`, { headers: { ...auth, 'idempotency-key': crypto.randomUUID() }, data: { body } });
    expect(posted.status()).toBe(201);
  }

  // Newest first (issue 15).
  await expect(entryBodies(first)).toHaveText(['The keynote starts', 'Doors open']);
  // Polled every 5 to 10 s: slower, but every entry, once, in order, without a reload.
  await expect(entryBodies(second)).toHaveText(['The keynote starts', 'Doors open'], { timeout: 20_000 });
  expect(await second.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);
  await expect(second.locator('#connection')).toHaveText('Live (slower updates)');
  await expect(first.locator('#connection')).toHaveAttribute('data-state', 'live');
  // Only the first page holds a socket: the second got everything over HTTP.
  expect(await (await request.get(`${server.url}/metrics`)).text()).toMatch(/^liveline_connected_readers 1$/m);
});
