import { expect, test } from '@playwright/test';
import { createPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * Issue 15, "Weight": a reader's first visit to a 50-entry live post (page, script, styles, first
 * socket handshake) transfers at least 4× fewer bytes than the same resources uncompressed. Both
 * sides are measured in the same visit: what crossed the wire (encoded bodies and headers) against
 * what the browser decoded (bodies plus the same headers).
 */
test('a first visit transfers at least 4× fewer bytes than uncompressed', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Weighty keynote'), { status: 'live', description: 'Everything announced today' });
  for (let i = 1; i <= 50; i++) {
    await postEntry(request, slug, `**${i}.** The presenter walks through slide ${i}: prices, availability and a [spec sheet](https://example.com/spec/${i}), with a short quote.\n\n> "This is the best one yet," said the presenter.`);
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  const rows: { url: string; transferred: number; decoded: number; encoding: string }[] = [];
  page.on('requestfinished', (finished) => {
    void (async () => {
      const response = await finished.response();
      if (!response) return;
      const sizes = await finished.sizes();
      const body = await response.body().catch(() => Buffer.alloc(0));
      rows.push({
        url: new URL(finished.url()).pathname,
        transferred: sizes.responseBodySize + sizes.responseHeadersSize,
        decoded: body.length + sizes.responseHeadersSize,
        encoding: (await response.headerValue('content-encoding')) ?? 'none',
      });
    })();
  });
  await page.goto(`/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('#entries > article[data-entry-id]')).toHaveCount(50);
  await expect.poll(() => rows.filter((row) => row.url.startsWith('/assets/')).length).toBeGreaterThanOrEqual(2);

  const transferred = rows.reduce((sum, row) => sum + row.transferred, 0);
  const decoded = rows.reduce((sum, row) => sum + row.decoded, 0);
  test.info().annotations.push({ type: 'first visit', description: `${transferred} B transferred, ${decoded} B uncompressed (${(decoded / transferred).toFixed(1)}×): ${rows.map((row) => `${row.url} ${row.encoding} ${row.transferred}/${row.decoded}`).join('; ')}` });
  console.log(test.info().annotations.at(-1)?.description);
  const page1 = rows.find((row) => row.url === `/posts/${slug}`);
  expect(page1?.encoding).toBe('br');
  for (const asset of rows.filter((row) => row.url.startsWith('/assets/'))) expect(asset.encoding, asset.url).toBe('br');
  expect(decoded / transferred).toBeGreaterThanOrEqual(4);
  await context.close();
});
