import { expect, test, type Page } from '@playwright/test';
import { OwnServer } from './support/server.js';

/**
 * Security review M1: every newsroom page carries the full script policy. An attacker who gets
 * markup into one of them (an inline <script>, an onerror handler) must not run code there, since
 * these pages act with an editor's or admin's authority.
 */

async function injectionRuns(page: Page): Promise<{ inline: boolean; handler: boolean; violations: string[] }> {
  return page.evaluate(async () => {
    const flags = window as unknown as { __inline?: boolean; __handler?: boolean };
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (event) => void violations.push(event.effectiveDirective));
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true;';
    document.body.append(script);
    const holder = document.createElement('div');
    // A same-origin image that 404s: allowed to load, so its error handler is what the policy stops.
    holder.innerHTML = '<img src="/no-such-image.png" onerror="window.__handler = true">';
    document.body.append(holder);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { inline: Boolean(flags.__inline), handler: Boolean(flags.__handler), violations: violations.sort() };
  });
}

async function expectNothingRuns(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp, path).toContain("script-src 'self' 'nonce-");
  expect(csp, path).toContain("frame-ancestors 'none'");
  expect(await injectionRuns(page), path).toEqual({ inline: false, handler: false, violations: ['script-src-attr', 'script-src-elem'] });
}

test('no injected script or handler runs on any newsroom page', async ({ page, baseURL }) => {
  const login = await page.request.post(`${baseURL}/login`, { data: { email: process.env.LIVELINE_E2E_ADMIN_EMAIL, password: process.env.LIVELINE_E2E_ADMIN_PASSWORD } });
  expect(login.status()).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await page.request.post(`${baseURL}/api/posts`, { headers: { 'x-csrf-token': csrfToken }, data: { title: `CSP ${Date.now()}` } });
  const { slug } = (await created.json()) as { slug: string };
  for (const path of ['/admin', `/admin/posts/${slug}`, '/admin/users', '/admin/site', '/admin/webhooks']) await expectNothingRuns(page, path);
  // The composer still works under the policy: its own script ran and connected.
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  await page.context().clearCookies();
  await expectNothingRuns(page, '/login');
});

test('nor on the first-run setup page', async ({ browser }) => {
  const server = new OwnServer();
  await server.start();
  try {
    const page = await browser.newPage();
    await expectNothingRuns(page, `${server.url}/setup`);
    await page.close();
  } finally {
    await server.stop();
  }
});
