import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';

/** Archives seen from a reader's browser: a replay moves the live page; an HTML export reads offline. */
const token = process.env.LIVELINE_E2E_TOKEN!;
const databasePath = join(process.env.LIVELINE_E2E_DIR!, 'liveline.db');
const run = promisify(execFile);
const SAMPLE_ENTRIES = 17;

const liveline = (args: string[]) => run(process.execPath, ['bin/liveline.js', ...args], { env: { ...process.env, DATABASE_PATH: databasePath, LIVELINE_TOKEN: token } });

test('a replayed keynote arrives live on an open reader page', async ({ page, request, baseURL }) => {
  const slug = `replay-${test.info().workerIndex}-${Date.now()}`;
  const created = await request.post('/api/posts', { headers: { authorization: `Bearer ${token}` }, data: { title: 'Replayed keynote', slug } });
  expect(created.status()).toBe(201);
  await page.goto(`/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');
  const marker = await page.evaluate(() => ((window as unknown as { marker: number }).marker = Math.random()));

  await liveline(['replay', 'fixtures/sample-keynote.md', '--speed', '3000', '--slug', slug, '--url', baseURL!]);

  const bodies = page.locator('#entries article[data-entry-id] .entry-body');
  await expect(bodies).toHaveCount(SAMPLE_ENTRIES, { timeout: 15_000 });
  // Newest first on the reader page (issue 15): the wrap-up on top, the opening at the bottom.
  await expect(bodies.last()).toHaveText('Good morning from Hall A! The lights dim and the keynote is about to start.');
  await expect(bodies.first()).toHaveText("That's a wrap. Thanks for following along — this page is the demo.");
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(marker);

  // Run again: every entry is already there, nothing is doubled.
  await liveline(['replay', 'fixtures/sample-keynote.md', '--speed', '3000', '--slug', slug, '--url', baseURL!]);
  await page.reload();
  await expect(bodies).toHaveCount(SAMPLE_ENTRIES);
});

test('an HTML export reads in the browser with no server at all', async ({ page, request }) => {
  const slug = `export-${test.info().workerIndex}-${Date.now()}`;
  const headers = { authorization: `Bearer ${token}` };
  expect((await request.post('/api/posts', { headers, data: { title: 'Exported keynote', slug } })).status()).toBe(201);
  for (const body of ['First **entry**', 'Second entry with a [link](https://example.com)']) {
    expect((await request.post(`/api/posts/${slug}/entries`, { headers, data: { body } })).status()).toBe(201);
  }
  const file = test.info().outputPath('archive.html');
  await liveline(['export', slug, '--format', 'html', '--output', file]);

  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(`file://${file}`);
  await expect(page.locator('h1')).toHaveText('Exported keynote');
  await expect(page.locator('#entries article[data-entry-id] .entry-body')).toHaveText(['First entry', 'Second entry with a link']);
  await expect(page.locator('#entries strong')).toHaveText('entry');
  // Self-contained: styles are inline, and nothing else is fetched.
  expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe('0px');
  expect(requests).toEqual([`file://${file}`]);
});
