import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { createPost, patchPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * Issue 15, "Language and brand": a post in German and another in Arabic speak their language
 * in a real browser, whatever the browser's own locale (en-US here): interface strings (rendered
 * by the server and by the reader script), dates and relative times through Intl, `lang`, and
 * `dir="rtl"` with a mirrored layout for Arabic. On a phone and on a desktop, with screenshots;
 * axe on the post and the embed, light and dark, left to right and right to left. The orientation
 * parts follow too: "What we know", Newest · Oldest, the Key moments filter, Share, the status line
 * ("Starts …", "Ended at …"), the connection pill when offline and "since you were last here".
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
    summary: '- Die Sitzung beginnt um neun\n- Abstimmung am Nachmittag',
    strings: { live: 'Live', keyMoment: 'Schlüsselmoment', justNow: 'gerade eben', keyMoments: 'Schlüsselmomente', zone: 'Zeitzone der Veranstaltung: Europe/Berlin', zoneLabel: /^\s*MEZ$/, eventTime: null, skip: 'Zum Inhalt springen' },
    orientation: { summary: 'Was wir wissen', newest: 'Neueste', oldest: 'Älteste', all: 'Alle Einträge', keyOnly: 'Nur Schlüsselmomente', share: 'Teilen', copyLink: 'Link kopieren' },
    status: { starts: /^Beginnt .*\d\d:\d\d Ihrer Zeit$/, ended: /^Beendet .*\d\d:\d\d Ihrer Zeit$/, endedServer: /^Beendet um \d\d:\d\d \S+ am \S+, \d+\. \S+ \d{4}$/ },
    offline: 'Offline',
    back: 'Wieder verbunden: Die Live-Updates sind zurück.',
    since: /^2 neue Einträge und 1 Schlüsselmoment seit .+\.$/,
    sinceJump: 'Ab dem ersten neuen lesen',
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
    summary: '- افتُتحت الجلسة في التاسعة\n- التصويت بعد الظهر',
    strings: { live: 'مباشر', keyMoment: 'لحظة مهمة', justNow: 'الآن', keyMoments: 'لحظات مهمة', zone: 'المنطقة الزمنية للحدث: Asia/Dubai', zoneLabel: /^\s*غرينتش\+3$/, eventTime: /^توقيت الحدث: .+ \(Asia\/Dubai\)$/, skip: 'انتقل إلى المحتوى' },
    orientation: { summary: 'ما نعرفه', newest: 'الأحدث', oldest: 'الأقدم', all: 'كل التحديثات', keyOnly: 'اللحظات المهمة فقط', share: 'مشاركة', copyLink: 'نسخ الرابط' },
    status: { starts: /^تبدأ .*الساعة .+ بتوقيتك$/, ended: /^انتهت .*الساعة .+ بتوقيتك$/, endedServer: /^انتهت الساعة .+ يوم .+$/ },
    offline: 'غير متصل',
    back: 'عاد الاتصال: التحديثات المباشرة متاحة من جديد.',
    since: /^تحديثان جديدان ولحظة مهمة واحدة منذ .+\.$/,
    sinceJump: 'اقرأ بدءًا من أول تحديث جديد',
    startMonth: /مارس 2026/,
  },
] as const;

async function languagePost(request: Parameters<typeof createPost>[0], language: (typeof LANGUAGES)[number]): Promise<{ slug: string; firstAt: string; firstId: number }> {
  const slug = await createPost(request, uniqueTitle(language.title), {
    language: language.tag,
    description: language.description,
    summary: language.summary,
    timezone: language.tag === 'de' ? 'Europe/Berlin' : 'Asia/Dubai',
    startsAt: '2026-03-14T08:00:00Z',
  });
  // Five minutes ago, so its relative time says so in the post's language.
  const firstAt = new Date(Date.now() - 5 * 60_000).toISOString();
  const { id: firstId } = await postEntry(request, slug, language.first, { keyEvent: true, createdAt: firstAt });
  return { slug, firstAt, firstId };
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
      const { slug, firstAt, firstId } = await languagePost(request, language);
      const page = await open(browser, viewport, language.readerZone, `/posts/${slug}`);
      const html = page.locator('html');
      await expect(html).toHaveAttribute('lang', language.tag);
      if (language.dir) await expect(html).toHaveAttribute('dir', language.dir);
      else await expect(html).not.toHaveAttribute('dir');

      // Strings the server rendered and strings the script wrote, in the post's language.
      await expect(page.locator('#connection')).toHaveText(language.strings.live);
      // The orientation parts (issue 15): the summary, Newest · Oldest, the filter, Share on each entry.
      await expect(page.locator('#summary-title')).toHaveText(language.orientation.summary);
      await expect(page.getByRole('link', { name: language.orientation.newest, exact: true })).toHaveAttribute('aria-current', 'true');
      await expect(page.getByRole('link', { name: language.orientation.oldest, exact: true })).toBeVisible();
      await expect(page.getByRole('link', { name: language.orientation.all, exact: true })).toHaveAttribute('aria-current', 'true');
      await expect(page.getByRole('link', { name: language.orientation.keyOnly, exact: true })).toBeVisible();
      await expect(page.locator('#key-moments-title')).toHaveText(language.strings.keyMoments);
      // The script says the start in the reader's zone, with the event's time as a hint when its clock reads differently.
      if (language.strings.eventTime) await expect(page.locator('.meta .zone')).toHaveText(language.strings.eventTime);
      else await expect(page.locator('.meta .zone')).toBeHidden();
      await expect(page.locator('.skip-link')).toHaveText(language.strings.skip);
      // The first time in the stream names the reader's zone in the post's language ("MEZ", not "CET").
      await expect(page.locator('#entries .zone-label')).toHaveText(language.strings.zoneLabel);
      const first = page.locator(`#entry-${firstId}`);
      await expect(first.locator('.badge')).toHaveText(language.strings.keyMoment);
      await expect(first.locator('.share-button')).toHaveText(language.orientation.share);
      await first.locator('.share-button').click();
      await expect(first.getByRole('button', { name: language.orientation.copyLink })).toBeVisible();
      await first.locator('.share-button').click();

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

      // An entry arriving live is built by the script with the same words (newest first: at the top).
      const next = await postEntry(request, slug, language.next, { keyEvent: true });
      const latest = page.locator('#entries > article[data-entry-id]').first();
      await expect(latest).toHaveAttribute('data-entry-id', String(next.id));
      await expect(latest.locator('.entry-body')).toHaveText(language.next);
      await expect(latest.locator('.badge')).toHaveText(language.strings.keyMoment);
      await expect(latest.locator('.ago')).toHaveText(language.strings.justNow);

      // Right to left mirrors the layout: the quote's rule on the right, Newest · Oldest at the right end of its row.
      const rule = await first.locator('blockquote').evaluate((quote) => ({ right: getComputedStyle(quote).borderRightWidth, left: getComputedStyle(quote).borderLeftWidth }));
      expect(rule).toEqual(language.dir === 'rtl' ? { right: '3px', left: '0px' } : { right: '0px', left: '3px' });
      if (device === 'desktop') {
        const order = (await page.locator('#order-choice').boundingBox())!;
        const controls = (await page.locator('#stream-controls').boundingBox())!;
        if (language.dir === 'rtl') expect(order.x + order.width).toBeGreaterThan(controls.x + controls.width * 0.75);
        else expect(order.x).toBeLessThan(controls.x + controls.width * 0.25);
      }
      await page.screenshot({ path: test.info().outputPath(`${language.tag}-${device}.png`), fullPage: true });
      await page.context().close();
    });
  }
}

for (const language of LANGUAGES) {
  test(`a post in ${language.tag} says its status, its connection and what is new since the last visit in its language (phone)`, async ({ browser, request }) => {
    const { slug } = await languagePost(request, language);
    const page = await open(browser, VIEWPORTS.phone, language.readerZone, `/posts/${slug}`);
    const pill = page.locator('#connection');
    await expect(pill).toHaveAttribute('data-state', 'live');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('liveline:visits'))).toContain(slug);

    // The connection pill, only when degraded, in the post's language.
    await page.context().setOffline(true);
    await expect(pill).toHaveText(language.offline);
    await expect(pill).toBeVisible();
    await page.context().setOffline(false);
    await expect(pill).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    await expect(page.locator('#status-announcer')).toHaveText(language.back);

    // Since you were last here: two new entries, one a key moment.
    await page.goto('about:blank');
    await postEntry(request, slug, language.next, { keyEvent: true });
    await postEntry(request, slug, language.next);
    await page.goto(`/posts/${slug}`);
    const banner = page.locator('#since-last-visit');
    await expect(banner.locator('.since-text')).toHaveText(language.since);
    await expect(banner.getByRole('link', { name: language.sinceJump })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath(`${language.tag}-phone-since.png`) });

    // A scheduled post: "Starts … your time" in the reader's zone; ended: "Ended at …".
    await patchPost(request, slug, { status: 'scheduled', startsAt: new Date(Date.now() + 2 * 3600_000).toISOString() });
    await expect(page.locator('#post-status-text')).toHaveText(language.status.starts);
    await expect(page.locator('#post-countdown')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath(`${language.tag}-phone-scheduled.png`) });
    await patchPost(request, slug, { status: 'ended' });
    await expect(page.locator('#post-status-text')).toHaveText(language.status.ended);
    await page.context().close();

    // Without JavaScript the server says it in the event's zone, in the post's language.
    const plain = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', viewport: VIEWPORTS.phone });
    const still = await plain.newPage();
    await still.goto(`/posts/${slug}`);
    await expect(still.locator('#post-status-text')).toHaveText(language.status.endedServer);
    await expect(still.locator('.meta .zone')).toHaveText(language.strings.zone);
    await plain.close();
  });
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
  await expect(reader.getByRole('link', { name: 'Älteste', exact: true })).toBeVisible();
  await context.close();
});
