import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { adminSession } from './support/admin.js';
import { createPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * Issue 19, "Readers take part", as readers and editors do it: reacting under entries (old and
 * live ones), on a phone and a desktop at once, each seeing the other's reactions arrive; an
 * editor turning reactions off in the post settings.
 */
const admin = adminSession();

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

async function reader(browser: Browser, slug: string, options: Parameters<Browser['newContext']>[0]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(`/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveAttribute('data-state', 'live');
  return { context, page };
}

const entry = (page: Page, id: number) => page.locator(`#entries > article[data-entry-id="${id}"]`);
const reaction = (page: Page, id: number, name: RegExp) => entry(page, id).getByRole('group', { name: 'Reactions' }).getByRole('button', { name });

test('readers on a phone and a desktop react to entries, old and live, and see each other’s reactions arrive', async ({ browser, request }, testInfo) => {
  const slug = await createPost(request, uniqueTitle('Reactions'));
  const first = await postEntry(request, slug, 'The keynote begins.');
  const phone = await reader(browser, slug, PHONE);
  const desktop = await reader(browser, slug, DESKTOP);

  const like = reaction(phone.page, first.id, /^Like: 0 reactions$/);
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  await like.click();
  await expect(reaction(phone.page, first.id, /^Like: 1 reaction$/)).toHaveAttribute('aria-pressed', 'true');
  // The other reader's page hears it in the next batch, not pressed there.
  await expect(reaction(desktop.page, first.id, /^Like: 1 reaction$/)).toHaveAttribute('aria-pressed', 'false');

  await reaction(desktop.page, first.id, /^Like: /).click();
  await expect(reaction(phone.page, first.id, /^Like: 2 reactions$/)).toBeVisible();
  // Once per entry per reader: choosing another moves the reaction, choosing it again takes it back.
  await reaction(desktop.page, first.id, /^Applause: /).click();
  await expect(reaction(desktop.page, first.id, /^Applause: 1 reaction$/)).toHaveAttribute('aria-pressed', 'true');
  await expect(reaction(desktop.page, first.id, /^Like: 1 reaction$/)).toHaveAttribute('aria-pressed', 'false');
  await expect(reaction(phone.page, first.id, /^Applause: 1 reaction$/)).toBeVisible();

  // An entry that arrives live has its row too.
  const live = await postEntry(request, slug, 'A surprise guest walks on stage.');
  await expect(entry(phone.page, live.id)).toBeVisible();
  await reaction(phone.page, live.id, /^Surprised|^Wow: 0/).click();
  await expect(reaction(desktop.page, live.id, /^Wow: 1 reaction$/)).toBeVisible();

  // A reload remembers what this browser chose, and the server still counts it once.
  await phone.page.reload();
  await expect(reaction(phone.page, first.id, /^Like: 1 reaction$/)).toHaveAttribute('aria-pressed', 'true');
  await reaction(phone.page, first.id, /^Like: /).click();
  await expect(reaction(phone.page, first.id, /^Like: 0 reactions$/)).toHaveAttribute('aria-pressed', 'false');
  await expect(reaction(desktop.page, first.id, /^Like: 0 reactions$/)).toBeVisible();

  await reaction(phone.page, first.id, /^Love: /).click();
  await expect(reaction(phone.page, first.id, /^Love: 1 reaction$/)).toHaveAttribute('aria-pressed', 'true');
  await phone.page.screenshot({ path: testInfo.outputPath('reactions-phone.png') });
  await desktop.page.screenshot({ path: testInfo.outputPath('reactions-desktop.png') });
  await phone.context.close();
  await desktop.context.close();
});

test('an editor turns reactions off in the post settings; the reader’s buttons go, and come back when turned on', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Reactions off'));
  const first = await postEntry(request, slug, 'Quiet, please.');
  const { context, page } = await reader(browser, slug, DESKTOP);
  await expect(reaction(page, first.id, /^Like: 0 reactions$/)).toBeVisible();

  const editorContext = await browser.newContext(DESKTOP);
  await editorContext.addCookies((await admin().storageState()).cookies);
  const desk = await editorContext.newPage();
  await desk.goto(`/admin/posts/${slug}`);
  await desk.getByText('Post settings').click();
  const toggle = desk.getByLabel(/Reactions under each entry/);
  await expect(toggle).toBeChecked();
  await toggle.uncheck();
  await expect(desk.locator('#participation-message')).toHaveText('Reactions are off.');
  await expect(entry(page, first.id).getByRole('group', { name: 'Reactions' })).toHaveCount(0);

  await toggle.check();
  await expect(desk.locator('#participation-message')).toHaveText('Reactions are on.');
  await expect(reaction(page, first.id, /^Like: 0 reactions$/)).toBeVisible();
  await context.close();
  await editorContext.close();
});

test('an editor adds a poll in the composer; readers on a phone and a desktop vote once, see results live, then the final results', async ({ browser, request }, testInfo) => {
  const slug = await createPost(request, uniqueTitle('Poll'));
  await postEntry(request, slug, 'Before the poll.');
  const phone = await reader(browser, slug, PHONE);
  const desktop = await reader(browser, slug, DESKTOP);

  const editorContext = await browser.newContext(DESKTOP);
  await editorContext.addCookies((await admin().storageState()).cookies);
  const desk = await editorContext.newPage();
  await desk.goto(`/admin/posts/${slug}`);
  await desk.getByText('Add a poll').click();
  await desk.getByLabel('Question', { exact: true }).fill('Which launch matters most?');
  await desk.getByLabel('Option 1').fill('The phone');
  await desk.getByLabel('Option 2').fill('The watch');
  await desk.getByRole('button', { name: 'Add an option' }).click();
  await desk.getByLabel('Option 3').fill('The glasses');
  await desk.getByRole('button', { name: 'Publish poll' }).click();
  await expect(desk.locator('#poll-message')).toHaveText('Poll published.');

  // The poll arrives live on both pages, as buttons.
  const phonePoll = phone.page.getByRole('region', { name: /Which launch matters most\?/ });
  const desktopPoll = desktop.page.getByRole('region', { name: /Which launch matters most\?/ });
  await expect(phonePoll.getByRole('button', { name: 'Vote for The watch' })).toBeVisible();
  await phonePoll.getByRole('button', { name: 'Vote for The watch' }).click();
  await expect(phonePoll.getByText('You voted: The watch')).toBeVisible();
  await expect(phonePoll.locator('.poll-results li').nth(1)).toContainText('100% · 1 vote');
  // The desktop reader has not voted: still buttons, with the total moving live.
  await expect(desktopPoll.getByText('1 vote', { exact: true })).toBeVisible();
  await desktopPoll.getByRole('button', { name: 'Vote for The phone' }).click();
  await expect(desktopPoll.getByText(/You voted: The phone/)).toBeVisible();
  await expect(phonePoll.locator('.poll-results li').nth(0)).toContainText('50% · 1 vote');

  // A reload remembers the vote: results, not buttons.
  await phone.page.reload();
  await expect(phonePoll.getByText(/You voted: The watch/)).toBeVisible();
  await expect(phonePoll.getByRole('button', { name: /^Vote for/ })).toHaveCount(0);
  await phone.page.screenshot({ path: testInfo.outputPath('poll-phone.png') });

  // The editor closes it; every page shows the final results.
  await desk.getByRole('button', { name: 'Close poll' }).click();
  await expect(desk.locator('#poll-list')).toContainText('Closed');
  await expect(phonePoll.getByText(/Final results/)).toBeVisible();
  await expect(desktopPoll.getByText(/Final results/)).toBeVisible();
  await desktop.page.screenshot({ path: testInfo.outputPath('poll-desktop-final.png') });
  await desk.screenshot({ path: testInfo.outputPath('poll-composer.png') });
  await phone.context.close();
  await desktop.context.close();
  await editorContext.close();
});

async function askTheDesk(page: Page, question: string, name?: string): Promise<void> {
  await page.getByRole('button', { name: 'Ask the desk' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send a question or comment to the desk' });
  await expect(dialog).toBeVisible();
  if (name) await dialog.getByLabel('Your name (optional)').fill(name);
  await dialog.getByLabel('Your question or comment').fill(question);
  // The server refuses a form sent within seconds of opening it (QUESTION_MIN_SECONDS): a person
  // who is that quick is told to wait a moment and sends again.
  await expect(async () => {
    await dialog.getByRole('button', { name: 'Send' }).click();
    await expect(dialog.getByRole('status')).toHaveText('Thank you: your message has reached the desk.', { timeout: 1000 });
  }).toPass({ intervals: [1000], timeout: 15_000 });
}

test('readers on a phone and a desktop ask the desk; an editor sees the questions arrive, publishes one quoted with an answer and deletes the other', async ({ browser, request }, testInfo) => {
  const slug = await createPost(request, uniqueTitle('Questions'));
  await postEntry(request, slug, 'The keynote begins.');
  const editorContext = await browser.newContext(DESKTOP);
  await editorContext.addCookies((await admin().storageState()).cookies);
  const desk = await editorContext.newPage();
  await desk.goto(`/admin/posts/${slug}`);
  const queue = desk.getByRole('region', { name: 'Questions from readers' });
  await expect(queue.locator('#questions-count')).toHaveText('0');

  const phone = await reader(browser, slug, PHONE);
  const desktop = await reader(browser, slug, DESKTOP);
  // The key-moment bell is there too (Web Push itself needs a real push service; server/test/push.test.ts).
  await expect(phone.page.getByRole('button', { name: /Get alerts/ })).toHaveAttribute('aria-pressed', 'false');
  await expect(phone.page.getByRole('button', { name: /Get alerts/ })).toHaveAttribute('title', 'Alerts for the key moments of this liveblog');
  await askTheDesk(phone.page, 'Will the slides be shared after the talk?', 'Maria');
  await phone.page.screenshot({ path: testInfo.outputPath('ask-phone.png') });
  await phone.page.getByRole('button', { name: 'Close' }).click();
  await askTheDesk(desktop.page, 'What time is the Q&A?');
  await desktop.page.keyboard.press('Escape');

  // Live on the desk, and nowhere on the readers' pages.
  await expect(queue.locator('#questions-count')).toHaveText('2');
  const maria = queue.locator('li.question', { hasText: 'Will the slides be shared after the talk?' });
  await expect(maria).toContainText('Maria');
  await expect(queue.locator('li.question', { hasText: 'What time is the Q&A?' })).toContainText('Anonymous');
  await expect(desktop.page.locator('#entries')).not.toContainText('Will the slides');
  await desk.screenshot({ path: testInfo.outputPath('questions-desk.png'), fullPage: true });

  await maria.getByRole('button', { name: /Answer and publish/ }).click();
  await maria.getByLabel('Your answer (Markdown)').fill('Yes: they will be on the conference site tonight.');
  await maria.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(queue.locator('#questions-count')).toHaveText('1');

  for (const page of [phone.page, desktop.page]) {
    const published = page.locator('#entries > article', { hasText: 'Q from Maria:' });
    await expect(published.locator('blockquote')).toContainText('Q from Maria: Will the slides be shared after the talk?');
    await expect(published).toContainText('Yes: they will be on the conference site tonight.');
  }
  await phone.page.screenshot({ path: testInfo.outputPath('question-published-phone.png') });

  await queue.getByRole('button', { name: 'Delete the question from an anonymous reader' }).click();
  await expect(queue.locator('#questions-count')).toHaveText('0');
  await expect(queue.getByText('No questions waiting.')).toBeVisible();
  await phone.context.close();
  await desktop.context.close();
  await editorContext.close();
});

test('an editor opens the post’s insights from the desk: charts drawn on the server, counts only', async ({ browser, request }, testInfo) => {
  const slug = await createPost(request, uniqueTitle('Insights'));
  const first = await postEntry(request, slug, 'Doors open.');
  await postEntry(request, slug, 'The keynote starts.');
  for (let i = 0; i < 3; i++) await request.post(`/api/entries/${first.id}/reactions`, { data: { reader: `insights-reader-${i}-000`, reaction: i ? 'clap' : 'love' } });
  const { context, page } = await reader(browser, slug, PHONE);
  const editorContext = await browser.newContext(DESKTOP);
  await editorContext.addCookies((await admin().storageState()).cookies);
  const desk = await editorContext.newPage();
  await desk.goto(`/admin/posts/${slug}`);
  await desk.getByRole('link', { name: 'Insights' }).click();
  await expect(desk.getByRole('heading', { name: /^Insights: / })).toBeVisible();
  await expect(desk.locator('#insights-entries')).toHaveText('2');
  await expect(desk.locator('#insights-reactions')).toHaveText('3');
  await expect(desk.getByRole('img', { name: /^Reactions per entry/ })).toBeVisible();
  // Readers are sampled every few seconds while the phone reader reads.
  await expect(async () => {
    await desk.reload();
    await expect(desk.getByRole('img', { name: /^Readers over time/ })).toBeVisible({ timeout: 500 });
  }).toPass({ intervals: [2000], timeout: 25_000 });
  await desk.screenshot({ path: testInfo.outputPath('insights.png'), fullPage: true });
  await context.close();
  await editorContext.close();
});

test('on a phone the floating “Get alerts” and “Ask the desk” buttons never cover the page’s last lines or the new-entries pill', async ({ browser, request }, testInfo) => {
  const slug = await createPost(request, uniqueTitle('Corners'));
  for (let n = 1; n <= 12; n += 1) await postEntry(request, slug, `Update ${n}: a sentence long enough to wrap onto a second line on a phone screen, as real updates do.`);
  const { context, page } = await reader(browser, slug, PHONE);
  const ask = page.getByRole('button', { name: 'Ask the desk' });
  const alerts = page.getByRole('button', { name: /Get alerts/ });
  await expect(ask).toBeVisible();
  await expect(alerts).toBeVisible();
  const overlaps = async (a: { x: number; y: number; width: number; height: number } | null, b: { x: number; y: number; width: number; height: number } | null) =>
    a !== null && b !== null && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  // Scrolled to the very end, the last thing on the page is readable beside the buttons.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const last = page.locator('body > :not(script, dialog, button, [hidden])').last();
  const lastText = page.locator('#entries > article').last();
  for (const button of [ask, alerts]) {
    expect(await overlaps(await button.boundingBox(), await lastText.boundingBox())).toBe(false);
    expect(await overlaps(await button.boundingBox(), await last.boundingBox())).toBe(false);
  }

  // A new entry while the reader is down the page: the pill says so, clear of both buttons.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  await postEntry(request, slug, 'Update 13 arrives while the reader is reading further down.');
  const pill = page.locator('.new-entries');
  await expect(pill).toBeVisible();
  for (const button of [ask, alerts]) expect(await overlaps(await button.boundingBox(), await pill.boundingBox())).toBe(false);
  await page.screenshot({ path: testInfo.outputPath('corners-phone.png') });
  await context.close();
});
