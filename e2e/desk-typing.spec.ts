import { expect, request as playwrightRequest, test, type APIRequestContext } from '@playwright/test';

/**
 * Issue 14, "keystrokes lost mid-edit": while an editor edits an entry, a co-author's new entry
 * used to re-render the whole timeline and detach the open editor; later keystrokes went nowhere.
 * The desk now inserts only the new article: the editor keeps its text, caret and focus.
 */
const token = process.env.LIVELINE_E2E_TOKEN!;
let admin: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  expect((await admin.post('/login', { data: { email: process.env.LIVELINE_E2E_ADMIN_EMAIL, password: process.env.LIVELINE_E2E_ADMIN_PASSWORD } })).status()).toBe(200);
});
test.afterAll(async () => {
  await admin.dispose();
});

test('an editor keeps typing while colleagues publish: no keystroke, caret or focus is lost', async ({ page, request }) => {
  const auth = { authorization: `Bearer ${token}` };
  const created = await request.post('/api/posts', { headers: auth, data: { title: `Typing keynote ${Date.now()}` } });
  const { slug } = (await created.json()) as { slug: string };
  const ids: number[] = [];
  for (let i = 1; i <= 20; i++) ids.push(((await (await request.post(`/api/posts/${slug}/entries`, { headers: auth, data: { body: `Entry ${i}` } })).json()) as { id: number }).id);

  await page.context().addCookies((await admin.storageState()).cookies);
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
  await page.context().addCookies((await admin.storageState()).cookies);
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
