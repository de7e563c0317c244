import { AxeBuilder } from '@axe-core/playwright';
import { devices, expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { adminSession } from './support/admin.js';
import { auth, createPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * Issue 14, "one clock": an editor in Berlin on a Los Angeles event. Every time on the desk, in
 * history and in the outbox reads in the event's zone with its label, Berlin's as a hint; the
 * shown-time correction and "Starts at" are typed in the event's zone; the zone comes from a
 * searchable list; a new post from /admin starts scheduled at the start typed.
 */
const LA = 'America/Los_Angeles';
const admin = adminSession();

/** An editor's browser in Berlin (the e2e admin, whose session cookie it carries). */
async function berlinEditor(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  return browser.newContext({ ...options, timezoneId: 'Europe/Berlin', storageState: await admin().storageState() });
}

/** Serious or critical axe findings inside `selector` (the widgets this spec is about). */
async function axeSerious(page: Page, selector: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

async function openComposer(page: Page, slug: string): Promise<void> {
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
}

/** " 2026" when that is not this year in Los Angeles: the desk adds the year to other years' dates. */
const year2026 = () => (new Intl.DateTimeFormat('en-US', { timeZone: LA, year: 'numeric' }).format(Date.now()) === '2026' ? '' : ' 2026');

/** "04:20:07" and "13:20" of an instant in Los Angeles and in Berlin, worked out here, for times stamped now. */
const wall = (iso: string, timeZone: string, seconds: boolean) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) }).format(new Date(iso));
const day = '(?:\\w{3} \\d{1,2} \\w{3}(?: \\d{4})?, )?';

test('an editor in Berlin sees the Los Angeles event’s times, labelled, with Berlin’s as a hint; a corrected time moves the entry', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('LA keynote'), { timezone: LA });
  // Friday 13 March 2026 late evening in Los Angeles (PDT already) is Saturday morning in Berlin (CET still).
  const a = await postEntry(request, slug, 'Doors open', { createdAt: '2026-03-14T06:35:07Z' });
  const b = await postEntry(request, slug, 'Lights down', { createdAt: '2026-03-14T07:00:00Z' });
  const c = await postEntry(request, slug, 'The CEO walks on', { createdAt: '2026-03-14T08:00:00Z' });
  const context = await berlinEditor(browser);
  const page = await context.newPage();
  await openComposer(page, slug);
  const entry = (id: number) => page.locator(`#timeline [data-entry-id="${id}"]`);
  const y = year2026();

  await expect(page.locator('#timeline [data-entry-id]')).toHaveCount(3);
  await expect(entry(a.id).locator('header .clock')).toHaveText(`Fri 13 Mar${y}, 23:35:07 PT (Sat 14 Mar${y}, 07:35 your time)`);
  await expect(entry(b.id).locator('header .clock')).toHaveText(`Sat 14 Mar${y}, 00:00:00 PT (08:00 your time)`);
  await expect(entry(c.id).locator('header .clock')).toHaveText(`Sat 14 Mar${y}, 01:00:00 PT (09:00 your time)`);
  const title = await entry(a.id).locator('header time').getAttribute('title');
  expect(title).toContain('(event time, America/Los_Angeles)');
  expect(title).toContain('(your time, Europe/Berlin)');
  const deskOrder = () => page.locator('#timeline [data-entry-id]').evaluateAll((nodes) => nodes.map((node) => Number((node as HTMLElement).dataset.entryId)));
  expect(await deskOrder()).toEqual([c.id, b.id, a.id]);

  // The shown time is corrected in Los Angeles time: 00:30 on the 14th, between the other two.
  await entry(a.id).getByRole('button', { name: 'Edit' }).click();
  const shown = entry(a.id).getByLabel('Shown time (America/Los_Angeles, PT)');
  await expect(shown).toHaveValue('2026-03-13T23:35:07');
  await shown.fill('2026-03-14T00:30:00');
  await expect(entry(a.id).locator('.field-hint')).toHaveText(`Saves as Sat 14 Mar${y}, 00:30:00 PT (08:30 your time)`);
  await page.screenshot({ path: test.info().outputPath('shown-time-editor.png') });
  await entry(a.id).getByRole('button', { name: 'Save' }).click();
  await expect(entry(a.id).locator('header .clock')).toHaveText(`Sat 14 Mar${y}, 00:30:00 PT (08:30 your time)`);
  expect(((await (await request.get(`/api/entries/${a.id}`)).json()) as { createdAt: string }).createdAt).toBe('2026-03-14T07:30:00.000Z');
  // Between the other two, where 00:30 Los Angeles time belongs (read as Berlin time, it would have stayed last).
  await expect.poll(deskOrder).toEqual([c.id, a.id, b.id]);

  // History: when each version was saved, and the shown-time change, on the same clock.
  await entry(a.id).getByRole('button', { name: 'More actions' }).click();
  await entry(a.id).getByRole('button', { name: 'History', exact: true }).click();
  const revisions = page.locator('#history .revision');
  await expect(revisions).toHaveCount(2);
  await expect(revisions.nth(0).locator('.time-change')).toHaveText(` · shown time → Sat 14 Mar${y}, 00:30:00 PT (08:30 your time)`);
  const saved = (await (await request.get(`/api/entries/${a.id}/revisions`, { headers: auth })).json()) as { revisions: { createdAt: string }[] };
  for (const [index, revision] of [...saved.revisions].reverse().entries()) {
    await expect(revisions.nth(index).locator('.revision-meta > .clock')).toHaveText(
      new RegExp(`^${day}${wall(revision.createdAt, LA, true)} PT \\(${day}${wall(revision.createdAt, 'Europe/Berlin', false)} your time\\)$`),
    );
  }
  await page.screenshot({ path: test.info().outputPath('history.png') });
  await page.locator('#history-dialog').getByRole('button', { name: 'Close' }).click();

  // An entry published now, from the box: the outbox and the desk say when, in Los Angeles time.
  await page.locator('#entry-body').fill('Typed in Berlin');
  await page.locator('#entry-body').press('Control+Enter');
  const published = page.locator('#outbox .state-published .clock');
  await expect(published).toHaveCount(1);
  const latest = ((await (await request.get(`/api/posts/${slug}`)).json()) as { entries: { id: number; body: string; createdAt: string }[] }).entries.find((posted) => posted.body === 'Typed in Berlin')!;
  const now = new RegExp(`^${day}${wall(latest.createdAt, LA, true)} PT \\(${day}${wall(latest.createdAt, 'Europe/Berlin', false)} your time\\)$`);
  await expect(published).toHaveText(now);
  await expect(entry(latest.id).locator('header .clock')).toHaveText(now);
  await page.screenshot({ path: test.info().outputPath('desk-clock-desktop.png'), fullPage: true });
  await context.close();
});

test('settings: the zone is found by typing part of its name; "Starts at" is typed in the event zone and keeps its wall time when the zone changes', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Zone keynote'), { timezone: LA, startsAt: '2026-12-24T18:00:00Z' });
  const only = await postEntry(request, slug, 'Soundcheck', { createdAt: '2026-03-14T08:00:00Z' });
  const context = await berlinEditor(browser);
  const page = await context.newPage();
  await openComposer(page, slug);
  const y = year2026();
  await expect(page.locator('#post-start')).toHaveText(`· Starts Thu 24 Dec${y}, 10:00 PT (19:00 your time)`);
  await page.locator('#settings summary').click();
  const startsAt = page.getByLabel('Starts at (America/Los_Angeles time)');
  await expect(startsAt).toHaveValue('2026-12-24T10:00');
  await expect(page.locator('.event-start .field-hint')).toHaveText(`Saves as Thu 24 Dec${y}, 10:00 PT (19:00 your time)`);

  // Keyboard only: type part of the name, arrow to the match, Enter.
  const zone = page.getByRole('combobox', { name: 'Time zone' });
  await expect(zone).toHaveValue(LA);
  await zone.focus();
  await page.keyboard.type('berl');
  await expect(zone).toHaveAttribute('aria-expanded', 'true');
  const options = page.getByRole('listbox', { name: 'Matching zones' }).getByRole('option');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText('Europe/Berlin');
  await page.screenshot({ path: test.info().outputPath('zone-picker-settings.png') });
  expect(await axeSerious(page, '#settings')).toEqual([]);
  await page.keyboard.press('ArrowDown');
  await expect(zone).toHaveAttribute('aria-activedescendant', (await options.first().getAttribute('id'))!);
  await page.keyboard.press('Enter');
  await expect(zone).toHaveValue('Europe/Berlin');
  await expect(zone).toHaveAttribute('aria-expanded', 'false');
  // The start keeps its wall time, now read in Berlin (the browser's zone: no hint).
  await expect(page.getByLabel('Starts at (Europe/Berlin time)')).toHaveValue('2026-12-24T10:00');
  await expect(page.locator('.event-start .field-hint')).toHaveText(`Saves as Thu 24 Dec${y}, 10:00 CET`);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('.settings-message')).toHaveText('Saved.');
  const post = async () => ((await (await request.get(`/api/posts/${slug}`)).json()) as { post: { timezone: string; startsAt: string } }).post;
  expect(await post()).toMatchObject({ timezone: 'Europe/Berlin', startsAt: '2026-12-24T09:00:00.000Z' });
  // Every time on the page follows the zone at once: the desk's entry, the header's start.
  await expect(page.locator(`#timeline [data-entry-id="${only.id}"] header .clock`)).toHaveText(`Sat 14 Mar${y}, 09:00:00 CET`);
  await expect(page.locator('#post-start')).toHaveText(`· Starts Thu 24 Dec${y}, 10:00 CET`);

  // A name that is no zone is refused in the form, and by the server.
  await zone.fill('Mars/Olympus');
  await expect(options).toHaveCount(0);
  await expect(page.getByRole('listbox', { name: 'Matching zones' })).toContainText('No time zone matches');
  await page.keyboard.press('Tab');
  await expect(zone).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.zone-error')).toHaveText('“Mars/Olympus” is not a time zone: pick one from the list.');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('.settings-message')).toHaveText('Saved.');
  expect((await post()).timezone).toBe('Europe/Berlin');
  const current = (await (await request.get(`/api/posts/${slug}`)).json()) as { post: { version: number } };
  const refused = await request.patch(`/api/posts/${slug}`, { headers: { ...auth, 'if-match': String(current.post.version) }, data: { timezone: 'Mars/Olympus' } });
  expect(refused.status()).toBe(400);
  expect(refused.headers()['content-type']).toContain('application/problem+json');
  expect(((await refused.json()) as { errors: { field: string }[] }).errors.map((error) => error.field)).toContain('body.timezone');
  await context.close();
});

test('a new post from /admin starts scheduled, at the start typed in the zone picked; "Go live" takes it live', async ({ browser, request }) => {
  const context = await berlinEditor(browser);
  const page = await context.newPage();
  await page.goto('/admin');
  const title = uniqueTitle('Scheduled keynote');
  await page.getByLabel('New post title').fill(title);
  const zone = page.getByRole('combobox', { name: 'Time zone' });
  // The creator's own zone to begin with.
  await expect(zone).toHaveValue('Europe/Berlin');
  await zone.fill('los ang');
  await expect(page.getByRole('option', { name: /America\/Los_Angeles/ })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('new-post-form.png') });
  expect(await axeSerious(page, '#new-post')).toEqual([]);
  await page.getByRole('option', { name: /America\/Los_Angeles/ }).click();
  await expect(zone).toHaveValue(LA);
  await page.getByLabel('Starts at (America/Los_Angeles time)').fill('2030-05-04T10:00');
  await expect(page.locator('#new-post .field-hint')).toHaveText('Saves as Sat 4 May 2030, 10:00 PT (19:00 your time)');
  await page.getByRole('button', { name: 'Create post' }).click();
  await expect(page).toHaveURL(/\/admin\/posts\/scheduled-keynote-[\d-]+$/);
  const slug = new URL(page.url()).pathname.split('/').at(-1)!;
  const post = ((await (await page.request.get(`/api/posts/${slug}`)).json()) as { post: object }).post;
  expect(post).toMatchObject({ status: 'scheduled', timezone: LA, startsAt: '2030-05-04T17:00:00.000Z' });

  await expect(page.locator('#post-status')).toHaveText('scheduled');
  await expect(page.locator('#post-start')).toHaveText('· Starts Sat 4 May 2030, 10:00 PT (19:00 your time)');
  const notice = page.locator('#post-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Scheduled to start Sat 4 May 2030, 10:00 PT (19:00 your time).');
  await expect(notice).toContainText('already public on the reader page');
  const goLive = page.getByRole('button', { name: 'Go live' });
  await expect(goLive).toHaveClass(/\bprimary\b/);
  await page.screenshot({ path: test.info().outputPath('scheduled-composer.png') });
  expect(await axeSerious(page, '.composer-header')).toEqual([]);
  expect(await axeSerious(page, '#post-notice')).toEqual([]);
  await goLive.click();
  await expect(page.locator('#post-status')).toHaveText('live');
  await expect(notice).toBeHidden();
  await expect(page.getByRole('button', { name: 'End liveblog' })).not.toHaveClass(/\bprimary\b/);
  // Ended elsewhere (another editor, a script): the notice follows.
  const { version } = ((await (await page.request.get(`/api/posts/${slug}`)).json()) as { post: { version: number } }).post;
  expect((await request.patch(`/api/posts/${slug}`, { headers: { ...auth, 'if-match': String(version) }, data: { status: 'ended' } })).status()).toBe(200);
  await expect(page.locator('#post-status')).toHaveText('ended');
  await expect(notice).toHaveText('This liveblog has ended. What you publish still reaches readers; “Reopen” makes it live again.');
  await context.close();
});

test('the desk on a phone, in Berlin, on a Los Angeles event', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Phone keynote'), { timezone: LA });
  for (const [index, body] of ['Doors open', 'Lights down', 'The CEO walks on with a **new chip**'].entries()) {
    await postEntry(request, slug, body, { createdAt: new Date(Date.now() - (3 - index) * 60_000).toISOString() });
  }
  const { defaultBrowserType: _browserType, ...pixel } = devices['Pixel 7'];
  const context = await berlinEditor(browser, pixel);
  const page = await context.newPage();
  await openComposer(page, slug);
  await expect(page.locator('#timeline [data-entry-id] header .clock')).toHaveText(Array(3).fill(new RegExp(`^${day}\\d\\d:\\d\\d:\\d\\d PT \\(${day}\\d\\d:\\d\\d your time\\)$`)));
  await page.locator('#timeline').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('desk-clock-phone.png'), fullPage: true });
  await context.close();
});
