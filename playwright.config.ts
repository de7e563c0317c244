import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { freePort } from './e2e/support/server.js';

/**
 * End-to-end tests run the built server (`npm run build`) on a free port and a fresh temporary
 * database. The runner prepares both once; worker processes inherit them through the environment.
 */

if (!process.env.LIVELINE_E2E_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-e2e-'));
  process.env.LIVELINE_E2E_DIR = dir;
  process.env.LIVELINE_E2E_PORT = String(await freePort());
  // The partner site of e2e/embed.spec.ts (a server the test starts): allowed to frame the embed.
  process.env.LIVELINE_E2E_PARTNER_PORT = String(await freePort());
  process.env.LIVELINE_E2E_TOKEN = execFileSync(process.execPath, ['bin/liveline.js', 'token', 'create', '--name', 'E2E Editor', '--role', 'editor'], {
    env: { ...process.env, DATABASE_PATH: join(dir, 'liveline.db') },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
  // The newsroom tests log in as this admin and create the other accounts they need.
  process.env.LIVELINE_E2E_ADMIN_EMAIL = 'admin@e2e.test';
  process.env.LIVELINE_E2E_ADMIN_PASSWORD = 'e2e admin password';
  execFileSync(process.execPath, ['bin/liveline.js', 'user', 'add', '--email', process.env.LIVELINE_E2E_ADMIN_EMAIL, '--name', 'E2E Admin', '--role', 'admin', '--password-stdin'], {
    env: { ...process.env, DATABASE_PATH: join(dir, 'liveline.db') },
    input: process.env.LIVELINE_E2E_ADMIN_PASSWORD,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}
const dir = process.env.LIVELINE_E2E_DIR;
const port = Number(process.env.LIVELINE_E2E_PORT);

// Debian's Chromium where there is one (CI here cannot download browsers); Playwright's own elsewhere.
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: process.env.CI ? 1 : undefined,
  reporter: process.env.CI ? 'list' : 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'on-first-retry',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          ...(chromiumPath ? { executablePath: chromiumPath } : {}),
          args: [
            ...(isRoot ? ['--no-sandbox'] : []),
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `${JSON.stringify(process.execPath)} bin/liveline.js serve`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    // One token posts every entry of every test (the XSS corpus alone is > 100): lift the write limit.
    env: { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'liveline.db'), LOG_LEVEL: 'warn', RATE_LIMIT_WRITES_PER_MINUTE: '100000', EMBED_ORIGINS: `http://127.0.0.1:${process.env.LIVELINE_E2E_PARTNER_PORT}` },
  },
});
