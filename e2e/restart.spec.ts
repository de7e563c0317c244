import { expect, test } from '@playwright/test';
import { OwnServer } from './support/server.js';

let server: OwnServer;
test.beforeEach(async () => {
  server = new OwnServer();
  await server.start();
});
test.afterEach(async () => {
  await server.dispose();
});

/** Posts like an author's client on bad Wi-Fi: the same Idempotency-Key until a 2xx comes back. */
async function postUntilAccepted(url: string, token: string, slug: string, body: string): Promise<void> {
  const key = crypto.randomUUID();
  for (;;) {
    try {
      const response = await fetch(`${url}/api/posts/${slug}/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ body }),
      });
      if (response.ok) return;
    } catch {
      // server down: retry
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`a server restart (${signal}) in the middle of a burst: the page converges with every entry once, in order`, async ({ page }) => {
    const token = server.token();
    const created = await fetch(`${server.url}/api/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Restart' }),
    });
    const { slug } = (await created.json()) as { slug: string };
    await page.goto(`${server.url}/posts/${slug}`);
    await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');

    const expected = Array.from({ length: 30 }, (_, i) => `Burst ${i + 1}`);
    let accepted = 0;
    const burst = (async () => {
      for (const body of expected) {
        await postUntilAccepted(server.url, token, slug, body);
        accepted += 1;
      }
    })();
    await expect.poll(() => accepted, { timeout: 20_000 }).toBeGreaterThanOrEqual(10);
    await server.stop(signal);
    await expect(page.locator('#connection')).not.toHaveAttribute('data-state', 'live');
    await server.start();
    await burst;

    await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    // Newest first (issue 15).
    await expect(page.locator('#entries > article[data-entry-id] .entry-body')).toHaveText([...expected].reverse(), { timeout: 20_000 });
  });
}
