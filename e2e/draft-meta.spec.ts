import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { adminSession } from './support/admin.js';
import { auth, createPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * Drafts carry the entry fields (issue 17), as three people see it, each in a browser of their
 * own: a contributor writes with `/headline`, `#tag` and `@coauthor`, saves it as a draft, opens
 * it again (the fields come back), and submits it; the editor sees the headline and the co-author
 * in the review queue and approves; a reader on a phone gets the entry once, already with its
 * headline, tag and both bylines (never a bare entry that an edit completes).
 */
const admin = adminSession();
const PASSWORD = 'draft meta password 1';

async function csrf(): Promise<string> {
  return ((await (await admin().get('/api/session')).json()) as { csrfToken: string }).csrfToken;
}

async function createUser(role: 'contributor' | 'author' | 'editor', name: string): Promise<string> {
  const email = `${role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.test`;
  expect((await admin().post('/api/users', { headers: { 'x-csrf-token': await csrf() }, data: { name, email, role, password: PASSWORD } })).status()).toBe(201);
  return email;
}

async function signedIn(browser: Browser, baseURL: string, email: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  expect((await context.request.post('/login', { data: { email, password: PASSWORD } })).status()).toBe(200);
  return context;
}

/** Waits for the suggestion the box points at, then takes it with `key`. */
async function take(page: Page, option: string | RegExp, key: 'Enter' | 'Tab' = 'Enter'): Promise<void> {
  const list = page.getByRole('listbox', { name: 'Suggestions' });
  await expect(list.locator('[role="option"][aria-selected="true"]')).toContainText(option);
  await page.keyboard.press(key);
}

test('a contributor’s headline, tag and co-author travel with the draft to the review queue and reach the reader with the entry', async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const suffix = Math.floor(Math.random() * 1e6);
  const coraName = `Cora Hall ${suffix}`;
  const graceName = `Grace${suffix} Lens`;
  const cora = await signedIn(browser, baseURL!, await createUser('contributor', coraName));
  await createUser('author', graceName);
  const eve = await signedIn(browser, baseURL!, await createUser('editor', 'Eve Desk'));
  const slug = await createPost(admin(), uniqueTitle('Draft fields keynote'));

  // The reader is on the page (a phone) before anything is written: what comes, comes live.
  const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const reader = await phone.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator('#connection')).toHaveAttribute('data-state', 'live');
  const desk = await eve.newPage();
  await desk.goto(`/admin/posts/${slug}`);
  await expect(desk.locator('#review-count')).toHaveText('0');

  // The contributor writes with the commands.
  const writer = await cora.newPage();
  await writer.goto(`/admin/posts/${slug}`);
  const box = writer.locator('#entry-body');
  await box.click();
  await writer.keyboard.type('/he');
  await take(writer, '/headline');
  await expect(writer.locator('#entry-headline')).toBeFocused();
  await writer.keyboard.type('Satellite phone for everyone');
  await writer.keyboard.press('Enter');
  await expect(box).toBeFocused();
  await writer.keyboard.type('Every new phone can text by satellite ');
  await writer.keyboard.type('#launch');
  await take(writer, '#launch', 'Tab');
  await writer.keyboard.type(`@grace${suffix}`);
  await take(writer, graceName);
  const chips = writer.getByRole('list', { name: /tags, co-authors/ });
  await expect(chips).toContainText('#launch');
  await expect(chips).toContainText(graceName);

  // Saved as a draft: the Drafts panel shows its headline, co-author and tag; the box is empty again.
  await writer.locator('#save-draft').click();
  await expect(box).toHaveValue('');
  await expect(writer.locator('#entry-headline')).toHaveValue('');
  await expect(chips.locator('li')).toHaveCount(0);
  const listed = writer.locator('#drafts-list .draft', { hasText: 'Every new phone can text by satellite' });
  await expect(listed).toHaveCount(1);
  // By its id from here: while it is edited, its text is in a textarea.
  const item = writer.locator(`#drafts-list .draft[data-draft-id="${await listed.getAttribute('data-draft-id')}"]`);
  await expect(item.locator('.desk-headline')).toHaveText('Satellite phone for everyone');
  await expect(item.locator('.desk-meta')).toHaveText(`with ${graceName} · #launch`);

  // Opened again, the draft has its fields back; a location is added.
  await item.locator('[data-draft-action="edit"]').click();
  await expect(item.locator('.edit-headline')).toHaveValue('Satellite phone for everyone');
  const editChips = item.getByRole('list', { name: /tags and co-authors/ });
  await expect(editChips).toContainText('#launch');
  await expect(editChips).toContainText(graceName);
  await item.locator('.edit-location').fill('Hall B');
  await item.screenshot({ path: testInfo.outputPath('draft-edit.png') });
  // The draft's fields are labelled form controls (axe: no serious violation in the Drafts panel while editing).
  const axe = await new AxeBuilder({ page: writer }).include('#drafts').analyze();
  expect(axe.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  await item.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(item.locator('.desk-meta')).toHaveText(`with ${graceName} · in Hall B · #launch`);
  await item.locator('[data-draft-action="submit"]').click();
  await expect(item).toContainText('Waiting for review');

  // The editor's review queue shows the headline and the co-author, live.
  await expect(desk.locator('#review-count')).toHaveText('1');
  const queued = desk.locator('#review-list .draft', { hasText: 'Every new phone can text by satellite' });
  await expect(queued.locator('.desk-headline')).toHaveText('Satellite phone for everyone');
  await expect(queued.locator('.desk-meta')).toContainText(`with ${graceName}`);
  await expect(queued.locator('header .author')).toHaveText(coraName);
  await desk.locator('#review-queue').screenshot({ path: testInfo.outputPath('review-queue.png') });
  await expect(reader.locator('#entries')).not.toContainText('Every new phone');

  // The editor opens it: its fields are there; they confirm the claim (an editor's call) and save. It stays in the queue.
  const queuedId = await queued.getAttribute('data-draft-id');
  const inQueue = desk.locator(`#review-list .draft[data-draft-id="${queuedId}"]`);
  await inQueue.locator('[data-draft-action="edit"]').click();
  await expect(inQueue.locator('.edit-headline')).toHaveValue('Satellite phone for everyone');
  await expect(inQueue.locator('.edit-location')).toHaveValue('Hall B');
  await expect(inQueue.getByRole('list', { name: /tags and co-authors/ })).toContainText(graceName);
  await inQueue.locator('.edit-claim').selectOption('confirmed');
  await inQueue.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(inQueue.locator('.desk-meta')).toHaveText(`with ${graceName} · in Hall B · Confirmed · #launch`);
  await expect(desk.locator('#review-count')).toHaveText('1');

  await queued.locator('[data-draft-action="approve"]').click();
  await expect(desk.locator('#review-count')).toHaveText('0');
  await expect(desk.locator('#timeline .desk-entry', { hasText: 'Every new phone can text by satellite' })).toHaveCount(1);

  // The reader gets it once, complete: headline, tag, both bylines, the location.
  const article = reader.locator('#entries [data-entry-id]', { hasText: 'Every new phone can text by satellite' });
  await expect(article).toHaveCount(1);
  await expect(article.locator('h3.entry-headline')).toHaveText('Satellite phone for everyone');
  await expect(article.locator('.byline .author')).toHaveText([coraName, graceName]);
  await expect(article.locator('.entry-tags a')).toHaveText(['#launch']);
  await expect(article.locator('.location')).toHaveText('in Hall B');
  await expect(article.locator('[data-claim]')).toHaveText('Confirmed');
  await article.scrollIntoViewIfNeeded();
  await reader.screenshot({ path: testInfo.outputPath('reader-phone.png') });
  // And after a reload, the same single entry (the page from the server).
  await reader.reload();
  const served = reader.locator('#entries [data-entry-id]', { hasText: 'Every new phone can text by satellite' });
  await expect(served).toHaveCount(1);
  await expect(served.locator('h3.entry-headline')).toHaveText('Satellite phone for everyone');
  await expect(served.locator('.byline .author')).toHaveText([coraName, graceName]);

  for (const context of [cora, eve, phone]) await context.close();
});

test('the history says a headline changed, and restoring the version brings the old headline back to readers', async ({ browser, request }, testInfo) => {
  const slug = await createPost(request, uniqueTitle('History headline'));
  const entry = await postEntry(request, slug, 'The phone ships next month.', { headline: 'Phone ships in March', tags: ['launch'] });
  const edited = await request.patch(`/api/entries/${entry.id}`, { headers: { ...auth, 'if-match': '1' }, data: { headline: 'Phone ships in April', tags: ['launch', 'delay'] } });
  expect(edited.status()).toBe(200);
  const readerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const reader = await readerContext.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator(`#entry-${entry.id} h3.entry-headline`)).toHaveText('Phone ships in April');

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies((await admin().storageState()).cookies);
  const page = await context.newPage();
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  const deskEntry = page.locator(`#timeline article[data-entry-id="${entry.id}"]`);
  await deskEntry.getByRole('button', { name: 'More actions' }).click();
  await deskEntry.getByRole('button', { name: 'History', exact: true }).click();
  const revisions = page.locator('#history .revision');
  await expect(revisions).toHaveCount(2);
  // The headline-only edit is a version of its own, saying what changed (and no empty text diff).
  await expect(revisions.nth(0).locator('.diff-meta')).toHaveText(['Headline: “Phone ships in March” → “Phone ships in April”', 'Tags: #launch → #launch #delay']);
  await expect(revisions.nth(0).locator('pre.diff')).toHaveCount(0);
  await page.locator('#history').screenshot({ path: testInfo.outputPath('history.png') });

  await revisions.nth(1).getByRole('button', { name: 'Restore this version' }).click();
  await expect(page.locator('#history .history-notice')).toHaveText('Version 1 restored: the entry is now version 3.');
  await expect(revisions.nth(0).locator('.diff-meta')).toHaveText(['Headline: “Phone ships in April” → “Phone ships in March”', 'Tags: #launch #delay → #launch']);
  await expect(reader.locator(`#entry-${entry.id} h3.entry-headline`)).toHaveText('Phone ships in March');
  await expect(reader.locator(`#entry-${entry.id} .entry-tags a`)).toHaveText(['#launch']);
  await context.close();
  await readerContext.close();
});
