import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { embedHelmet } from '../http/plugins/security-headers.js';
import { createPost, createTestApp, postEntry, testConfig, type TestApp } from './helpers.js';
import { loginAs } from './session-helpers.js';

let t: TestApp | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('security headers', () => {
  it('sends a strict CSP, nosniff and a referrer policy on pages, API and 404s', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t);
    for (const url of ['/', `/posts/${slug}`, '/api/posts', '/nowhere', '/api/nowhere']) {
      const response = await t.app.inject({ url });
      const csp = String(response.headers['content-security-policy']);
      expect(csp, url).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f]{32}'/);
      expect(csp).toMatch(/script-src-attr 'none'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    }
  });

  it('uses a fresh nonce per response', async () => {
    t = await createTestApp();
    const nonce = async () => /'nonce-([0-9a-f]+)'/.exec(String((await t!.app.inject({ url: '/' })).headers['content-security-policy']))?.[1];
    const [a, b] = [await nonce(), await nonce()];
    expect(a).toBeTruthy();
    expect(a).not.toBe(b);
  });

  it('sends HSTS and upgrade-insecure-requests only when the public URL is HTTPS', async () => {
    t = await createTestApp();
    const plain = await t.app.inject({ url: '/' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(String(plain.headers['content-security-policy'])).not.toMatch(/upgrade-insecure-requests/);

    const dir = mkdtempSync(join(tmpdir(), 'liveline-https-'));
    const app = await buildApp({ config: testConfig(dir, { PUBLIC_URL: 'https://live.example.com' }), logger: false });
    cleanups.push(async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const secure = await app.inject({ url: '/' });
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(String(secure.headers['content-security-policy'])).toMatch(/upgrade-insecure-requests/);
  });
});

describe('per-route CSP overrides', () => {
  it('lets a framed page name its frame ancestors while keeping the rest of the policy', async () => {
    t = await createTestApp();
    t.app.get('/framed-test', { helmet: embedHelmet(t.app.config, ['https://news.example.com']) }, async (_request, reply) => reply.type('text/html').send('<p>framed</p>'));
    const framed = await t.app.inject({ url: '/framed-test' });
    const csp = String(framed.headers['content-security-policy']);
    expect(csp).toMatch(/frame-ancestors 'self' https:\/\/news\.example\.com/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f]{32}'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(framed.headers['x-frame-options']).toBeUndefined();
    // Other pages still refuse to be framed.
    expect(String((await t.app.inject({ url: '/' })).headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
  });
});

describe('rate limits', () => {
  async function limitedApp(perMinute: number): Promise<TestApp> {
    return createTestApp({ RATE_LIMIT_WRITES_PER_MINUTE: String(perMinute) });
  }

  it('answers writes beyond the limit with 429 problem+json and Retry-After, per token', async () => {
    t = await limitedApp(5);
    const { slug } = await createPost(t); // 1 write by the editor token
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await postEntry(t, slug, `Entry ${i}`)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);

    const limited = await postEntry(t, slug, 'one more');
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ status: 429, type: '/problems/rate-limited', title: 'Too many requests' });
    // Nothing was stored for refused requests.
    expect((await t.app.inject({ url: `/api/posts/${slug}` })).json().entries).toHaveLength(5);

    // Another token has its own budget; reads are never limited.
    expect((await postEntry(t, slug, 'from Bob', 'author2')).statusCode).toBe(201);
    for (let i = 0; i < 10; i++) expect((await t.app.inject({ url: `/api/posts/${slug}` })).statusCode).toBe(200);
  });

  it('counts every write of a person against one budget, whatever the route (M7)', async () => {
    t = await limitedApp(6);
    const { slug } = await createPost(t); // the editor's budget, not the author's
    const first = (await postEntry(t, slug, 'one')).json() as { id: number };
    await postEntry(t, slug, 'two');
    const statuses = [
      (await t.app.inject({ method: 'PATCH', url: `/api/entries/${first.id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { body: 'one, fixed' } })).statusCode,
      (await t.app.inject({ method: 'PUT', url: `/api/entries/${first.id}/pin`, headers: t.auth('author') })).statusCode,
      (await t.app.inject({ method: 'POST', url: '/api/preview', headers: t.auth('author'), payload: { body: 'draft' } })).statusCode,
      (await t.app.inject({ method: 'DELETE', url: `/api/entries/${first.id}/pin`, headers: t.auth('author') })).statusCode,
      (await postEntry(t, slug, 'seven')).statusCode,
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('keeps anonymous requests, and made-up tokens, in a bucket of their own (M7)', async () => {
    t = await limitedApp(3);
    const admin = await loginAs(t, 'admin');
    const { slug } = await createPost(t);
    // The venue Wi-Fi: anonymous POSTs from the newsroom's own address, some with invented tokens.
    const anonymous = [];
    for (let i = 0; i < 5; i++) {
      const headers: Record<string, string> = i % 2 ? { authorization: `Bearer ll_made_up_${i}` } : {};
      anonymous.push((await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers, payload: { body: 'spam' } })).statusCode);
    }
    expect(anonymous.slice(0, 3)).toEqual([401, 401, 401]);
    expect(anonymous.slice(3)).toEqual([429, 429]);
    // The logged-in editor at the same address still publishes.
    const published = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: admin.headers, payload: { body: 'from the desk' } });
    expect(published.statusCode).toBe(201);
  });

  it('limits anonymous writes by address', async () => {
    t = await limitedApp(3);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.app.inject({ method: 'POST', url: '/api/posts', payload: { title: 'x' } })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

describe('body limits and timeouts', () => {
  it('refuses bodies over the limit with 413 and stores nothing', async () => {
    t = await createTestApp();
    const huge = { title: 'Big', description: 'x'.repeat(100 * 1024) };
    const response = await t.app.inject({ method: 'POST', url: '/api/posts', headers: t.auth('editor'), payload: huge });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ type: '/problems/body-too-large' });
    expect((await t.app.inject({ url: '/api/posts' })).json()).toMatchObject({ posts: [] });
  });

  it('cuts off a client that never finishes its headers (slow loris)', async () => {
    t = await createTestApp({ HEADERS_TIMEOUT_MS: '300', REQUEST_TIMEOUT_MS: '600' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const closed = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      // Trickle header bytes, as a slow-loris client does, until the server hangs up.
      const trickle = setInterval(() => socket.writable && socket.write('a'), 50);
      socket.on('close', () => clearInterval(trickle));
    });
    expect(closed).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe('shared caches never keep a person\'s response (H3)', () => {
  it('answers every request that carried a session or a token with Cache-Control: private, no-store', async () => {
    t = await createTestApp();
    const admin = await loginAs(t, 'admin');
    const { slug } = await createPost(t);
    const asAdmin = [
      { url: '/api/users', headers: { cookie: admin.cookie } },
      { url: '/api/tokens', headers: { cookie: admin.cookie } },
      { url: '/api/session', headers: { cookie: admin.cookie } },
      { url: '/api/users', headers: t.auth('admin') },
      { url: '/api/tokens', headers: t.auth('admin') },
      // Even a public page: the logged-in copy may differ one day, and no cache needs it.
      { url: `/posts/${slug}`, headers: { cookie: admin.cookie } },
      { url: `/api/posts/${slug}`, headers: t.auth('editor') },
    ];
    for (const request of asAdmin) {
      const response = await t.app.inject(request);
      expect(response.statusCode, request.url).toBe(200);
      expect(response.headers['cache-control'], request.url).toBe('private, no-store');
    }
    // Anonymous readers keep their one-second public caching.
    expect((await t.app.inject(`/posts/${slug}`)).headers['cache-control']).toMatch(/^public, max-age=1/);
    // And the admin data itself answers anonymous visitors with 401, which no cache keeps.
    const anonymous = await t.app.inject('/api/users');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['cache-control']).toBe('no-store');
  });
});

describe('request edge cases (L6, L7)', () => {
  it('accepts a full 20,000-character entry even when every character is sent \\u-escaped', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t);
    const body = 'é'.repeat(20_000);
    const escaped = JSON.stringify({ body }).replace(/é/g, '\\u00e9');
    expect(escaped.length).toBeGreaterThan(64 * 1024);
    const response = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: { ...t.auth('author'), 'content-type': 'application/json' }, payload: escaped });
    expect(response.statusCode).toBe(201);
    expect(response.json().body).toBe(body);
  });

  it('refuses half a surrogate pair anywhere in a request, naming the field, and stores nothing', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t);
    const send = (payload: string) =>
      t!.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: { ...t!.auth('author'), 'content-type': 'application/json' }, payload });
    for (const payload of ['{"body":"lone \\ud800 high"}', '{"body":"lone \\udc00 low"}']) {
      const response = await send(payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ type: '/problems/validation', errors: [{ field: 'body.body' }] });
    }
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': '1', 'content-type': 'application/json' }, payload: '{"title":"T\\udfff"}' });
    expect(patch.statusCode).toBe(400);
    // A real pair (an emoji) is fine.
    expect((await send('{"body":"party \\ud83c\\udf89"}')).statusCode).toBe(201);
    expect(t.app.stores.posts.bySlug(slug)!.lastSeq).toBe(1);
  });
});

describe('what only the operator and this machine see (L7)', () => {
  it('answers /metrics and /readyz to loopback or the metrics token, and a 404 to anyone else', async () => {
    t = await createTestApp({ METRICS_TOKEN: 'a-long-metrics-secret' });
    for (const url of ['/metrics', '/readyz']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(200); // inject comes from 127.0.0.1
      const outsider = await t.app.inject({ url, remoteAddress: '203.0.113.1' });
      expect(outsider.statusCode, url).toBe(404);
      expect(outsider.body, url).not.toContain('liveline_');
      // A forwarded header proves nothing: only the connection's own address counts.
      expect((await t.app.inject({ url, remoteAddress: '203.0.113.1', headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode, url).toBe(404);
      expect((await t.app.inject({ url, remoteAddress: '203.0.113.1', headers: { authorization: 'Bearer wrong-secret-of-length' } })).statusCode, url).toBe(404);
      expect((await t.app.inject({ url, remoteAddress: '203.0.113.1', headers: { authorization: 'Bearer a-long-metrics-secret' } })).statusCode, url).toBe(200);
    }
    expect((await t.app.inject({ url: '/healthz', remoteAddress: '203.0.113.1' })).statusCode).toBe(200);
  });

  it("refuses a fresh install's setup under a name that is not its own (DNS rebinding)", async () => {
    t = await createTestApp({ PUBLIC_URL: '' }, { withTokens: false });
    const setup = (host: string) =>
      t!.app.inject({
        method: 'POST',
        url: '/setup',
        headers: { host, origin: `http://${host}`, 'content-type': 'application/json' },
        payload: { name: 'Mallory', email: 'mallory@evil.example', password: 'a long enough password' },
      });
    const rebound = await setup('evil.example:3000');
    expect(rebound.statusCode).toBe(403);
    expect(t.app.services.users.needsSetup()).toBe(true);
    expect((await setup('127.0.0.1:3000')).statusCode).toBe(201);
  });
});
