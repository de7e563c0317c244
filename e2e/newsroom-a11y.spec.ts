import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { adminSession } from './support/admin.js';
import { createPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * The newsroom is used for hours, on phones and in dark rooms (issue 14, "Accessibility"): axe
 * finds no serious or critical violation on /admin, the composer and /admin/users, in light and in
 * dark; a skip link leads past the bar; "Add image" shows keyboard focus.
 */
const admin = adminSession();

async function signIn(page: Page): Promise<void> {
  await page.context().addCookies((await admin().storageState()).cookies);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => `${node.target.join(' ')} (${node.failureSummary ?? ''})`).join(', ')}`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in ${colorScheme} mode`, () => {
    test.use({ colorScheme });

    test('axe passes on /admin', async ({ page, request }) => {
      await createPost(request, uniqueTitle('Accessible list'));
      await signIn(page);
      await page.goto('/admin');
      await expect(page.locator('#post-list')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('axe passes on the composer, with entries, badges, the outbox and the settings open', async ({ page, request }) => {
      const slug = await createPost(request, uniqueTitle('Accessible desk'), { status: 'live' });
      await postEntry(request, slug, 'A **key** moment with [a link](https://example.com)', { keyEvent: true });
      await postEntry(request, slug, '> A quote\n\n- a list');
      await signIn(page);
      await page.goto(`/admin/posts/${slug}`);
      await expect(page.locator('#connection')).toHaveText('Live');
      await page.locator('#entry-body').fill('From the desk');
      await page.locator('#publish').click();
      await expect(page.locator('#timeline .desk-entry', { hasText: 'From the desk' })).toHaveCount(1);
      await page.locator('#settings summary').click();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: test.info().outputPath(`composer-${colorScheme}.png`), fullPage: true });
    });

    test('axe passes on /admin/users', async ({ page }) => {
      await signIn(page);
      await page.goto('/admin/users');
      await expect(page.locator('#users tbody tr').first()).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}

test('a skip link leads past the newsroom bar, and "Add image" shows keyboard focus', async ({ page, request }) => {
  const slug = await createPost(request, uniqueTitle('Keyboard desk'));
  await signIn(page);
  await page.goto('/admin');
  await page.keyboard.press('Tab');
  const skip = page.locator('a.skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();

  await page.goto(`/admin/posts/${slug}`);

  await page.locator('#image-picker').focus();
  const label = page.locator('label[for="image-picker"]');
  expect(await label.evaluate((element) => getComputedStyle(element).outlineStyle)).not.toBe('none');
});
