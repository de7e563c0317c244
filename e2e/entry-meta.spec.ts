import { AxeBuilder } from '@axe-core/playwright';
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import sharp from 'sharp';
import { adminSession } from './support/admin.js';

/**
 * Issue 17 in a real browser: an editor writes an entry with the composer's commands, keyboard
 * only (`/headline`, `/location`, `/key`, `#tag`, `@name`, `:emoji:` through the autocomplete
 * listbox); readers on a phone and on a desktop see its headline, bylines (with the co-author's
 * role title and square avatar), location and tags, filter by the tag, and then see a correction
 * and a claim label change arrive without reloading.
 */
const PASSWORD = 'e2e user password';
const admin = adminSession();
let counter = 0;

async function csrfOf(context: APIRequestContext): Promise<string> {
  return ((await (await context.get('/api/session')).json()) as { csrfToken: string }).csrfToken;
}

async function createUser(role: 'author' | 'editor', name: string): Promise<{ email: string; id: number }> {
  const email = `${role}-${Date.now()}-${counter++}@e2e.test`;
  const response = await admin().post('/api/users', { headers: { 'x-csrf-token': await csrfOf(admin()) }, data: { name, email, role, password: PASSWORD } });
  expect(response.status()).toBe(201);
  return { email, id: ((await response.json()) as { id: number }).id };
}

async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** What the listbox offers now, and which option the box points at. */
async function expectActiveOption(page: Page, text: string | RegExp): Promise<void> {
  const box = page.locator('#entry-body');
  const list = page.getByRole('listbox', { name: 'Suggestions' });
  await expect(list).toBeVisible();
  const active = list.locator('[role="option"][aria-selected="true"]');
  await expect(active).toContainText(text);
  await expect(box).toHaveAttribute('aria-activedescendant', (await active.getAttribute('id'))!);
}

test('an editor writes with commands; readers on phone and desktop see bylines, tags, a correction and a claim change live', async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(90_000);
  const editor = await createUser('editor', 'Edith Editor');
  const colleague = await createUser('author', `Grace Hopper ${counter}`);
  const colleagueName = `Grace Hopper ${counter - 1}`;
  // The colleague's byline profile: a role title and an avatar (a wide image; the server crops it square).
  const grace = await playwrightRequest.newContext({ baseURL });
  expect((await grace.post('/login', { data: { email: colleague.email, password: PASSWORD } })).status()).toBe(200);
  const graceCsrf = await csrfOf(grace);
  expect((await grace.patch('/api/profile', { headers: { 'x-csrf-token': graceCsrf }, data: { jobTitle: 'Senior reporter' } })).status()).toBe(200);
  const png = await sharp({ create: { width: 600, height: 300, channels: 3, background: { r: 20, g: 110, b: 200 } } }).png().toBuffer();
  const avatar = await grace.put('/api/profile/avatar', { headers: { 'x-csrf-token': graceCsrf }, multipart: { file: { name: 'grace.png', mimeType: 'image/png', buffer: png } } });
  expect(avatar.status(), await avatar.text()).toBe(200);
  const avatarUrl = ((await avatar.json()) as { avatar: string }).avatar;
  const stored = await sharp(Buffer.from(await (await grace.get(avatarUrl)).body())).metadata();
  expect([stored.width, stored.height]).toEqual([256, 256]);
  await grace.dispose();

  const created = await admin().post('/api/posts', { headers: { 'x-csrf-token': await csrfOf(admin()) }, data: { title: `Launch event ${Date.now()}`, timezone: 'UTC' } });
  const { slug } = (await created.json()) as { slug: string };

  // Readers are on the page before anything is written: everything below reaches them live.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const readers = [await phone.newPage(), await desktop.newPage()];
  for (const reader of readers) {
    await reader.goto(`/posts/${slug}`);
    await expect(reader.locator('#connection')).toHaveAttribute('data-state', 'live');
  }

  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  expect((await desk.request.post('/login', { data: { email: editor.email, password: PASSWORD } })).status()).toBe(200);
  const page = await desk.newPage();
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  const box = page.locator('#entry-body');
  await expect(box).toBeFocused();

  // /headline → the headline field; Enter there comes back to the box.
  await page.keyboard.type('/he');
  await expectActiveOption(page, '/headline');
  await page.keyboard.press('Enter');
  await expect(page.locator('#entry-headline')).toBeFocused();
  await page.keyboard.type('A thinner phone');
  await page.keyboard.press('Enter');
  await expect(box).toBeFocused();
  // /location, the same way.
  await page.keyboard.type('/loc');
  await expectActiveOption(page, '/location');
  await page.keyboard.press('Enter');
  await page.keyboard.type('San Francisco');
  await page.keyboard.press('Enter');
  // /key ticks "Key moment"; the arrows move through the commands first.
  await page.keyboard.type('/');
  await expectActiveOption(page, '/key');
  await page.keyboard.press('ArrowDown');
  await expectActiveOption(page, '/pin');
  await page.keyboard.press('ArrowUp');
  await expectActiveOption(page, '/key');
  await page.keyboard.press('Enter');
  await expect(page.locator('#entry-key-event')).toBeChecked();
  await expect(box).toHaveValue('');

  await page.keyboard.type('The new phone is thinner ');
  await page.keyboard.type(':rock');
  await expectActiveOption(page, ':rocket:');
  await page.keyboard.press('Enter');
  await page.keyboard.type(' #keynote');
  await expectActiveOption(page, '#keynote');
  await page.keyboard.press('Tab');
  await page.keyboard.type('@grac');
  await expectActiveOption(page, colleagueName);
  await expectNoSeriousAxeViolations(page);
  await page.keyboard.press('Enter');
  // Escape closes the list and leaves the text alone.
  await page.keyboard.type(' @nobody');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('listbox', { name: 'Suggestions' })).toBeHidden();
  await page.keyboard.press('Backspace', { delay: 0 });
  for (let i = 0; i < 7; i += 1) await page.keyboard.press('Backspace');
  const chips = page.getByRole('list', { name: /tags, co-authors/ });
  await expect(chips).toContainText('#keynote');
  await expect(chips).toContainText(colleagueName);
  await expect(box).toHaveValue(/^The new phone is thinner 🚀\s*$/);
  await page.screenshot({ path: testInfo.outputPath('composer.png') });
  await page.keyboard.press('Control+Enter');
  await expect(box).toHaveValue('');
  await expect(chips.locator('li')).toHaveCount(0);

  // Another entry, without the tag, for the filter.
  const csrf = await csrfOf(desk.request);
  const other = await desk.request.post(`/api/posts/${slug}/entries`, { headers: { 'x-csrf-token': csrf }, data: { body: 'Coffee break in the lobby.' } });
  expect(other.status()).toBe(201);

  for (const reader of readers) {
    const entry = reader.locator('#entries article', { hasText: 'The new phone is thinner' });
    await expect(entry.locator('h3.entry-headline')).toHaveText('A thinner phone');
    await expect(entry.locator('.entry-body')).toContainText('🚀');
    await expect(entry.locator('.byline .author')).toHaveText(['Edith Editor', colleagueName]);
    await expect(entry.locator('.byline .job-title')).toHaveText('Senior reporter');
    await expect(entry.locator('.byline img.avatar')).toHaveAttribute('src', avatarUrl);
    await expect(entry.locator('.location')).toHaveText('in San Francisco');
    await expect(entry.locator('.entry-tags a')).toHaveText(['#keynote']);
    await expect(reader.locator('#key-moments-list')).toContainText('A thinner phone');
    await expect(reader.locator('#entries')).toContainText('Coffee break');
  }
  await readers[0]!.screenshot({ path: testInfo.outputPath('reader-phone.png') });

  // The tag is a link: the filtered view is the server's (works without JavaScript).
  for (const reader of readers) {
    await reader.locator('#entries article .entry-tags a', { hasText: '#keynote' }).click();
    await expect(reader).toHaveURL(/\?tag=keynote$/);
    await expect(reader.locator('#tag-view')).toHaveText('Tagged #keynote');
    await expect(reader.locator('#entries article')).toHaveCount(1);
    await expect(reader.locator('#entries')).not.toContainText('Coffee break');
    await expect(reader.locator('#connection')).toHaveAttribute('data-state', 'live');
  }

  // The editor labels it unconfirmed, then confirms it with a correction: readers see both live.
  const entryId = Number(await readers[1]!.locator('#entries article').getAttribute('data-entry-id'));
  const labelled = await desk.request.patch(`/api/entries/${entryId}`, { headers: { 'x-csrf-token': csrf, 'if-match': '"1"' }, data: { claim: 'unconfirmed' } });
  expect(labelled.status()).toBe(200);
  for (const reader of readers) {
    await expect(reader.locator('#entries article .claim')).toHaveText('Unconfirmed');
  }
  // The correction is made on the desk: edit, label "Confirmed", "This edit is a correction" with its public note.
  const onDesk = page.locator(`.desk-entry[data-entry-id="${entryId}"]`);
  await expect(onDesk.locator('.desk-meta')).toContainText('Unconfirmed');
  await onDesk.getByRole('button', { name: 'Edit' }).click();
  const editing = page.locator(`form.desk-entry[data-entry-id="${entryId}"]`);
  const editBox = editing.locator('textarea.edit-body');
  await editBox.fill('The new phone is 1 mm thinner 🚀');
  // The edit box has the commands too: a tag, by keyboard; the existing one is a chip already.
  await editBox.press('End');
  await page.keyboard.type(' #launch');
  const editList = editing.getByRole('listbox', { name: 'Suggestions' });
  await expect(editList.locator('[aria-selected="true"]')).toContainText('#launch');
  await expect(editBox).toHaveAttribute('aria-activedescendant', /^edit-commands-\d+-option-0$/);
  await page.keyboard.press('Enter');
  await expect(editing.getByRole('list', { name: /tags and co-authors/ })).toContainText('#keynote');
  await expect(editing.getByRole('list', { name: /tags and co-authors/ })).toContainText('#launch');
  await expect(editBox).toHaveValue(/^The new phone is 1 mm thinner 🚀\s*$/);
  await editing.getByLabel('Label').selectOption('confirmed');
  await editing.getByLabel('This edit is a correction').check();
  await expect(editing.getByLabel('Correction note (public)')).toBeFocused();
  await page.keyboard.type('It is 1 mm thinner, not 2 mm.');
  await page.screenshot({ path: testInfo.outputPath('desk-correction.png') });
  await editing.getByRole('button', { name: 'Save' }).click();
  await expect(onDesk.locator('.desk-correction')).toHaveText('Corrected: It is 1 mm thinner, not 2 mm.');
  for (const reader of readers) {
    const entry = reader.locator('#entries article');
    await expect(entry.locator('.claim')).toHaveText('Confirmed');
    await expect(entry.locator('.correction')).toHaveText(/^Corrected \d\d:\d\d: It is 1 mm thinner, not 2 mm\.$/);
    await expect(entry.locator('.entry-body')).toContainText('1 mm thinner');
    await expect(entry.locator('.entry-tags a')).toHaveText(['#keynote', '#launch']);
    // The correction is the notice; no "Updated" beside it.
    await expect(entry.locator('.edited')).toHaveCount(0);
    // Still filtered: the other entry never comes in.
    await expect(reader.locator('#entries')).not.toContainText('Coffee break');
  }
  await readers[0]!.screenshot({ path: testInfo.outputPath('reader-phone-corrected.png'), fullPage: true });
  await readers[1]!.screenshot({ path: testInfo.outputPath('reader-desktop-corrected.png') });
  // The key moments of the whole page show the label too.
  await readers[1]!.goto(`/posts/${slug}`);
  await expect(readers[1]!.locator('#key-moments-list .claim')).toHaveText('Confirmed');
  await readers[1]!.screenshot({ path: testInfo.outputPath('reader-desktop.png') });
  await expectNoSeriousAxeViolations(readers[1]!);

  await Promise.all([phone.close(), desktop.close(), desk.close()]);
});

test('a reporter sets their byline on the profile page; readers see it on the next entry', async ({ browser }, testInfo) => {
  const reporter = await createUser('author', 'Rita Reporter');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  expect((await context.request.post('/login', { data: { email: reporter.email, password: PASSWORD } })).status()).toBe(200);
  const page = await context.newPage();
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Your byline' }).click();
  await expect(page).toHaveURL(/\/admin\/profile$/);
  await page.getByLabel('Display name').fill('Rita Moreno');
  await page.getByLabel('Role title').fill('Photographer');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#profile-status')).toHaveText('Saving: done.');
  const tall = await sharp({ create: { width: 300, height: 900, channels: 3, background: { r: 200, g: 60, b: 40 } } }).jpeg().toBuffer();
  await page.getByLabel('Upload an avatar').setInputFiles({ name: 'rita.jpg', mimeType: 'image/jpeg', buffer: tall });
  await expect(page.locator('#profile-status')).toHaveText('Uploading the avatar: done.');
  const shown = page.getByRole('img', { name: 'Your avatar' });
  await expect(shown).toBeVisible();
  const avatarUrl = (await shown.getAttribute('src'))!;
  await page.screenshot({ path: testInfo.outputPath('profile.png') });

  const created = await admin().post('/api/posts', { headers: { 'x-csrf-token': await csrfOf(admin()) }, data: { title: `Gallery ${Date.now()}` } });
  const { slug } = (await created.json()) as { slug: string };
  const entry = await context.request.post(`/api/posts/${slug}/entries`, { headers: { 'x-csrf-token': await csrfOf(context.request) }, data: { body: 'Pictures from the hall.' } });
  expect(entry.status()).toBe(201);
  await page.goto(`/posts/${slug}`);
  const byline = page.locator('#entries article .byline');
  await expect(byline.locator('.author')).toHaveText('Rita Moreno');
  await expect(byline.locator('.job-title')).toHaveText('Photographer');
  await expect(byline.locator('img.avatar')).toHaveAttribute('src', avatarUrl);
  await page.screenshot({ path: testInfo.outputPath('byline-phone.png') });
  await context.close();
});

test('/pin and a typed command line: the entry is published pinned, and its body is clean', async ({ browser }) => {
  const reporter = await createUser('author', 'Pia Pinner');
  const created = await admin().post('/api/posts', { headers: { 'x-csrf-token': await csrfOf(admin()) }, data: { title: `Pins ${Date.now()}` } });
  const { slug } = (await created.json()) as { slug: string };
  const context = await browser.newContext();
  expect((await context.request.post('/login', { data: { email: reporter.email, password: PASSWORD } })).status()).toBe(200);
  const page = await context.newPage();
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  await page.keyboard.type('/pi');
  await expectActiveOption(page, '/pin');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('list', { name: /tags, co-authors/ })).toContainText('Pin');
  // Typed without the list: a line that is only a command is read as one when the entry is sent.
  await page.keyboard.type('Doors open at nine.');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await page.keyboard.type('/headline Doors open');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Enter');
  const reader = await context.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator('#pinned-body .entry-headline')).toHaveText('Doors open');
  await expect(reader.locator('#pinned-body .entry-body')).toHaveText('Doors open at nine.');
  await context.close();
});
