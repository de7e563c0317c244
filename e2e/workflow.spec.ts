import { expect, test, type Browser, type BrowserContext } from '@playwright/test';
import { adminSession } from './support/admin.js';
import { createPost, uniqueTitle } from './support/api.js';

/**
 * Issue 17, "entries have a life before they are public", as the three people do it, each in a
 * browser of their own: a contributor writes from the hall and submits; the editor at the desk
 * sees the review queue's count rise live (and who is writing), approves; a reader sees the entry
 * once, credited to the contributor. A rejected submission never reaches the reader. The other
 * public surfaces (API, change log, socket replay, feed, exports, search) are checked for every
 * draft state in server/test/drafts.test.ts.
 */
const admin = adminSession();
const PASSWORD = 'workflow password 1';

async function person(browser: Browser, baseURL: string, role: 'contributor' | 'author' | 'editor', name: string, viewport?: { width: number; height: number }): Promise<BrowserContext> {
  const email = `${role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.test`;
  expect((await admin().post('/api/users', { headers: { 'x-csrf-token': await csrf() }, data: { name, email, role, password: PASSWORD } })).status()).toBe(201);
  const context = await browser.newContext({ baseURL, ...(viewport ? { viewport } : {}) });
  expect((await context.request.post('/login', { data: { email, password: PASSWORD } })).status()).toBe(200);
  return context;
}

async function csrf(): Promise<string> {
  return ((await (await admin().get('/api/session')).json()) as { csrfToken: string }).csrfToken;
}

test('a contributor submits, the editor approves live, the reader sees it once under the contributor’s name', async ({ browser, baseURL }) => {
  const slug = await createPost(admin(), uniqueTitle('Workflow keynote'));
  const cora = await person(browser, baseURL!, 'contributor', 'Cora Hall');
  const eve = await person(browser, baseURL!, 'editor', 'Eve Desk');
  const reader = await browser.newContext({ baseURL });
  const writer = await cora.newPage();
  const desk = await eve.newPage();
  const readerPage = await reader.newPage();

  await desk.goto(`/admin/posts/${slug}`);
  await expect(desk.locator('#review-count')).toHaveText('0');
  await writer.goto(`/admin/posts/${slug}`);
  // A contributor has no Publish: Save draft and Submit for review.
  await expect(writer.locator('#publish')).toBeHidden();
  await expect(writer.locator('#review-queue')).toHaveCount(0);

  // The desk sees who is here, and that Cora is writing.
  await expect(desk.locator('#desk-presence')).toContainText('Cora Hall');
  await writer.locator('#entry-body').fill('');
  await writer.locator('#entry-body').pressSequentially('The CEO walks on stage');
  await expect(desk.locator('#desk-presence .desk-person', { hasText: 'Cora Hall (writing…)' })).toBeVisible();
  await writer.locator('#submit-review').click();
  await expect(writer.locator('#entry-body')).toHaveValue('');
  await expect(writer.locator('#drafts-list .draft', { hasText: 'The CEO walks on stage' })).toContainText('Waiting for review');

  // The queue count rises live on the editor's desk.
  await expect(desk.locator('#review-count')).toHaveText('1');
  const queued = desk.locator('#review-list .draft', { hasText: 'The CEO walks on stage' });
  await expect(queued).toContainText('Cora Hall');
  // A second submission, which the editor will reject.
  await writer.locator('#entry-body').fill('Rumour: the keynote is cancelled');
  await writer.locator('#entry-body').press('Control+Enter');
  await expect(desk.locator('#review-count')).toHaveText('2');
  // And a draft of the editor's own, for the Drafts panel.
  await desk.locator('#entry-body').fill('Background: the last three keynotes');
  await desk.locator('#save-draft').click();
  await expect(desk.locator('#drafts-list .draft', { hasText: 'Background: the last three keynotes' })).toBeVisible();
  await desk.locator('#review-queue').screenshot({ path: test.info().outputPath('review-queue.png') });
  await desk.locator('#drafts').screenshot({ path: test.info().outputPath('drafts-panel.png') });

  await readerPage.goto(`/posts/${slug}`);
  await expect(readerPage.locator('#entries')).not.toContainText('The CEO walks on stage');

  await queued.locator('[data-draft-action="approve"]').click();
  await expect(desk.locator('#review-count')).toHaveText('1');
  await expect(desk.locator('#timeline .desk-entry', { hasText: 'The CEO walks on stage' })).toHaveCount(1);

  // The reader (an open page) gets it live, once, credited to Cora.
  const article = readerPage.locator('#entries [data-entry-id]', { hasText: 'The CEO walks on stage' });
  await expect(article).toHaveCount(1);
  await expect(article.locator('.author')).toHaveText('Cora Hall');
  await readerPage.reload();
  await expect(readerPage.locator('#entries [data-entry-id]', { hasText: 'The CEO walks on stage' })).toHaveCount(1);

  // Rejected: it stays with Cora, marked, and never reaches the reader.
  const rumour = desk.locator('#review-list .draft', { hasText: 'Rumour' });
  await rumour.locator('[data-draft-action="reject"]').click();
  await rumour.locator('input').fill('Not confirmed by anyone');
  await rumour.locator('[data-draft-action="reject-confirm"]').click();
  await expect(desk.locator('#review-count')).toHaveText('0');
  const mine = writer.locator('#drafts-list .draft', { hasText: 'Rumour' });
  await expect(mine).toContainText('Rejected');
  await expect(mine).toContainText('Not confirmed by anyone');
  await expect(writer.locator('#drafts-list .draft', { hasText: 'The CEO walks on stage' })).toHaveCount(0);
  await writer.screenshot({ path: test.info().outputPath('contributor-desk.png'), fullPage: true });
  await readerPage.reload();
  await expect(readerPage.locator('#entries')).toContainText('The CEO walks on stage');
  await expect(readerPage.locator('body')).not.toContainText('Rumour');
  await expect(readerPage.locator('body')).not.toContainText('Background: the last three keynotes');
  await readerPage.screenshot({ path: test.info().outputPath('reader.png') });

  await Promise.all([cora.close(), eve.close(), reader.close()]);
});

test('on a phone, the editor returns a submission with a note the contributor sees', async ({ browser, baseURL }) => {
  const slug = await createPost(admin(), uniqueTitle('Phone workflow'));
  const cora = await person(browser, baseURL!, 'contributor', 'Cora Phone');
  const phone = await person(browser, baseURL!, 'editor', 'Eve Mobile', { width: 390, height: 844 });
  const writer = await cora.newPage();
  await writer.goto(`/admin/posts/${slug}`);
  const submitted = await writer.request.post(`/api/posts/${slug}/entries`, {
    headers: { 'x-csrf-token': ((await (await writer.request.get('/api/session')).json()) as { csrfToken: string }).csrfToken },
    data: { body: 'Speaker announced', state: 'submitted' },
  });
  expect(submitted.status()).toBe(201);
  const desk = await phone.newPage();
  await desk.goto(`/admin/posts/${slug}`);
  await expect(desk.locator('#review-count')).toHaveText('1');
  const item = desk.locator('#review-list .draft', { hasText: 'Speaker announced' });
  await item.locator('[data-draft-action="return"]').click();
  await item.locator('input').fill('Which speaker? Name them');
  await desk.screenshot({ path: test.info().outputPath('review-queue-phone.png') });
  await item.locator('[data-draft-action="return-confirm"]').click();
  await expect(desk.locator('#review-count')).toHaveText('0');
  const back = writer.locator('#drafts-list .draft', { hasText: 'Speaker announced' });
  await expect(back).toContainText('Returned by the editor: Which speaker? Name them');
  await expect(back.locator('[data-draft-action="submit"]')).toBeVisible();
  expect(((await (await writer.request.get(`/api/posts/${slug}/changes?since=0`)).json()) as { changes: unknown[] }).changes).toEqual([]);
  await Promise.all([cora.close(), phone.close()]);
});

test('an admin adds a contributor on /admin/users, who then writes without a Publish button', async ({ browser, baseURL }) => {
  const adminContext = await browser.newContext({ baseURL });
  await adminContext.addCookies((await admin().storageState()).cookies);
  const page = await adminContext.newPage();
  await page.goto('/admin/users');
  const email = `new-contributor-${Date.now()}@e2e.test`;
  const form = page.locator('#new-user');
  await form.getByLabel('Name').fill('Nia Freelance');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('contributor');
  await form.getByLabel('Initial password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Add user' }).click();
  const row = page.locator('#users tr', { hasText: email });
  await expect(row.getByRole('combobox')).toHaveValue('contributor');

  const slug = await createPost(admin(), uniqueTitle('Freelance'));
  const nia = await browser.newContext({ baseURL });
  expect((await nia.request.post('/login', { data: { email, password: PASSWORD } })).status()).toBe(200);
  const desk = await nia.newPage();
  await desk.goto(`/admin/posts/${slug}`);
  await expect(desk.locator('#submit-review')).toBeVisible();
  await expect(desk.locator('#publish')).toBeHidden();
  await expect(desk.locator('#settings')).toHaveCount(0);
  await Promise.all([adminContext.close(), nia.close()]);
});

test('an editor schedules an entry from the box; it waits in the Drafts panel, then reaches an open reader page by itself', async ({ browser, baseURL }) => {
  const slug = await createPost(admin(), uniqueTitle('Embargo'));
  const eve = await person(browser, baseURL!, 'editor', 'Eve Embargo');
  const reader = await browser.newContext({ baseURL });
  const desk = await eve.newPage();
  const readerPage = await reader.newPage();
  await desk.goto(`/admin/posts/${slug}`);
  await readerPage.goto(`/posts/${slug}`);
  await expect(desk.locator('#connection')).toHaveText('Live');

  // Four seconds from now, typed on the event's clock (UTC for this post), to the second.
  const at = new Date(Date.now() + 4000);
  const typed = at.toISOString().slice(0, 19);
  await desk.locator('#entry-body').fill('Embargo lifted: the new chip ships today');
  await desk.locator('#schedule-at').fill(typed);
  await desk.locator('#schedule').click();
  const waiting = desk.locator('#drafts-list .draft', { hasText: 'Embargo lifted' });
  await expect(waiting).toContainText('Scheduled');
  await expect(readerPage.locator('#entries')).not.toContainText('Embargo lifted');
  await desk.locator('#drafts').screenshot({ path: test.info().outputPath('drafts-scheduled.png') });

  // At its time it is published: the reader's open page gets it, once; the panel lets go of it.
  await expect(readerPage.locator('#entries [data-entry-id]', { hasText: 'Embargo lifted' })).toHaveCount(1, { timeout: 15_000 });
  await expect(waiting).toHaveCount(0);
  await expect(desk.locator('#timeline .desk-entry', { hasText: 'Embargo lifted' })).toHaveCount(1);
  await Promise.all([eve.close(), reader.close()]);
});

test("an author picks up a colleague's draft from the Drafts panel, edits it in place and publishes it under the colleague's byline", async ({ browser, baseURL }) => {
  const slug = await createPost(admin(), uniqueTitle('Shared drafts'));
  const ada = await person(browser, baseURL!, 'author', 'Ada Writer');
  const bob = await person(browser, baseURL!, 'author', 'Bob Picker');
  const adaDesk = await ada.newPage();
  const bobDesk = await bob.newPage();
  await adaDesk.goto(`/admin/posts/${slug}`);
  await bobDesk.goto(`/admin/posts/${slug}`);
  await adaDesk.locator('#entry-body').fill('Half-written: the demo');
  await adaDesk.locator('#save-draft').click();

  // Bob sees Ada's draft appear live, edits it in place and publishes it.
  const found = bobDesk.locator('#drafts-list .draft', { hasText: 'Half-written: the demo' });
  await expect(found).toContainText('Ada Writer');
  const shared = bobDesk.locator(`#drafts-list .draft[data-draft-id="${await found.getAttribute('data-draft-id')}"]`);
  await shared.locator('[data-draft-action="edit"]').click();
  const box = shared.locator('textarea');
  await expect(box).toBeFocused();
  await box.fill('The demo crashed, then worked on the second try');
  await shared.getByRole('button', { name: 'Save' }).click();
  const saved = bobDesk.locator('#drafts-list .draft', { hasText: 'The demo crashed' });
  await expect(saved).toContainText('by Bob Picker');
  // Ada's panel follows: her draft, saved by Bob.
  await expect(adaDesk.locator('#drafts-list .draft', { hasText: 'The demo crashed' })).toContainText('by Bob Picker');
  await saved.locator('[data-draft-action="publish"]').click();
  await expect(bobDesk.locator('#drafts-list .draft')).toHaveCount(0);
  await expect(adaDesk.locator('#drafts-list .draft')).toHaveCount(0);
  const published = adaDesk.locator('#timeline .desk-entry', { hasText: 'The demo crashed' });
  await expect(published).toHaveCount(1);
  await expect(published.locator('.author')).toHaveText('Ada Writer');
  await Promise.all([ada.close(), bob.close()]);
});
