import { expect, request as playwrightRequest, test, type APIRequestContext, type BrowserContext, type Locator, type Page } from '@playwright/test';

/**
 * The newsroom in a real browser: accounts log in through the UI or /login, write in the
 * composer, and readers watch the reader page in another browser context.
 */
const PASSWORD = 'e2e user password';
const token = process.env.LIVELINE_E2E_TOKEN!;
let admin: APIRequestContext;
let adminCsrf = '';

test.beforeAll(async ({ baseURL }) => {
  admin = await playwrightRequest.newContext({ baseURL });
  const response = await admin.post('/login', { data: { email: process.env.LIVELINE_E2E_ADMIN_EMAIL, password: process.env.LIVELINE_E2E_ADMIN_PASSWORD } });
  expect(response.status()).toBe(200);
  adminCsrf = ((await response.json()) as { csrfToken: string }).csrfToken;
});
test.afterAll(async () => {
  await admin.dispose();
});

let counter = 0;
async function createUser(role: 'author' | 'editor', name: string): Promise<string> {
  const email = `${role}-${Date.now()}-${counter++}@e2e.test`;
  const response = await admin.post('/api/users', { headers: { 'x-csrf-token': adminCsrf }, data: { name, email, role, password: PASSWORD } });
  expect(response.status()).toBe(201);
  return email;
}

async function createPost(title: string): Promise<string> {
  const response = await admin.post('/api/posts', { headers: { 'x-csrf-token': adminCsrf }, data: { title: `${title} ${Date.now()}-${counter++}` } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { slug: string }).slug;
}

/** Logs a browser context in through /login (its request context shares the cookie jar). */
async function logIn(context: BrowserContext, email: string): Promise<void> {
  const response = await context.request.post('/login', { data: { email, password: PASSWORD } });
  expect(response.status()).toBe(200);
}

async function openComposer(page: Page, slug: string): Promise<void> {
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');
}

/** Chooses `item` in a desk entry's "More actions" menu. */
async function fromMenu(entry: Locator, item: string): Promise<void> {
  await entry.getByRole('button', { name: 'More actions' }).click();
  await entry.getByRole('button', { name: item, exact: true }).click();
}

async function publishedBodies(api: APIRequestContext, slug: string): Promise<string[]> {
  const response = await api.get(`/api/posts/${slug}`);
  return ((await response.json()) as { entries: { body: string }[] }).entries.map((entry) => entry.body);
}

test('an author logs in and publishes 5 entries with the keyboard only; a reader sees them live', async ({ browser }) => {
  const slug = await createPost('Keyboard keynote');
  const email = await createUser('author', 'Kim Keyboard');
  const authorContext = await browser.newContext();
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator('#connection')).toHaveText('Live');

  const page = await authorContext.newPage();
  await page.goto(`/login?next=/admin/posts/${slug}`);
  await expect(page.locator('input[name="email"]')).toBeFocused();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/admin/posts/${slug}$`));
  await expect(page.locator('#entry-body')).toBeFocused();
  // Ctrl+Enter publishes once the composer's script runs (the box keeps what is typed before).
  await expect(page.locator('#connection')).toHaveText('Live');

  const bodies = Array.from({ length: 5 }, (_, i) => `Keyboard update ${i + 1}`);
  for (const body of bodies) {
    await page.keyboard.type(body);
    await page.keyboard.press('Control+Enter');
    // The box clears and keeps focus, ready for the next entry.
    await expect(page.locator('#entry-body')).toHaveValue('');
    await expect(page.locator('#entry-body')).toBeFocused();
  }
  // The reader's page opens newest first (issue 15).
  await expect(reader.locator('#entries article[data-entry-id] .entry-body')).toHaveText([...bodies].reverse(), { timeout: 15_000 });
  // Each published entry shows its time in the composer, on the timeline and in the outbox.
  await expect(page.locator('#timeline .desk-entry')).toHaveCount(5);
  await expect(page.locator('#outbox .state-published time')).toHaveCount(5);
  await authorContext.close();
  await readerContext.close();
});

test('offline: 3 entries queued, tab closed, composer reopened online → exactly those 3, once, in order', async ({ browser, request }) => {
  const slug = await createPost('Bad wifi keynote');
  const email = await createUser('author', 'Olga Offline');
  const context = await browser.newContext();
  await logIn(context, email);
  const page = await context.newPage();
  await openComposer(page, slug);

  await context.setOffline(true);
  const bodies = ['Offline one', 'Offline two', 'Offline three'];
  for (const body of bodies) {
    await page.locator('#entry-body').fill(body);
    await page.locator('#entry-body').press('Control+Enter');
  }
  await expect(page.locator('#outbox .outbox-item[data-state="queued"]')).toHaveCount(3);
  await expect(page.locator('#outbox .outbox-item .reason').first()).toContainText('Offline');
  expect(await publishedBodies(request, slug)).toEqual([]);
  // A draft being typed survives too.
  await page.locator('#entry-body').fill('Half-written thought');
  await page.close();

  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto(`/admin/posts/${slug}`);
  await expect.poll(() => publishedBodies(request, slug), { timeout: 20_000 }).toEqual(bodies);
  await expect(again.locator('#outbox .outbox-item[data-state="published"]')).toHaveCount(3);
  await expect(again.locator('#entry-body')).toHaveValue('Half-written thought');
  // Reloading once more sends nothing twice.
  await again.reload();
  await expect(again.locator('#connection')).toHaveText('Live');
  await expect(again.locator('#timeline .desk-entry')).toHaveCount(3);
  expect(await publishedBodies(request, slug)).toEqual(bodies);
  await context.close();
});

test('two editors edit the same entry: the second sees the conflict; history shows both revisions', async ({ browser, request }) => {
  const slug = await createPost('Conflict keynote');
  const created = await request.post(`/api/posts/${slug}/entries`, { headers: { authorization: `Bearer ${token}` }, data: { body: 'The CEO walks on stage' } });
  const entryId = ((await created.json()) as { id: number }).id;
  const [first, second] = await Promise.all([createUser('editor', 'Erin First'), createUser('editor', 'Sam Second')]);
  const contexts = [await browser.newContext(), await browser.newContext()];
  await logIn(contexts[0]!, first);
  await logIn(contexts[1]!, second);
  const [a, b] = [await contexts[0]!.newPage(), await contexts[1]!.newPage()];
  await openComposer(a, slug);
  await openComposer(b, slug);
  const entryOn = (page: Page) => page.locator(`#timeline [data-entry-id="${entryId}"]`);
  await entryOn(a).getByRole('button', { name: 'Edit' }).click();
  await entryOn(b).getByRole('button', { name: 'Edit' }).click();

  await entryOn(a).locator('textarea.edit-body').fill('The CEO walks on stage to loud applause');
  await entryOn(a).getByRole('button', { name: 'Save' }).click();
  await expect(entryOn(a).locator('.entry-body')).toHaveText('The CEO walks on stage to loud applause');

  await entryOn(b).locator('textarea.edit-body').fill('The CEO, in sneakers, walks on stage');
  await entryOn(b).getByRole('button', { name: 'Save' }).click();
  const conflict = entryOn(b).locator('.conflict');
  await expect(conflict.locator('.who-saved')).toContainText('Erin First saved this entry meanwhile (version 2');
  // What differs between theirs and mine, as readers would see it.
  await expect(conflict.locator('pre.diff del').last()).toContainText('to loud applause');
  await expect(conflict.locator('pre.diff ins').last()).toContainText('in sneakers,');
  // Nothing was overwritten silently.
  expect(((await (await request.get(`/api/entries/${entryId}`)).json()) as { body: string }).body).toBe('The CEO walks on stage to loud applause');

  await conflict.getByRole('button', { name: 'Keep mine (save over theirs)' }).click();
  await expect(entryOn(a).locator('.entry-body')).toHaveText('The CEO, in sneakers, walks on stage');

  await fromMenu(entryOn(b), 'History');
  const revisions = b.locator('#history .revision');
  await expect(revisions).toHaveCount(3);
  await expect(revisions.nth(0).locator('.revision-meta')).toContainText('updated by Sam Second');
  await expect(revisions.nth(1).locator('.revision-meta')).toContainText('updated by Erin First');
  await expect(revisions.nth(1).locator('ins')).toContainText('loud applause');
  for (const context of contexts) await context.close();
});

test('an uploaded image appears on the reader page', async ({ browser }) => {
  const slug = await createPost('Photo keynote');
  const email = await createUser('author', 'Pat Photo');
  const context = await browser.newContext();
  await logIn(context, email);
  const page = await context.newPage();
  await openComposer(page, slug);
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  await page.locator('#image-picker').setInputFiles({ name: 'stage.png', mimeType: 'image/png', buffer: png });
  // The composer asks for the image's alt text (e2e/images.spec.ts covers the rest of that dialog).
  await page.getByLabel(/^Alt text/).fill('The stage');
  await page.getByRole('button', { name: 'Insert image' }).click();
  await expect(page.locator('#upload-status')).toHaveText('Image added');
  await expect(page.locator('#entry-body')).toHaveValue(/!\[The stage\]\(\/uploads\/[0-9a-f]{64}\.png\)/);
  await expect(page.locator('#preview img')).toHaveCount(1);
  // A file that only claims to be an image gets a clear error.
  await page.locator('#image-picker').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('<svg onload=alert(1)>') });
  await expect(page.locator('#upload-status')).toContainText('Upload failed: Only PNG, JPEG, GIF and WebP');
  await page.locator('#entry-body').press('Control+Enter');

  const reader = await browser.newPage();
  await reader.goto(`/posts/${slug}`);
  const image = reader.locator('#entries img');
  await expect(image).toHaveAttribute('src', /^\/uploads\/[0-9a-f]{64}\.png$/);
  // Loaded (from its WebP rendition in srcset, whose `w` descriptor scales naturalWidth to `sizes`).
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(image).toHaveAttribute('width', '1');
  await reader.close();
  await context.close();
});

test('a response lost on the way back is retried with the same Idempotency-Key: published once', async ({ browser, request }) => {
  const slug = await createPost('Flaky network keynote');
  const email = await createUser('author', 'Rita Retry');
  const context = await browser.newContext();
  await logIn(context, email);
  const page = await context.newPage();
  const keys: string[] = [];
  let dropped = false;
  await page.route(`**/api/posts/${slug}/entries`, async (route) => {
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    if (dropped) return route.continue();
    // The server commits the entry, but the answer never reaches the browser.
    dropped = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await openComposer(page, slug);
  await page.locator('#entry-body').fill('Sent once, answered late');
  await page.locator('#entry-body').press('Control+Enter');
  await expect(page.locator('#outbox .outbox-item[data-state="published"]')).toHaveCount(1, { timeout: 20_000 });
  expect(keys.length).toBeGreaterThanOrEqual(2);
  expect(new Set(keys).size).toBe(1);
  expect(await publishedBodies(request, slug)).toEqual(['Sent once, answered late']);
  await context.close();
});

test('the desk: mark a key moment, pin, delete, restore — readers follow live', async ({ browser, request }) => {
  const slug = await createPost('Desk keynote');
  for (const body of ['First', 'Second']) {
    await request.post(`/api/posts/${slug}/entries`, { headers: { authorization: `Bearer ${token}` }, data: { body } });
  }
  const email = await createUser('editor', 'Dee Desk');
  const context = await browser.newContext();
  await logIn(context, email);
  const page = await context.newPage();
  await openComposer(page, slug);
  const reader = await browser.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator('#connection')).toHaveText('Live');
  const desk = (body: string) => page.locator('#timeline .desk-entry').filter({ has: page.locator('.entry-body', { hasText: new RegExp(`^\\s*${body}\\s*$`) }) });

  await fromMenu(desk('First'), 'Mark as key moment');
  await expect(desk('First').locator('.key-event-badge')).toBeVisible();
  await expect(reader.locator('#entries article.key-event .entry-body')).toHaveText('First');

  await fromMenu(desk('First'), 'Pin');
  await expect(desk('First').locator('.pinned-badge')).toBeVisible();
  await fromMenu(desk('Second'), 'Pin');
  await expect(desk('Second').locator('.pinned-badge')).toBeVisible();
  await expect(desk('First').locator('.pinned-badge')).toHaveCount(0);

  await fromMenu(desk('Second'), 'Delete');
  await expect(desk('Second')).toHaveCount(0);
  await expect(reader.locator('#entries .entry-body')).toHaveText(['First']);
  await page.locator('#deleted li').filter({ hasText: 'Second' }).getByRole('button', { name: 'Restore' }).click();
  await expect(desk('Second')).toHaveCount(1);
  await expect(reader.locator('#entries .entry-body')).toHaveText(['Second', 'First']);
  await reader.close();
  await context.close();
});

test('an admin manages users and tokens in the UI; a disabled user is logged out at once', async ({ browser }) => {
  const adminContext = await browser.newContext();
  await adminContext.request.post('/login', { data: { email: process.env.LIVELINE_E2E_ADMIN_EMAIL, password: process.env.LIVELINE_E2E_ADMIN_PASSWORD } });
  const page = await adminContext.newPage();
  await page.goto('/admin');
  const title = `Admin made ${Date.now()}`;
  await page.getByLabel('New post title').fill(title);
  await page.getByRole('button', { name: 'Create post' }).click();
  await expect(page).toHaveURL(/\/admin\/posts\/admin-made-\d+$/);
  await expect(page.locator('#post-title')).toHaveText(title);

  await page.goto('/admin/users');
  const email = `ui-${Date.now()}@e2e.test`;
  await page.getByLabel('Name', { exact: true }).fill('Uma UI');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.locator('#new-user select[name="role"]').selectOption('editor');
  await page.getByLabel('Initial password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Add user' }).click();
  const row = page.locator('#users tr').filter({ hasText: email });
  await expect(row).toContainText('active');

  await page.locator('#token-user').selectOption({ label: 'Uma UI' });
  await page.getByLabel('Token name').fill('Uma script');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.locator('#new-token-secret code').textContent())!;
  expect(secret).toMatch(/^ll_/);
  const scriptCall = () => page.request.post('/api/preview', { headers: { authorization: `Bearer ${secret}` }, data: { body: 'x' } });
  expect((await scriptCall()).status()).toBe(200);

  const uma = await browser.newContext();
  await logIn(uma, email);
  const umaPage = await uma.newPage();
  await umaPage.goto('/admin');
  await expect(umaPage.locator('#who')).toContainText('Uma UI');

  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('disabled');
  await umaPage.reload();
  await expect(umaPage).toHaveURL(/\/login\?next=/);
  expect((await scriptCall()).status()).toBe(401);
  await uma.close();
  await adminContext.close();
});

test('post settings: a slug rename keeps the old address redirecting; ending the post reaches readers live', async ({ browser, request }) => {
  const slug = await createPost('Settings keynote');
  const email = await createUser('editor', 'Stella Settings');
  const context = await browser.newContext();
  await logIn(context, email);
  const page = await context.newPage();
  await openComposer(page, slug);
  const reader = await browser.newPage();
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator('#connection')).toHaveText('Live');

  await page.locator('#settings summary').click();
  const newSlug = `${slug}-renamed`;
  await page.getByLabel('Slug (the old one keeps redirecting)').fill(newSlug);
  await page.getByLabel('Status').selectOption('ended');
  // "What we know" (issue 15): the summary readers see above the entries.
  await page.getByLabel(/^What we know/).fill('- Doors at **nine**\n- Keynote at ten');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('.settings-message')).toHaveText('Saved.');
  await expect(page).toHaveURL(new RegExp(`/admin/posts/${newSlug}$`));
  await expect(page.locator('#post-status')).toHaveText('ended');
  await expect(reader.locator('#post-status')).toHaveText(/^Ended/);
  await expect(reader.locator('#summary-body li')).toHaveText(['Doors at nine', 'Keynote at ten']);
  await expect(page.getByLabel(/^What we know/)).toHaveValue('- Doors at **nine**\n- Keynote at ten');

  await page.getByRole('button', { name: 'Reopen' }).click();
  await expect(reader.locator('#post-status')).toHaveText('Live');
  await page.getByRole('button', { name: 'End liveblog' }).click();
  await page.getByRole('button', { name: 'End it now' }).click();
  await expect(reader.locator('#post-status')).toHaveText(/^Ended at /);

  const old = await request.get(`/posts/${slug}`, { maxRedirects: 0 });
  expect(old.status()).toBe(301);
  expect(old.headers().location).toBe(`/posts/${newSlug}`);
  await context.close();
  await reader.close();
});

test('the desk reaches entries older than the first 50 with "Load earlier entries"', async ({ browser, request }) => {
  const slug = await createPost('Long keynote');
  const start = Date.parse('2026-03-14T09:00:00Z');
  for (let batch = 0; batch < 52; batch += 4) {
    const responses = await Promise.all(
      [0, 1, 2, 3].map((offset) =>
        request.post(`/api/posts/${slug}/entries`, {
          headers: { authorization: `Bearer ${token}` },
          data: { body: `Minute ${batch + offset + 1}`, createdAt: new Date(start + (batch + offset) * 60_000).toISOString() },
        }),
      ),
    );
    for (const response of responses) expect(response.status()).toBe(201);
  }
  const email = await createUser('editor', 'Lena Long');
  const context = await browser.newContext();
  await logIn(context, email);
  const page = await context.newPage();
  await openComposer(page, slug);
  await expect(page.locator('#timeline .desk-entry')).toHaveCount(50);
  await expect(page.locator('#timeline .desk-entry .entry-body').last()).toHaveText('Minute 3');
  await page.getByRole('button', { name: 'Load earlier entries' }).click();
  await expect(page.locator('#timeline .desk-entry')).toHaveCount(52);
  await expect(page.locator('#timeline .desk-entry .entry-body').last()).toHaveText('Minute 1');
  await expect(page.getByRole('button', { name: 'Load earlier entries' })).toHaveCount(0);
  await context.close();
});
