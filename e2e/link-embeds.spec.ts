import { expect, test, type Page, type Request } from '@playwright/test';
import { adminSession } from './support/admin.js';
import { createPost, postEntry, uniqueTitle } from './support/api.js';

/**
 * Issue 16, "Embeds", in Chromium: each provider's lone URL is a click-to-load placeholder; the
 * page requests nothing third-party until the reader clicks "Load"; then the frame's src is the
 * provider's embed URL (or the provider's script is added), and the page's CSP allows exactly
 * that origin. There is no internet here: every provider origin is answered locally by
 * `page.route`, and every request to one is recorded.
 */

/** One real URL per provider and what must load after the click (frame src, or the script for X/Instagram/TikTok). */
const SAMPLES = [
  { provider: 'youtube', url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s', loads: 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90' },
  { provider: 'vimeo', url: 'https://vimeo.com/76979871', loads: 'https://player.vimeo.com/video/76979871?dnt=1' },
  { provider: 'x', url: 'https://x.com/jack/status/20', loads: 'https://platform.twitter.com/widgets.js' },
  { provider: 'instagram', url: 'https://www.instagram.com/p/C5hT3PZt2Hn/', loads: 'https://www.instagram.com/embed.js' },
  { provider: 'bluesky', url: 'https://bsky.app/profile/bsky.app/post/3l6oveex3ii2l', loads: 'https://embed.bsky.app/embed/bsky.app/app.bsky.feed.post/3l6oveex3ii2l' },
  { provider: 'mastodon', url: 'https://mastodon.social/@Gargron/109347723389231223', loads: 'https://mastodon.social/@Gargron/109347723389231223/embed' },
  { provider: 'tiktok', url: 'https://www.tiktok.com/@scout2015/video/6718335390845095173', loads: 'https://www.tiktok.com/embed.js' },
  { provider: 'facebook', url: 'https://www.facebook.com/20531316728/posts/10154009990506729/', loads: 'https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F20531316728%2Fposts%2F10154009990506729&show_text=true&width=500' },
  { provider: 'threads', url: 'https://www.threads.net/@zuck/post/C8Hx3Y2Ryl4', loads: 'https://www.threads.net/@zuck/post/C8Hx3Y2Ryl4/embed' },
  { provider: 'spotify', url: 'https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT', loads: 'https://open.spotify.com/embed/track/4cOdK2wGLETKBW3PvgPWqT' },
  { provider: 'soundcloud', url: 'https://soundcloud.com/forss/flickermood', loads: 'https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood' },
  { provider: 'applepodcasts', url: 'https://podcasts.apple.com/us/podcast/the-daily/id1200361736?i=1000652345678', loads: 'https://embed.podcasts.apple.com/us/podcast/the-daily/id1200361736?i=1000652345678' },
  { provider: 'datawrapper', url: 'https://datawrapper.dwcdn.net/Ls5zZ/4/', loads: 'https://datawrapper.dwcdn.net/Ls5zZ/4/' },
  { provider: 'flourish', url: 'https://public.flourish.studio/visualisation/1810417/', loads: 'https://flo.uri.sh/visualisation/1810417/embed' },
  { provider: 'googlemaps', url: 'https://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2944813,17z', loads: 'https://www.google.com/maps?q=Eiffel%20Tower&z=17&output=embed' },
] as const;

const SCRIPT_PROVIDERS = new Set(['x', 'instagram', 'tiktok']);

type Watch = { thirdParty: Request[]; violations: () => Promise<string[]> };

/** Answers every request that leaves the site with a local stand-in, and records it. */
async function watchThirdParty(page: Page, baseURL: string): Promise<Watch> {
  const own = new URL(baseURL).origin;
  const thirdParty: Request[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(own) && /^https?:/.test(request.url())) thirdParty.push(request);
  });
  await page.route(
    (url) => url.origin !== own,
    (route) => {
      const script = /\.js(?:\?|$)/.test(new URL(route.request().url()).pathname);
      return route.fulfill(script ? { contentType: 'text/javascript', body: 'window.__providerScriptRan = (window.__providerScriptRan || 0) + 1;' } : { contentType: 'text/html', body: '<!doctype html><title>stand-in</title><p>provider stand-in</p>' });
    },
  );
  await page.addInitScript(() => {
    const found: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = found;
    document.addEventListener('securitypolicyviolation', (event) => found.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  return { thirdParty, violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations) };
}

function directive(csp: string | undefined, name: string): string[] {
  return ((csp ?? '').split(';').map((part) => part.trim().split(/\s+/)).find(([key]) => key === name) ?? [name]).slice(1);
}

const originOf = (url: string) => new URL(url).origin;

test.describe.configure({ timeout: 120_000 });

test('every provider’s URL is a placeholder; nothing third-party loads before the click; after it, the provider’s embed URL, allowed by the CSP', async ({ page, request, baseURL }) => {
  const slug = await createPost(request, uniqueTitle('Embeds'));
  for (const sample of SAMPLES) await postEntry(request, slug, `${sample.provider} sample:\n\n${sample.url}`);
  const watch = await watchThirdParty(page, baseURL!);

  const response = await page.goto(`/posts/${slug}`);
  const csp = response!.headers()['content-security-policy'];
  // The script providers' frames come from their script's origin too.
  const expectedFrames = [...new Set(SAMPLES.map((sample) => originOf(sample.loads)))].sort();
  expect(directive(csp, 'frame-src')).toEqual(["'self'", ...expectedFrames]);
  expect(directive(csp, 'script-src').filter((source) => !source.startsWith("'"))).toEqual(['https://platform.twitter.com', 'https://www.instagram.com', 'https://www.tiktok.com']);

  // The server's markup, one figure per provider, each with its Load button once the script runs.
  for (const sample of SAMPLES) {
    const figure = page.locator(`figure.embed[data-provider="${sample.provider}"]`);
    await expect(figure).toHaveCount(1);
    await expect(figure.locator('a.embed-link')).toHaveAttribute('href', /^https:\/\//);
    await expect(figure.getByRole('button', { name: /Load/ })).toBeVisible();
  }
  await page.waitForLoadState('networkidle');
  expect(watch.thirdParty.map((r) => r.url())).toEqual([]);

  // Click by click: the frame's src is the embed URL (or the provider's script is added), and its origin is in the CSP.
  for (const sample of SAMPLES) {
    const figure = page.locator(`figure.embed[data-provider="${sample.provider}"]`);
    const requested = page.waitForRequest((r) => r.url() === sample.loads);
    await figure.getByRole('button', { name: /Load/ }).click();
    await requested;
    if (SCRIPT_PROVIDERS.has(sample.provider)) {
      await expect(page.locator(`head script[src="${sample.loads}"]`)).toHaveCount(1);
      await expect(figure.locator('blockquote a')).toHaveAttribute('href', new RegExp(`^${sample.url.split('?')[0]!.replace(/[.?*+^$()|[\]\\/]/g, '\\$&').replace('x\\.com', 'twitter\\.com')}`));
    } else {
      const frame = figure.locator('iframe');
      await expect(frame).toHaveAttribute('src', sample.loads);
      await expect(frame).toHaveAttribute('sandbox', /allow-scripts/);
      await expect(frame).toHaveAttribute('sandbox', /^(?!.*allow-top-navigation)/);
      await expect(frame).toHaveAttribute('loading', 'lazy');
      await expect(frame).toHaveAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
      expect(directive(csp, 'frame-src')).toContain(originOf(sample.loads));
    }
  }
  // Nothing was refused by the CSP, and nothing but the clicked embeds was asked for.
  expect(await watch.violations()).toEqual([]);
  const asked = new Set(watch.thirdParty.map((r) => r.url()));
  for (const sample of SAMPLES) expect(asked.has(sample.loads), sample.loads).toBe(true);
  for (const url of asked) expect(SAMPLES.some((sample) => sample.loads === url), url).toBe(true);
});

test('an entry arriving live gets its Load button; a provider the page does not list says reload; without JavaScript each is a link', async ({ browser, request, baseURL }) => {
  const slug = await createPost(request, uniqueTitle('Live embeds'));
  await postEntry(request, slug, 'https://youtu.be/dQw4w9WgXcQ');
  const reader = await browser.newPage();
  const watch = await watchThirdParty(reader, baseURL!);
  await reader.goto(`/posts/${slug}`);
  await expect(reader.locator('figure.embed').getByRole('button', { name: /Load/ })).toHaveCount(1);

  await postEntry(request, slug, 'https://www.youtube.com/shorts/aqz-KE-bpKQ');
  await postEntry(request, slug, 'https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT');
  const live = reader.locator('figure.embed[data-provider="youtube"][data-shape="vertical"]');
  await expect(live.getByRole('button', { name: /Load/ })).toBeVisible();
  const spotify = reader.locator('figure.embed[data-provider="spotify"]');
  await expect(spotify).toContainText('Reload the page to load it here.');
  await expect(spotify.getByRole('button')).toHaveCount(0);
  expect(watch.thirdParty).toEqual([]);
  await live.getByRole('button', { name: /Load/ }).click();
  await expect(live.locator('iframe')).toHaveAttribute('src', 'https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ');
  expect(await watch.violations()).toEqual([]);

  // The reload lists Spotify too.
  const reloaded = await reader.reload();
  expect(directive(reloaded!.headers()['content-security-policy'], 'frame-src')).toEqual(["'self'", 'https://open.spotify.com', 'https://www.youtube-nocookie.com']);
  await expect(reader.locator('figure.embed[data-provider="spotify"]').getByRole('button', { name: /Load/ })).toBeVisible();
  await reader.close();

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`/posts/${slug}`);
  await expect(plain.locator('figure.embed a.embed-link')).toHaveCount(3);
  await expect(plain.locator('figure.embed button, iframe')).toHaveCount(0);
  await expect(plain.locator('figure.embed[data-provider="spotify"] a.embed-link')).toHaveAttribute('href', 'https://open.spotify.com/track/4cOdK2wGLETKBW3PvgPWqT');
  await noScript.close();
});

const admin = adminSession();

test('the composer previews an embed as readers see it, and Load works there', async ({ browser, request, baseURL }) => {
  const slug = await createPost(request, uniqueTitle('Composer embeds'));
  const context = await browser.newContext();
  await context.addCookies((await admin().storageState()).cookies);
  const page = await context.newPage();
  const watch = await watchThirdParty(page, baseURL!);
  await page.goto(`/admin/posts/${slug}`);
  await page.locator('#entry-body').fill('Pasted from YouTube:\n\n<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=Xy12&amp;start=42" title="YouTube video player" frameborder="0" allowfullscreen></iframe>');
  const figure = page.locator('#preview figure.embed[data-provider="youtube"]');
  await expect(figure.getByRole('button', { name: /Load/ })).toBeVisible();
  await expect(figure.locator('.embed-notice')).toHaveText('Loading it connects to YouTube.');
  expect(watch.thirdParty).toEqual([]);
  await figure.getByRole('button', { name: /Load/ }).click();
  await expect(figure.locator('iframe')).toHaveAttribute('src', 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42');
  await expect.poll(() => watch.thirdParty.map((r) => r.url())).toEqual(['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42']);
  expect(await watch.violations()).toEqual([]);
  // Published, it is in the desk's timeline as readers see it; an X post there shows its link only.
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('#timeline figure.embed[data-provider="youtube"]').getByRole('button', { name: /Load/ })).toBeVisible();
  await page.locator('#entry-body').fill('https://x.com/jack/status/20');
  const tweet = page.locator('#preview figure.embed[data-provider="x"]');
  await expect(tweet).toContainText('This provider cannot be previewed here; readers can load it.');
  await expect(tweet.getByRole('button')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('link-embeds-composer.png'), fullPage: true });
  await context.close();
});

test('auto-load: a provider the admin allows loads without a click; the others still wait', async ({ page, request, baseURL }) => {
  const current = (await (await admin().get('/api/site')).json()) as Record<string, unknown> & { version: number };
  const { name, logo, accent, accentDark, font, footerLinks, linkEmbeds } = current;
  const csrf = async () => {
    const html = await (await admin().get('/admin/site')).text();
    return /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
  };
  const token = await csrf();
  const save = async (embeds: unknown, version: number) => {
    const response = await admin().put('/api/site', { headers: { 'if-match': String(version), 'x-csrf-token': token }, data: { name, logo, accent, accentDark, font, footerLinks, linkEmbeds: embeds } });
    expect(response.status(), await response.text()).toBe(200);
    return ((await response.json()) as { version: number }).version;
  };
  const version = await save({ enabled: (linkEmbeds as { enabled: string[] }).enabled, autoload: ['vimeo'] }, current.version);
  try {
    const slug = await createPost(request, uniqueTitle('Auto-load'));
    await postEntry(request, slug, 'https://vimeo.com/76979871\nhttps://youtu.be/dQw4w9WgXcQ');
    const watch = await watchThirdParty(page, baseURL!);
    await page.goto(`/posts/${slug}`);
    await expect(page.locator('figure.embed[data-provider="vimeo"] iframe')).toHaveAttribute('src', 'https://player.vimeo.com/video/76979871?dnt=1');
    await expect(page.locator('figure.embed[data-provider="youtube"]').getByRole('button', { name: /Load/ })).toBeVisible();
    await expect.poll(() => watch.thirdParty.map((r) => originOf(r.url()))).toEqual(['https://player.vimeo.com']);
  } finally {
    await save(linkEmbeds, version);
  }
});

test('screenshots: the reader page with embeds, phone and desktop', async ({ browser, request, baseURL }) => {
  const slug = await createPost(request, uniqueTitle('Match day'), { description: 'Live from the stadium' });
  await postEntry(request, slug, 'The fans arrive:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ');
  await postEntry(request, slug, 'The manager on X:\n\nhttps://x.com/jack/status/20');
  await postEntry(request, slug, 'Where it happens:\n\nhttps://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2944813,17z');
  await postEntry(request, slug, 'Full report:\n\nhttps://www.bbc.co.uk/sport/football/live/c0000000');
  await postEntry(request, slug, 'Listen back:\n\nhttps://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ');
  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await watchThirdParty(page, baseURL!);
    await page.goto(`/posts/${slug}`);
    await expect(page.locator('figure.embed .embed-load')).toHaveCount(4);
    await page.locator('figure.embed[data-provider="spotify"] .embed-load').click();
    await expect(page.locator('figure.embed[data-provider="spotify"] iframe')).toBeVisible();
    await page.screenshot({ path: test.info().outputPath(`link-embeds-${name}.png`), fullPage: true });
    await context.close();
  }
});

test('an admin disables a provider at /admin/site: its embeds stay links, and the page’s CSP drops it', async ({ browser, request }) => {
  const slug = await createPost(request, uniqueTitle('Disabled provider'));
  await postEntry(request, slug, 'https://x.com/jack/status/20\nhttps://youtu.be/dQw4w9WgXcQ');
  const context = await browser.newContext();
  await context.addCookies((await admin().storageState()).cookies);
  const page = await context.newPage();
  const setX = async (on: boolean) => {
    await page.goto('/admin/site');
    await page.getByRole('checkbox', { name: 'X enabled' }).setChecked(on);
    if (!on) await page.locator('#site-link-embeds').screenshot({ path: test.info().outputPath('link-embeds-settings.png') });
    await page.getByRole('button', { name: 'Save branding' }).click();
    await expect(page.locator('#site-message')).toContainText('Saved');
  };
  await setX(false);
  try {
    const response = await page.goto(`/posts/${slug}`);
    expect(directive(response!.headers()['content-security-policy'], 'frame-src')).toEqual(["'self'", 'https://www.youtube-nocookie.com']);
    expect(directive(response!.headers()['content-security-policy'], 'script-src').filter((source) => !source.startsWith("'"))).toEqual([]);
    await expect(page.locator('figure.embed[data-provider="youtube"]').getByRole('button', { name: /Load/ })).toBeVisible();
    await expect(page.locator('figure.embed[data-provider="x"] a.embed-link')).toHaveAttribute('href', 'https://twitter.com/jack/status/20');
    await expect(page.locator('figure.embed[data-provider="x"] button')).toHaveCount(0);
  } finally {
    await setX(true);
  }
  await context.close();
});

test('the embed page (a post framed on a partner site) loads link embeds on click too', async ({ page, request, baseURL }) => {
  const slug = await createPost(request, uniqueTitle('Embed page'));
  await postEntry(request, slug, 'https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ');
  const watch = await watchThirdParty(page, baseURL!);
  const response = await page.goto(`/posts/${slug}/embed`);
  expect(directive(response!.headers()['content-security-policy'], 'frame-src')).toEqual(["'self'", 'https://open.spotify.com']);
  const figure = page.locator('figure.embed[data-provider="spotify"]');
  await figure.getByRole('button', { name: /Load/ }).click();
  await expect(figure.locator('iframe')).toHaveAttribute('src', 'https://open.spotify.com/embed/episode/512ojhOuo1ktJprKbVcKyQ');
  await expect.poll(() => watch.thirdParty.map((r) => r.url())).toEqual(['https://open.spotify.com/embed/episode/512ojhOuo1ktJprKbVcKyQ']);
  expect(await watch.violations()).toEqual([]);
});
