import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import sharp from 'sharp';
import { adminSession } from './support/admin.js';

/**
 * Photos in entries, as the people using them see it (issue 16): an author uploads three photos,
 * is asked for each one's alt text (and cannot skip it without marking the image decorative),
 * adds a caption and a credit, and publishes; a reader on a phone (who had the page open, so the
 * entry arrives live) and one on a desktop see the figures as a gallery, swipe or grid, and open
 * the lightbox with the keyboard only.
 */
const admin = adminSession();
const PASSWORD = 'e2e user password';

async function csrf(api: APIRequestContext): Promise<string> {
  const response = await api.get('/api/session');
  return ((await response.json()) as { csrfToken: string }).csrfToken;
}

async function setUp(api: APIRequestContext): Promise<{ slug: string; email: string }> {
  const token = await csrf(api);
  const email = `photographer-${Date.now()}@e2e.test`;
  expect((await api.post('/api/users', { headers: { 'x-csrf-token': token }, data: { name: 'Pia Photo', email, role: 'author', password: PASSWORD } })).status()).toBe(201);
  const post = await api.post('/api/posts', { headers: { 'x-csrf-token': token }, data: { title: `Vote night ${Date.now()}` } });
  expect(post.status()).toBe(201);
  return { slug: ((await post.json()) as { slug: string }).slug, email };
}

/** A phone photo: a picture stored sideways with "rotate 90°" and a GPS position in its EXIF. */
async function phonePhoto(hue: string, label: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="${hue}"/><stop offset="1" stop-color="#123"/></linearGradient></defs><rect width="1600" height="1200" fill="url(#g)"/><circle cx="800" cy="600" r="300" fill="#fff" fill-opacity=".35"/><text x="800" y="680" font-size="260" text-anchor="middle" fill="#fff" font-family="sans-serif">${label}</text></svg>`;
  return sharp(Buffer.from(svg))
    .rotate(-90)
    .withExif({ IFD0: { Make: 'LivelinePhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2964/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4000/100' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function reader(browser: Browser, slug: string, viewport: { width: number; height: number }, touch: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport, hasTouch: touch, isMobile: touch });
  const page = await context.newPage();
  await page.goto(`/posts/${slug}`);
  return page;
}

/** Opens the gallery's first image with the keyboard, moves with the arrows, closes with Esc. */
async function lightboxByKeyboard(page: Page, shot: string): Promise<void> {
  const first = page.locator('#entries figure.gallery img').first();
  await expect(first).toHaveAttribute('role', 'button');
  await first.focus();
  await page.keyboard.press('Enter');
  const dialog = page.locator('dialog.lightbox');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('.lightbox-position')).toHaveText('1 of 3');
  await expect(dialog.locator('img')).toHaveAttribute('alt', 'Crowds outside parliament before dawn');
  await expect(dialog.locator('figcaption')).toContainText('Thousands gathered before the vote.');
  await expect(dialog.locator('figcaption .credit')).toHaveText('Photo: Jane Doe/AP');
  await expect.poll(() => dialog.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.keyboard.press('ArrowRight');
  await expect(dialog.locator('.lightbox-position')).toHaveText('2 of 3');
  await expect(dialog.locator('img')).toHaveAttribute('alt', 'Riot police line the square');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(dialog.locator('.lightbox-position')).toHaveText('1 of 3');
  await page.keyboard.press('ArrowLeft');
  await expect(dialog.locator('.lightbox-position')).toHaveText('3 of 3');
  await expect.poll(() => dialog.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.screenshot({ path: test.info().outputPath(`${shot}-lightbox.png`) });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(first).toBeFocused();
}

test('an author uploads photos, is asked for alt text, adds caption and credit, publishes; readers on a phone and a desktop see the gallery and open it with the keyboard', async ({ browser }) => {
  test.setTimeout(90_000);
  const { slug, email } = await setUp(admin());
  // The phone reader has the page open: the entry arrives live.
  const phone = await reader(browser, slug, { width: 390, height: 844 }, true);
  await expect(phone.locator('#connection')).toHaveText(/Live/);

  const author = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  expect((await author.request.post('/login', { data: { email, password: PASSWORD } })).status()).toBe(200);
  const page = await author.newPage();
  await page.goto(`/admin/posts/${slug}`);
  await expect(page.locator('#connection')).toHaveText('Live');

  const photos = [
    { file: 'IMG_2034.jpg', hue: '#c33', alt: 'Crowds outside parliament before dawn', caption: 'Thousands gathered before the vote.', credit: 'Jane Doe/AP' },
    { file: 'IMG_2035.jpg', hue: '#36c', alt: 'Riot police line the square', caption: '', credit: 'Photo: Max Müller, dpa' },
    { file: 'IMG_2036.jpg', hue: '#3a6', decorative: true },
  ];
  const dialog = page.locator('dialog#image-details');
  for (const [index, photo] of photos.entries()) {
    await page.locator('#image-picker').setInputFiles({ name: photo.file, mimeType: 'image/jpeg', buffer: await phonePhoto(photo.hue, String(index + 1)) });
    // The composer asks what the image shows; the file name is no description.
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel(/^Alt text/)).toBeFocused();
    await expect(dialog.getByLabel(/^Alt text/)).toHaveValue('');
    if (index === 0) {
      await dialog.getByRole('button', { name: 'Insert image' }).click();
      await expect(dialog.getByRole('alert')).toHaveText('Describe the image, or mark it decorative.');
      await expect(dialog).toBeVisible();
      await page.screenshot({ path: test.info().outputPath('composer-alt-dialog.png') });
    }
    if (photo.decorative) await dialog.getByLabel(/Decorative/).check();
    else await dialog.getByLabel(/^Alt text/).fill(photo.alt!);
    if (photo.caption) await dialog.getByLabel('Caption (optional)').fill(photo.caption);
    if (photo.credit) await dialog.getByLabel('Credit (optional)').fill(photo.credit);
    await dialog.getByRole('button', { name: 'Insert image' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('#upload-status')).toHaveText('Image added');
  }
  const body = page.locator('#entry-body');
  await expect(body).toHaveValue(
    /^!\[Crowds outside parliament before dawn\]\(\/uploads\/[0-9a-f]{64}\.jpg\)\n\*Thousands gathered before the vote\. — Photo: Jane Doe\/AP\*\n!\[Riot police line the square\]\(\/uploads\/[0-9a-f]{64}\.jpg\)\n\*— Photo: Max Müller, dpa\*\n!\[\]\(\/uploads\/[0-9a-f]{64}\.jpg "decorative"\)\n$/,
  );
  // The preview shows the gallery as readers will see it.
  await expect(page.locator('#preview figure.gallery > figure')).toHaveCount(3);
  await body.press('Control+Enter');
  await expect(page.locator('#outbox .state-published')).toHaveCount(1);

  // A desktop reader arriving now gets the server-rendered page.
  const desktop = await reader(browser, slug, { width: 1280, height: 900 }, false);
  for (const [name, view] of [['phone', phone], ['desktop', desktop]] as const) {
    const figures = view.locator('#entries figure.gallery > figure.figure');
    await expect(figures).toHaveCount(3);
    const image = figures.first().locator('img');
    // Turned the right way (stored sideways as 1200 × 1600): 1600 × 1200, with WebP renditions.
    await expect(image).toHaveAttribute('width', '1600');
    await expect(image).toHaveAttribute('height', '1200');
    await expect(image).toHaveAttribute('srcset', /-480\.webp 480w, .*-960\.webp 960w, .*-1600\.webp 1600w$/);
    await expect(image).toHaveAttribute('decoding', 'async');
    await expect(figures.first().locator('figcaption')).toHaveText('Thousands gathered before the vote. Photo: Jane Doe/AP');
    await expect(figures.nth(2).locator('img')).toHaveAttribute('alt', '');
    // As a button, the decorative image is named by its place in the gallery.
    await expect(figures.nth(2).getByRole('button', { name: '3 of 3' })).toBeVisible();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { message: name }).toBe(true);
    // The browser picked a WebP rendition, not the JPEG original.
    expect(await image.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/\.webp$/);
  }
  // Desktop: a grid, two side by side. Phone: one row that scrolls sideways, snapping.
  const boxes = await Promise.all([0, 1].map((i) => desktop.locator('#entries figure.gallery > figure').nth(i).boundingBox()));
  expect(boxes[0]!.y).toBe(boxes[1]!.y);
  expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x);
  const strip = await phone.locator('#entries figure.gallery').evaluate((node) => ({ snap: getComputedStyle(node).scrollSnapType, overflows: node.scrollWidth > node.clientWidth + 100 }));
  expect(strip).toEqual({ snap: 'x mandatory', overflows: true });
  // The desktop page's first image is not lazy; live-added images are.
  await expect(desktop.locator('#entries img').first()).toHaveAttribute('loading', 'eager');

  await phone.screenshot({ path: test.info().outputPath('phone.png'), fullPage: true });
  await desktop.screenshot({ path: test.info().outputPath('desktop.png'), fullPage: true });
  await lightboxByKeyboard(desktop, 'desktop');
  await lightboxByKeyboard(phone, 'phone');

  for (const view of [phone, desktop]) await view.context().close();
  await author.close();
});

test('an editor sets the cover image in the post settings; the shared page shows it', async ({ browser }) => {
  const { slug } = await setUp(admin());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies((await admin().storageState()).cookies);
  const page = await context.newPage();
  await page.goto(`/admin/posts/${slug}`);
  await page.getByText('Post settings').click();
  await page.locator('#cover-picker').setInputFiles({ name: 'cover.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto('#c93', 'C') });
  const cover = page.getByLabel(/^Cover image/);
  await expect(cover).toHaveValue(/^\/uploads\/[0-9a-f]{64}\.jpg$/);
  await expect(page.locator('.cover-preview')).toBeVisible();
  const url = await cover.inputValue();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.locator('#settings-form .settings-message')).toHaveText('Saved.');
  await page.screenshot({ path: test.info().outputPath('cover-settings.png') });

  const shared = await (await context.request.get(`/posts/${slug}`)).text();
  // 1600 px wide: shared as the image itself, made absolute.
  expect(shared).toMatch(new RegExp(`<meta property="og:image" content="https?://[^"]+${url}">`));
  expect(shared).toMatch(new RegExp(`<meta name="twitter:image" content="https?://[^"]+${url}">`));
  await context.close();
});
