import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { adminSession } from './support/admin.js';
import { auth, createPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * Issue 14, "Comfort": the desk's per-entry actions. Edit plus one "More actions" menu per entry
 * (few tab stops, keyboard-operable, 44 px targets on phones); delete at once with an Undo toast;
 * inline banners, never a browser dialog; a history that diffs the text readers see, with
 * "Restore this version"; a conflict view with exactly two choices; "edited" only for edits.
 */
const admin = adminSession();

/** Every browser dialog (alert, confirm, prompt) is a failure here: recorded, dismissed, checked at the end. */
function recordDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return dialogs;
}

/** A signed-in desk (as the admin) on `slug`, in a context of its own. */
async function openDesk(browser: Browser, slug: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; dialogs: string[] }> {
  const context = await browser.newContext(options);
  await context.addCookies((await admin().storageState()).cookies);
  const page = await context.newPage();
  const dialogs = recordDialogs(page);
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  return { context, page, dialogs };
}

const deskEntry = (page: Page, id: number) => page.locator(`#timeline article[data-entry-id="${id}"]`);

async function fromMenu(entry: Locator, item: string): Promise<void> {
  await entry.getByRole('button', { name: 'More actions' }).click();
  await entry.getByRole('button', { name: item, exact: true }).click();
}

/** Elements of `scope` that Tab stops at (visible, enabled, not tabindex=-1). */
function tabStops(scope: Locator): Promise<number> {
  return scope.evaluate((node) =>
    [...node.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')].filter((element) => element.tabIndex >= 0 && !(element as HTMLButtonElement).disabled && element.checkVisibility()).length,
  );
}

async function entryBody(request: APIRequestContext, id: number): Promise<{ body: string; version: number }> {
  return (await (await request.get(`/api/entries/${id}`)).json()) as { body: string; version: number };
}

test('each entry has two tab stops; its menu works by keyboard; Esc, Cancel and Save return to Edit', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Menu keynote'));
  const entries = [];
  for (const body of ['First', 'Second', 'Third']) entries.push(await postEntry(request, slug, body));
  const { context, page, dialogs } = await openDesk(browser, slug);
  for (const entry of entries) expect(await tabStops(deskEntry(page, entry.id))).toBeLessThanOrEqual(2);

  const second = deskEntry(page, entries[1]!.id);
  const menuButton = second.getByRole('button', { name: 'More actions' });
  await second.getByRole('button', { name: 'Edit' }).focus();
  await page.keyboard.press('Tab');
  await expect(menuButton).toBeFocused();
  await expect(menuButton).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  await expect(menuButton).toHaveAttribute('aria-expanded', 'true');
  await expect(second.getByRole('button', { name: 'Mark as key moment' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(second.getByRole('button', { name: 'Pin', exact: true })).toBeFocused();
  await page.keyboard.press('End');
  await expect(second.getByRole('button', { name: 'Delete' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(second.getByRole('button', { name: 'Mark as key moment' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(second.getByRole('button', { name: 'Pin', exact: true })).toBeFocused();
  await page.screenshot({ path: test.info().outputPath('desk-menu-desktop.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: test.info().outputPath('desk-menu-desktop-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Escape');
  await expect(menuButton).toHaveAttribute('aria-expanded', 'false');
  await expect(second.locator('.menu')).toBeHidden();
  await expect(menuButton).toBeFocused();

  // A click outside closes it.
  await page.keyboard.press('ArrowDown');
  await expect(second.locator('.menu')).toBeVisible();
  await page.locator('#post-title').click();
  await expect(second.locator('.menu')).toBeHidden();

  // Pin by keyboard: the entry re-renders pinned, and the focus is back on its menu button.
  await menuButton.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(second.locator('.pinned-badge')).toBeVisible();
  await expect(second.getByRole('button', { name: 'More actions' })).toBeFocused();
  expect(await tabStops(second)).toBeLessThanOrEqual(2);

  // The editor gives the focus back to the entry's Edit button, however it closes.
  const edit = second.getByRole('button', { name: 'Edit' });
  const box = page.locator(`#timeline form[data-entry-id="${entries[1]!.id}"] textarea.edit-body`);
  await edit.click();
  await expect(box).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(box).toHaveCount(0);
  await expect(edit).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(box).toBeFocused();
  await page.locator(`#timeline form[data-entry-id="${entries[1]!.id}"]`).getByRole('button', { name: 'Cancel' }).click();
  await expect(edit).toBeFocused();
  await edit.click();
  await box.fill('Second, corrected');
  await page.locator(`#timeline form[data-entry-id="${entries[1]!.id}"]`).getByRole('button', { name: 'Save' }).click();
  await expect(second.locator('.entry-body')).toHaveText('Second, corrected');
  await expect(second.getByRole('button', { name: 'Edit' })).toBeFocused();
  expect(dialogs).toEqual([]);
  await context.close();
});

test('delete is at once with an Undo toast: a reader loses the entry, and Undo brings it back for both', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Undo keynote'));
  const keep = await postEntry(request, slug, 'Stays');
  const oops = await postEntry(request, slug, 'Posted by mistake');
  const { context, page, dialogs } = await openDesk(browser, slug);
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator('#connection')).toHaveText('Live');
  // The reader's page reads newest first (issue 15).
  await expect(reader.locator('#entries .entry-body')).toHaveText(['Posted by mistake', 'Stays']);

  await fromMenu(deskEntry(page, oops.id), 'Delete');
  const toast = page.locator('#toasts .toast');
  await expect(toast).toContainText('Entry deleted.');
  await expect(page.locator('#toasts')).toHaveAttribute('aria-live', 'polite');
  const undo = toast.getByRole('button', { name: 'Undo' });
  // What had the focus is gone: it is on Undo, one key away.
  await expect(undo).toBeFocused();
  await expect(deskEntry(page, oops.id)).toHaveCount(0);
  await expect(reader.locator('#entries .entry-body')).toHaveText(['Stays']);
  expect((await request.get(`/api/entries/${oops.id}`)).status()).toBe(404);
  await page.screenshot({ path: test.info().outputPath('desk-undo-toast.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: test.info().outputPath('desk-undo-toast-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  await page.keyboard.press('Enter');
  await expect(toast).toHaveCount(0);
  await expect(deskEntry(page, oops.id)).toHaveCount(1);
  await expect(deskEntry(page, oops.id).getByRole('button', { name: 'More actions' })).toBeFocused();
  await expect(reader.locator('#entries .entry-body')).toHaveText(['Posted by mistake', 'Stays']);
  expect((await entryBody(request, oops.id)).body).toBe('Posted by mistake');
  await expect(deskEntry(page, keep.id)).toHaveCount(1);

  // Esc dismisses the toast (the deletion stays) and puts the focus on the entry below.
  await fromMenu(deskEntry(page, oops.id), 'Delete');
  await expect(undo).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(toast).toHaveCount(0);
  await expect(deskEntry(page, keep.id).getByRole('button', { name: 'More actions' })).toBeFocused();
  await expect(reader.locator('#entries .entry-body')).toHaveText(['Stays']);
  await expect(page.locator('#deleted li').filter({ hasText: 'Posted by mistake' })).toHaveCount(1);
  expect(dialogs).toEqual([]);
  await readerContext.close();
  await context.close();
});

test('failures show an inline banner, never a dialog: a server error, a stale version, a failed restore', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Error keynote'));
  const entry = await postEntry(request, slug, 'Fragile');
  const { context, page, dialogs } = await openDesk(browser, slug);
  const article = deskEntry(page, entry.id);

  await page.route(`**/api/entries/${entry.id}/pin`, (route) =>
    route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'The database is on fire.' }) }),
  );
  await fromMenu(article, 'Pin');
  const alert = page.locator('#desk-alerts .error-banner[role="alert"]');
  await expect(alert).toContainText('Not pinned: The database is on fire.');
  await page.unroute(`**/api/entries/${entry.id}/pin`);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toHaveCount(0);

  // A real 412: the desk's request carries a version the server has moved past.
  expect((await request.patch(`/api/entries/${entry.id}`, { headers: { ...auth, 'if-match': '1' }, data: { body: 'Fragile, fixed' } })).status()).toBe(200);
  await expect(article.locator('.entry-body')).toHaveText('Fragile, fixed');
  await page.route(`**/api/entries/${entry.id}`, (route) => route.continue({ headers: { ...route.request().headers(), 'if-match': '"1"' } }));
  await fromMenu(article, 'Mark as key moment');
  await expect(alert).toContainText('Someone changed this entry meanwhile (now version 2); nothing was changed');
  await page.unroute(`**/api/entries/${entry.id}`);
  await expect(article.locator('.key-event-badge')).toHaveCount(0);
  // The next action that works clears the banner.
  await fromMenu(article, 'Mark as key moment');
  await expect(article.locator('.key-event-badge')).toBeVisible();
  await expect(alert).toHaveCount(0);

  // The deleted list's restore, failing.
  await fromMenu(article, 'Delete');
  await page.locator('#toasts .toast').getByRole('button', { name: 'Dismiss' }).click();
  await page.route(`**/api/entries/${entry.id}/restore`, (route) => route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Unavailable', status: 503, detail: 'Try again in a moment.' }) }));
  await page.locator('#deleted li').filter({ hasText: 'Fragile, fixed' }).getByRole('button', { name: 'Restore' }).click();
  await expect(page.locator('#deleted .error-banner[role="alert"]')).toContainText('Not restored: Try again in a moment.');
  await page.screenshot({ path: test.info().outputPath('desk-error-banner.png') });
  expect(dialogs).toEqual([]);
  await context.close();
});

test('history diffs the text readers see, says when only the formatting changed, and restores a version', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('History keynote'));
  const entry = await postEntry(request, slug, 'The new laptop costs **$3,499**.');
  const patch = async (version: number, body: string) => expect((await request.patch(`/api/entries/${entry.id}`, { headers: { ...auth, 'if-match': String(version) }, data: { body } })).status()).toBe(200);
  await patch(1, 'The new laptop costs $2,999.');
  await patch(2, 'The new laptop costs *$2,999*.');
  const { context, page, dialogs } = await openDesk(browser, slug);
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator('#connection')).toHaveText('Live');

  await fromMenu(deskEntry(page, entry.id), 'History');
  const revisions = page.locator('#history .revision');
  await expect(revisions).toHaveCount(3);
  // Newest first: v3 only italicised the price; v2 changed it (and unbolded it).
  await expect(revisions.nth(0).locator('.diff-note')).toHaveText('Formatting only: the text readers see is unchanged.');
  const priceChange = revisions.nth(1).locator('pre.diff');
  await expect(priceChange.locator('del')).toHaveText('removed: $3,499.');
  await expect(priceChange.locator('ins')).toHaveText('added: $2,999.');
  await expect(priceChange).not.toContainText('*');
  await expect(revisions.nth(1).locator('.diff-note')).toHaveText('The formatting changed too.');
  await expect(revisions.nth(2).locator('pre.diff')).toHaveText('The new laptop costs $3,499.');
  // The current version and the one with the same text have nothing to restore.
  await expect(revisions.nth(0).getByRole('button', { name: 'Restore this version' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('desk-history.png') });

  await revisions.nth(2).getByRole('button', { name: 'Restore this version' }).click();
  await expect(page.locator('#history .history-notice')).toHaveText('Version 1 restored: the entry is now version 4.');
  await expect(revisions).toHaveCount(4);
  await expect(revisions.nth(0).locator('pre.diff ins')).toHaveText('added: $3,499.');
  expect((await entryBody(request, entry.id)).body).toBe('The new laptop costs **$3,499**.');
  await expect(reader.locator(`#entry-${entry.id} .entry-body strong`)).toHaveText('$3,499');
  await expect(deskEntry(page, entry.id).locator('.entry-body strong')).toHaveText('$3,499');

  // Someone saves while the history is open: the restore is refused, and says who and why.
  await patch(4, 'The new laptop costs $2,799.');
  await revisions.nth(2).getByRole('button', { name: 'Restore this version' }).click();
  await expect(page.locator('#history .history-notice')).toHaveText(
    'E2E Editor saved version 5 meanwhile, so nothing was restored (their change is at the top). Restore version 2 again if you still want it.',
  );
  await expect(revisions.nth(0).locator('pre.diff ins')).toHaveText('added: $2,799.');
  expect((await entryBody(request, entry.id)).body).toBe('The new laptop costs $2,799.');
  // Esc closes the history; the focus is back on the entry's menu (re-rendered twice meanwhile).
  await page.keyboard.press('Escape');
  await expect(page.locator('#history-dialog')).toBeHidden();
  await expect(deskEntry(page, entry.id).getByRole('button', { name: 'More actions' })).toBeFocused();
  expect(dialogs).toEqual([]);
  await readerContext.close();
  await context.close();
});

test('a conflicting save offers exactly two choices, names who saved, and shows what differs', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Conflict keynote'));
  const entry = await postEntry(request, slug, 'The CEO walks on stage');
  const { context, page, dialogs } = await openDesk(browser, slug);
  const edit = deskEntry(page, entry.id).getByRole('button', { name: 'Edit' });
  await edit.click();
  const form = page.locator(`#timeline form[data-entry-id="${entry.id}"]`);
  await form.locator('textarea').fill('The CEO runs on stage');
  expect((await request.patch(`/api/entries/${entry.id}`, { headers: { ...auth, 'if-match': '1' }, data: { body: 'The CEO walks on stage, waving' } })).status()).toBe(200);
  await form.getByRole('button', { name: 'Save' }).click();

  const conflict = form.locator('.conflict');
  await expect(conflict.locator('.who-saved')).toContainText('E2E Editor saved this entry meanwhile (version 2');
  await expect(conflict.locator('pre.diff del')).toHaveText(['removed: walks', 'removed: stage, waving']);
  await expect(conflict.locator('pre.diff ins')).toHaveText(['added: runs', 'added: stage']);
  await expect(form.getByRole('button')).toHaveText(['Keep mine (save over theirs)', 'Take theirs (drop mine)']);
  await page.screenshot({ path: test.info().outputPath('desk-conflict.png') });

  await form.getByRole('button', { name: 'Take theirs (drop mine)' }).click();
  await expect(form).toHaveCount(0);
  await expect(deskEntry(page, entry.id).locator('.entry-body')).toHaveText('The CEO walks on stage, waving');
  await expect(edit).toBeFocused();
  expect((await entryBody(request, entry.id)).body).toBe('The CEO walks on stage, waving');

  // The other way out: mine is saved over theirs.
  await edit.click();
  await form.locator('textarea').fill('The CEO runs on stage');
  expect((await request.patch(`/api/entries/${entry.id}`, { headers: { ...auth, 'if-match': '2' }, data: { body: 'The CEO walks on stage again' } })).status()).toBe(200);
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('button', { name: 'Keep mine (save over theirs)' }).click();
  await expect(form).toHaveCount(0);
  await expect(deskEntry(page, entry.id).locator('.entry-body')).toHaveText('The CEO runs on stage');
  expect((await entryBody(request, entry.id)).body).toBe('The CEO runs on stage');
  expect(dialogs).toEqual([]);
  await context.close();
});

test('a pin or a key moment is not an edit; the desk says "Key moment" like readers do', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Edited keynote'));
  const entry = await postEntry(request, slug, 'Doors open');
  const { context, page, dialogs } = await openDesk(browser, slug);
  const article = deskEntry(page, entry.id);
  await expect(page.getByLabel('Key moment', { exact: true })).toBeVisible();

  await fromMenu(article, 'Pin');
  await expect(article.locator('.pinned-badge')).toBeVisible();
  await fromMenu(article, 'Mark as key moment');
  await expect(article.locator('.key-event-badge')).toHaveText('Key moment');
  await expect(article).toHaveAttribute('data-version', '3');
  await expect(article.locator('.edited')).toHaveCount(0);
  await expect(article).not.toContainText('v3');

  expect((await request.patch(`/api/entries/${entry.id}`, { headers: { ...auth, 'if-match': '3' }, data: { body: 'Doors open at 9' } })).status()).toBe(200);
  await expect(article.locator('.entry-body')).toHaveText('Doors open at 9');
  await expect(article.locator('.edited')).toHaveText('edited');
  await expect(article.locator('.edited')).toHaveAttribute('title', /^Last updated /);
  const reader = await context.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator(`#entry-${entry.id} .badge`).first()).toHaveText('Key moment');
  expect(dialogs).toEqual([]);
  await context.close();
});

test('on a phone, every action target is at least 44 px tall', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Phone keynote'));
  const entry = await postEntry(request, slug, 'Typed on a phone in the front row');
  await postEntry(request, slug, 'Another one');
  const { context, page, dialogs } = await openDesk(browser, slug, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const article = deskEntry(page, entry.id);
  const heights = (scope: Locator, selector: string) => scope.locator(selector).evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().height));

  for (const height of await heights(article, '.actions > button, .menu-button')) expect(height).toBeGreaterThanOrEqual(44);
  await article.getByRole('button', { name: 'More actions' }).tap();
  await expect(article.locator('.menu')).toBeVisible();
  const items = await heights(article, '.menu button');
  expect(items).toHaveLength(4);
  for (const height of items) expect(height).toBeGreaterThanOrEqual(44);
  await article.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('desk-menu-phone.png') });

  await article.getByRole('button', { name: 'Delete' }).tap();
  const toast = page.locator('#toasts .toast');
  await expect(toast).toBeVisible();
  for (const height of await heights(toast, 'button')) expect(height).toBeGreaterThanOrEqual(44);
  await page.screenshot({ path: test.info().outputPath('desk-undo-phone.png') });
  await toast.getByRole('button', { name: 'Undo' }).tap();
  await expect(article).toHaveCount(1);
  expect(dialogs).toEqual([]);
  await context.close();
});

test('admin users: a failure shows a banner and revoking a token asks inline, never a dialog', async ({ browser, request }) => {
  const context = await browser.newContext();
  await context.addCookies((await admin().storageState()).cookies);
  const page = await context.newPage();
  const dialogs = recordDialogs(page);
  const name = uniqueTitle('Inline script');
  const created = await admin().post('/api/tokens', { headers: { 'x-csrf-token': await csrf(page) }, data: { userId: await adminId(page), name } });
  expect(created.status()).toBe(201);
  await page.goto('/admin/users');
  const row = page.locator('#tokens tr').filter({ hasText: name });
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(row.getByRole('button', { name: 'Revoke now' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(row.getByRole('button', { name: 'Revoke now' })).toHaveCount(0);
  await expect(row).toContainText('active');
  await expect(row.getByRole('button', { name: 'Revoke', exact: true })).toBeFocused();
  await row.getByRole('button', { name: 'Revoke', exact: true }).click();
  await row.getByRole('button', { name: 'Revoke now' }).click();
  await expect(row).toContainText('revoked');

  await page.route('**/api/users/*', (route) => route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Error', status: 500, detail: 'Users are read-only right now.' }) }));
  await page.locator('#users tbody tr').first().getByRole('button', { name: /Disable|Enable/ }).click();
  await expect(page.locator('#users-alerts .error-banner[role="alert"]')).toContainText('Users are read-only right now.');
  expect(dialogs).toEqual([]);
  await context.close();
});

async function csrf(page: Page): Promise<string> {
  await page.goto('/admin');
  return (await page.locator('meta[name="csrf-token"]').getAttribute('content')) ?? '';
}

async function adminId(page: Page): Promise<number> {
  return Number(await page.locator('#who').getAttribute('data-user-id'));
}
