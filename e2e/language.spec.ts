import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * Issue 15, "Language and brand": a post in German and another in Arabic speak their language
 * in a real browser, whatever the browser's own locale (en-US here): interface strings (rendered
 * by the server and by the reader script), dates and relative times through Intl, `lang`, and
 * `dir="rtl"` with a mirrored layout for Arabic. On a phone and on a desktop, with screenshots;
 * axe on the post and the embed, light and dark, left to right and right to left.
 */

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;

const LANGUAGES = [
  {
    tag: 'de',
    dir: null,
    readerZone: 'Europe/Berlin',
    title: 'Bundestag: Haushaltsdebatte',
    description: 'Alle Reden und Abstimmungen',
    first: 'Die Sitzung ist eröffnet. Der Präsident begrüßt die Abgeordneten.\n\n> „Wir beginnen pünktlich“, sagt er.',
    next: 'Die Ministerin tritt ans Rednerpult.',
    strings: { live: 'Live', keyMoment: 'Schlüsselmoment', order: 'Älteste zuerst', justNow: 'gerade eben', keyMoments: 'Schlüsselmomente', zone: 'Zeitzone der Veranstaltung: Europe/Berlin', skip: 'Zum Inhalt springen' },
    startMonth: /März 2026/,
  },
  {
    tag: 'ar',
    dir: 'rtl',
    readerZone: 'Asia/Riyadh',
    title: 'قمة المناخ: الجلسة الافتتاحية',
    description: 'كل الكلمات والقرارات',
    first: 'افتُتحت الجلسة. رحّب الرئيس بالوفود.\n\n> «نبدأ في الموعد»، قال.',
    next: 'الوزيرة تتحدث الآن.',
    strings: { live: 'مباشر', keyMoment: 'لحظة مهمة', order: 'الأقدم أولًا', justNow: 'الآن', keyMoments: 'لحظات مهمة', zone: 'المنطقة الزمنية للحدث: Asia/Dubai', skip: 'انتقل إلى المحتوى' },
    startMonth: /مارس 2026/,
  },
] as const;

async function languagePost(request: Parameters<typeof createPost>[0], language: (typeof LANGUAGES)[number]): Promise<{ slug: string; firstAt: string }> {
  const slug = await createPost(request, uniqueTitle(language.title), {
    language: language.tag,
    description: language.description,
    timezone: language.tag === 'de' ? 'Europe/Berlin' : 'Asia/Dubai',
    startsAt: '2026-03-14T08:00:00Z',
  });
  // Five minutes ago, so its relative time says so in the post's language.
  const firstAt = new Date(Date.now() - 5 * 60_000).toISOString();
  await postEntry(request, slug, language.first, { keyEvent: true, createdAt: firstAt });
  return { slug, firstAt };
}

async function open(browser: Browser, viewport: { width: number; height: number }, timezoneId: string, path: string): Promise<Page> {
  // The browser's own locale is English: the page follows the post's language, not the browser's.
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

for (const language of LANGUAGES) {
  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    test(`a post in ${language.tag} shows its interface strings, dates, lang and dir (${device})`, async ({ browser, request }) => {
      const { slug, firstAt } = await languagePost(request, language);
      const page = await open(browser, viewport, language.readerZone, `/posts/${slug}`);
      const html = page.locator('html');
      await expect(html).toHaveAttribute('lang', language.tag);
      if (language.dir) await expect(html).toHaveAttribute('dir', language.dir);
      else await expect(html).not.toHaveAttribute('dir');

      // Strings the server rendered and strings the script wrote, in the post's language.
      await expect(page.locator('#connection')).toHaveText(language.strings.live);
      await expect(page.locator('#order-toggle')).toHaveText(language.strings.order);
      await expect(page.locator('#key-moments-title')).toHaveText(language.strings.keyMoments);
      await expect(page.locator('.meta .zone')).toHaveText(language.strings.zone);
      await expect(page.locator('.skip-link')).toHaveText(language.strings.skip);
      const first = page.locator('#entries > article[data-entry-id]').first();
      await expect(first.locator('.badge')).toHaveText(language.strings.keyMoment);

      // Dates through Intl in the post's language: the start (server), the entry's local time and its relative time (script).
      await expect(page.locator('#post-start')).toHaveText(language.startMonth);
      const expected = await page.evaluate(
        ({ tag, at }) => ({
          ago: new Intl.RelativeTimeFormat(tag, { numeric: 'auto' }).format(-5, 'minute'),
          time: new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit' }).format(new Date(at)),
        }),
        { tag: language.tag, at: firstAt },
      );
      await expect(first.locator('.ago')).toHaveText(expected.ago);
      await expect(first.locator('header time')).toHaveText(expected.time);

      // An entry arriving live is built by the script with the same words.
      await postEntry(request, slug, language.next, { keyEvent: true });
      const latest = page.locator('#entries > article[data-entry-id]').last();
      await expect(latest.locator('.entry-body')).toHaveText(language.next);
      await expect(latest.locator('.badge')).toHaveText(language.strings.keyMoment);
      await expect(latest.locator('.ago')).toHaveText(language.strings.justNow);

      // Right to left mirrors the layout: the quote's rule on the right, the order control at the left end of its row.
      const rule = await first.locator('blockquote').evaluate((quote) => ({ right: getComputedStyle(quote).borderRightWidth, left: getComputedStyle(quote).borderLeftWidth }));
      expect(rule).toEqual(language.dir === 'rtl' ? { right: '3px', left: '0px' } : { right: '0px', left: '3px' });
      if (device === 'desktop') {
        const toggle = (await page.locator('#order-toggle').boundingBox())!;
        const toolbar = (await page.locator('.toolbar').boundingBox())!;
        if (language.dir === 'rtl') expect(toggle.x).toBeLessThan(toolbar.x + toolbar.width / 2);
        else expect(toggle.x).toBeGreaterThan(toolbar.x + toolbar.width / 2);
      }
      await page.screenshot({ path: test.info().outputPath(`${language.tag}-${device}.png`), fullPage: true });
      await page.context().close();
    });
  }
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => `${node.target.join(' ')} (${node.failureSummary ?? ''})`).join(', ')}`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`axe in ${colorScheme} mode`, () => {
    test.use({ colorScheme });
    for (const language of LANGUAGES) {
      for (const variant of ['post', 'embed'] as const) {
        test(`no serious or critical violation on a ${language.tag} ${variant} (${language.dir ?? 'ltr'})`, async ({ page, request }) => {
          const { slug } = await languagePost(request, language);
          // The embed follows `?theme=`, not the system: ask for the scheme under test.
          await page.goto(variant === 'post' ? `/posts/${slug}` : `/posts/${slug}/embed?theme=${colorScheme}`);
          await expect(page.locator('#connection')).toHaveText(language.strings.live);
          expect(await seriousViolations(page)).toEqual([]);
        });
      }
    }
    test('no serious or critical violation on the home page with its cards (ltr)', async ({ page, request }) => {
      await languagePost(request, LANGUAGES[0]);
      await languagePost(request, LANGUAGES[1]);
      await page.goto('/');
      await expect(page.locator('.card').first()).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}

test('an editor sets a post’s language in post settings; the reader page follows, a malformed tag is refused', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Sprachwechsel'));
  const context = await browser.newContext();
  expect((await context.request.post('/login', { data: { email: process.env.LIVELINE_E2E_ADMIN_EMAIL, password: process.env.LIVELINE_E2E_ADMIN_PASSWORD } })).status()).toBe(200);
  const page = await context.newPage();
  await page.goto(`/admin/posts/${slug}`);
  await page.locator('#settings summary').click();
  const language = page.getByLabel(/^Language/);
  await expect(language).toHaveValue('en');
  await expect(page.locator('#post-language-hint')).toContainText("The site's default (en)");
  await language.fill('de_DE');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('.settings-message')).toHaveText('Not saved: the language must be a BCP 47 tag such as en, de-AT or pt-BR.');
  await expect(language).toHaveAttribute('aria-invalid', 'true');
  await language.fill('DE-at');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('.settings-message')).toHaveText('Saved.');
  await expect(language).toHaveValue('de-AT');
  await expect(page.locator('#post-language-hint')).toHaveText('');

  const reader = await context.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator('html')).toHaveAttribute('lang', 'de-AT');
  await expect(reader.locator('#connection')).toHaveText('Live');
  await expect(reader.locator('#order-toggle')).toHaveText('Älteste zuerst');
  await context.close();
});
