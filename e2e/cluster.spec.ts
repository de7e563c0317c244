import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { missingTools, Topology } from '../scripts/cluster/topology.js';

/**
 * The reader page in a real browser through nginx, in front of a primary and two fan-out nodes
 * on Redis (the `npm run cluster` topology on free ports): page, API and socket at one address.
 */
let topology: Topology;
let dir: string;
let auth: Record<string, string>;

test.describe.configure({ mode: 'serial', timeout: 120_000 });
// .ci/run installs redis-server and nginx; elsewhere, without them, this file is skipped.
const missing = missingTools();
test.skip(missing.length > 0 && !process.env.CI, `needs ${missing.join(' and ')} (apt-get install -y redis-server nginx)`);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dir = mkdtempSync(join(tmpdir(), 'liveline-e2e-cluster-'));
  topology = await Topology.start({ dir, logLevel: 'warn' });
  const token = execFileSync(process.execPath, ['bin/liveline.js', 'token', 'create', '--name', 'Cluster E2E', '--role', 'editor'], {
    env: { ...process.env, DATABASE_PATH: topology.databasePath },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  auth = { authorization: `Bearer ${token}` };
});

test.afterAll(async () => {
  await topology?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a reader behind nginx keeps every entry when its fan-out node dies', async ({ page, request }) => {
  const created = await request.post(`${topology.url}/api/posts`, { headers: auth, data: { title: `Cluster keynote ${Date.now()}`, status: 'live' } });
  expect(created.status()).toBe(201);
  const { slug } = (await created.json()) as { slug: string };
  const post = async (body: string) => {
    const response = await request.post(`${topology.url}/api/posts/${slug}/entries`, { headers: { ...auth, 'idempotency-key': crypto.randomUUID() }, data: { body } });
    expect(response.status()).toBe(201);
  };

  await page.goto(`${topology.url}/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');
  for (let i = 1; i <= 3; i++) await post(`Before ${i}`);
  const bodies = page.locator('#entries article[data-entry-id] .entry-body');
  // Newest first (issue 15).
  await expect(bodies).toHaveText(['Before 3', 'Before 2', 'Before 1']);
  // Presence: this page is the post's one reader, counted across nodes.
  await expect(page.locator('#readers')).toHaveText('1 reading', { timeout: 20_000 });

  const connections = await Promise.all([0, 1].map(async (i) => ((await (await fetch(`${topology.fanoutUrl(i)}/healthz`)).json()) as { connections: number }).connections));
  const holder = connections[0]! > 0 ? 0 : 1;
  expect(connections[holder]).toBe(1);
  await topology.stopFanout(holder, 'SIGKILL');
  for (let i = 1; i <= 3; i++) await post(`After ${i}`);

  await expect(bodies).toHaveText(['After 3', 'After 2', 'After 1', 'Before 3', 'Before 2', 'Before 1'], { timeout: 30_000 });
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');
});
