// Before the browser tests: make sure there is a Chromium to run them in, so that
// `npm install && npm test` works on a fresh machine. The same choice as playwright.config.ts:
// CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own build, downloaded once.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const system = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
if (system) {
  if (!existsSync(system)) {
    console.error(`CHROMIUM_PATH=${system} does not exist`);
    process.exit(1);
  }
} else if (!existsSync(chromium.executablePath())) {
  console.log('No Chromium found: installing Playwright\'s (once)…');
  const install = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
  process.exit(install.status ?? 1);
}
