import { expect, test } from '@playwright/test';
import { adminSession } from './support/admin.js';

/**
 * Issue 14, "keystrokes lost mid-edit": while an editor edits an entry, a co-author's new entry
 * used to re-render the whole timeline and detach the open editor; later keystrokes went nowhere.
 * The desk now inserts only the new article: the editor keeps its text, caret and focus.
 */
const token = process.env.LIVELINE_E2E_TOKEN!;
const admin = adminSession();

test('an editor keeps typing while colleagues publish: no keystroke, caret or focus is lost', async ({ page, request }) => {
  const auth = { authorization: `Bearer ${token}` };
  const created = await request.post('/api/posts', { headers: auth, data: { title: `Typing keynote ${Date.now()}` } });
  const { slug } = (await created.json()) as { slug: string };
  const ids: number[] = [];
  for (let i = 1; i <= 20; i++) ids.push(((await (await request.post(`/api/posts/${slug}/entries`, { headers: auth, data: { body: `Entry ${i}` } })).json()) as { id: number }).id);

  await page.context().addCookies((await admin().storageState()).cookies);
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  const target = page.locator(`#timeline [data-entry-id="${ids[9]}"]`);
  await target.locator('button[data-action="edit"]').click();
  const box = page.locator(`#timeline form[data-entry-id="${ids[9]}"] textarea.edit-body`);
  await expect(box).toBeFocused();
  await box.press('End');

  const typed = ' and the crowd cheers for the new chip';
  for (const [index, character] of [...typed].entries()) {
    await page.keyboard.type(character);
    // A co-author publishes every few keystrokes, and a colleague edits another entry.
    if (index % 8 === 3) await request.post(`/api/posts/${slug}/entries`, { headers: auth, data: { body: `Live update ${index}` } });
    if (index === 20) await request.patch(`/api/entries/${ids[2]}`, { headers: { ...auth, 'if-match': '1' }, data: { body: 'Entry 3, corrected' } });
  }
  await expect(page.locator('#timeline .desk-entry', { hasText: 'Live update 35' })).toHaveCount(1);
  await expect(box).toBeFocused();
  await expect(box).toHaveValue(`Entry 10${typed}`);
  // The caret stayed where the typing was.
  expect(await box.evaluate((element: HTMLTextAreaElement) => [element.selectionStart, element.value.length])).toEqual([`Entry 10${typed}`.length, `Entry 10${typed}`.length]);
  // The desk shows every entry once, newest first, the colleague's correction included.
  await expect(page.locator(`#timeline [data-entry-id="${ids[2]}"]`)).toContainText('Entry 3, corrected');
  await expect(page.locator('#timeline [data-entry-id]')).toHaveCount(25);
  await page.screenshot({ path: test.info().outputPath('desk-typing.png') });
});

test("the desk stays put while you read: a colleague's new entry above does not move it", async ({ page, request }) => {
  const auth = { authorization: `Bearer ${token}` };
  const { slug } = (await (await request.post('/api/posts', { headers: auth, data: { title: `Reading keynote ${Date.now()}` } })).json()) as { slug: string };
  const ids: number[] = [];
  for (let i = 1; i <= 20; i++) ids.push(((await (await request.post(`/api/posts/${slug}/entries`, { headers: auth, data: { body: `Entry ${i}\n\nwith a second paragraph` } })).json()) as { id: number }).id);
  await page.context().addCookies((await admin().storageState()).cookies);
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
  const reading = page.locator(`#timeline [data-entry-id="${ids[5]}"]`);
  await reading.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 120));
  const before = await reading.evaluate((element) => element.getBoundingClientRect().top);
  await request.post(`/api/posts/${slug}/entries`, { headers: auth, data: { body: 'Breaking: a new chip\n\nwith details' } });
  await expect(page.locator('#timeline .desk-entry', { hasText: 'Breaking: a new chip' })).toHaveCount(1);
  const after = await reading.evaluate((element) => element.getBoundingClientRect().top);
  expect(Math.abs(after - before)).toBeLessThanOrEqual(2);
});

test('two people, two browsers: an editor types in an open entry while an author publishes 5 entries from the composer', async ({ browser, baseURL }) => {
  const csrf = ((await (await admin().get('/api/session')).json()) as { csrfToken: string }).csrfToken;
  const email = `typing-author-${Date.now()}@e2e.test`;
  expect((await admin().post('/api/users', { headers: { 'x-csrf-token': csrf }, data: { name: 'Ada Author', email, role: 'author', password: 'e2e user password' } })).status()).toBe(201);
  const { slug } = (await (await admin().post('/api/posts', { headers: { 'x-csrf-token': csrf }, data: { title: `Two desks ${Date.now()}`, status: 'live' } })).json()) as { slug: string };
  for (let i = 1; i <= 12; i++) expect((await admin().post(`/api/posts/${slug}/entries`, { headers: { 'x-csrf-token': csrf }, data: { body: `Entry ${i}\n\nwith a second paragraph` } })).status()).toBe(201);

  const editorContext = await browser.newContext({ baseURL });
  await editorContext.addCookies((await admin().storageState()).cookies);
  const editor = await editorContext.newPage();
  await editor.goto(`/admin/posts/${slug}`);
  await expect(editor.locator('#connection')).toHaveText('Live');
  const target = editor.locator('#timeline .desk-entry', { hasText: 'Entry 6' });
  await target.getByRole('button', { name: 'Edit' }).click();
  const box = editor.locator('#timeline form.editing textarea.edit-body');
  await expect(box).toBeFocused();
  await box.press('End');
  const top = await box.evaluate((element) => element.getBoundingClientRect().top);

  const authorContext = await browser.newContext({ baseURL });
  expect((await authorContext.request.post('/login', { data: { email, password: 'e2e user password' } })).status()).toBe(200);
  const author = await authorContext.newPage();
  await author.goto(`/admin/posts/${slug}`);
  await expect(author.locator('#connection')).toHaveText('Live');

  const typed = ' and the crowd cheers';
  for (const [index, character] of [...typed].entries()) {
    await editor.keyboard.type(character);
    if (index % 4 === 1 && index < 20) {
      await author.locator('#entry-body').fill(`From the hall ${index}`);
      await author.locator('#entry-body').press('Control+Enter');
    }
  }
  await expect(editor.locator('#timeline .desk-entry', { hasText: 'From the hall' })).toHaveCount(5);
  await expect(box).toBeFocused();
  await expect(box).toHaveValue(`Entry 6\n\nwith a second paragraph${typed}`);
  expect(await box.evaluate((element: HTMLTextAreaElement) => element.selectionStart === element.value.length)).toBe(true);
  // Five entries arrived above it, and the editor's box did not move on the screen.
  expect(Math.abs((await box.evaluate((element) => element.getBoundingClientRect().top)) - top)).toBeLessThanOrEqual(2);
  await editor.screenshot({ path: test.info().outputPath('two-desks-editor.png') });
  await editorContext.close();
  await authorContext.close();
});
