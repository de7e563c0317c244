import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from '../auth/passwords.js';
import { LOGIN_LIMITS } from '../http/routes/session/session.js';
import { createPost, createTestApp, type TestApp } from './helpers.js';
import { login, loginAs, PASSWORD } from './session-helpers.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

describe('passwords', () => {
  it('are hashed with scrypt at N=2^17, r=8, p=1 and verified', async () => {
    const stored = await hashPassword('hunter2hunter2');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]+\$[\w-]{43}$/);
    expect(SCRYPT_PARAMS).toEqual({ N: 131072, r: 8, p: 1 });
    expect(await verifyPassword('hunter2hunter2', stored)).toBe(true);
    expect(await verifyPassword('hunter2hunter3', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('setup', () => {
  it('creates the first admin once, then is gone (404 to scripts, the login page to browsers)', async () => {
    await t.close();
    t = await createTestApp({}, { withTokens: false });
    const setupPage = await t.app.inject({ method: 'GET', url: '/setup' });
    expect(setupPage.statusCode).toBe(200);
    expect(setupPage.headers['x-frame-options']).toBe('DENY');
    expect((await t.app.inject({ method: 'GET', url: '/admin' })).headers.location).toBe('/setup');
    const created = await t.app.inject({ method: 'POST', url: '/setup', payload: { name: 'Ada', email: 'ada@example.org', password: PASSWORD } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ user: { role: 'admin', email: 'ada@example.org' } });
    expect(created.cookies.find((c) => c.name === 'liveline_session')).toBeTruthy();
    expect((await t.app.inject({ method: 'GET', url: '/setup' })).statusCode).toBe(404);
    const again = await t.app.inject({ method: 'POST', url: '/setup', payload: { name: 'Eve', email: 'eve@example.org', password: PASSWORD } });
    expect(again.statusCode).toBe(404);
    expect(t.app.stores.users.credentials('eve@example.org')).toBeUndefined();
    // A browser that comes back to /setup, or submits its form again, lands on the login page.
    const browsing = await t.app.inject({ method: 'GET', url: '/setup', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect([browsing.statusCode, browsing.headers.location]).toEqual([303, '/login']);
    const resubmitted = await t.app.inject({
      method: 'POST',
      url: '/setup',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      payload: `name=Eve&email=eve%40example.org&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect([resubmitted.statusCode, resubmitted.headers.location]).toEqual([303, '/login']);
    expect(t.app.stores.users.credentials('eve@example.org')).toBeUndefined();
  });

  it('is not offered on an install that already has users, even token-only ones', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/setup' })).statusCode).toBe(404);
    const attempt = await t.app.inject({ method: 'POST', url: '/setup', payload: { name: 'Mallory', email: 'm@example.org', password: PASSWORD } });
    expect(attempt.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/admin' })).headers.location).toBe('/login?next=%2Fadmin');
  });
});

describe('login and sessions', () => {
  it('sets an HttpOnly SameSite=Lax cookie and stores only a hash of the session id', async () => {
    await t.app.services.users.createTrusted({ name: 'Ada', email: 'ada@example.org', role: 'editor', password: PASSWORD });
    const response = await t.app.inject({ method: 'POST', url: '/login', payload: { email: 'ADA@example.org', password: PASSWORD } });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'liveline_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const rows = t.app.stores.db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).not.toBe(cookie.value);
    expect(rows[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a wrong password with 401 and a form login with the form again', async () => {
    await t.app.services.users.createTrusted({ name: 'Ada', email: 'ada@example.org', role: 'editor', password: PASSWORD });
    const json = await t.app.inject({ method: 'POST', url: '/login', payload: { email: 'ada@example.org', password: 'wrong password!' } });
    expect(json.statusCode).toBe(401);
    const form = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=ada%40example.org&password=nope-nope-nope&next=%2Fadmin',
    });
    expect(form.statusCode).toBe(401);
    expect(form.body).toContain('The email or password is wrong.');
    expect(form.cookies).toHaveLength(0);
  });

  it('a form login redirects to a same-site next only', async () => {
    await t.app.services.users.createTrusted({ name: 'Ada', email: 'ada@example.org', role: 'editor', password: PASSWORD });
    const form = (next: string) =>
      t.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=ada%40example.org&password=${encodeURIComponent(PASSWORD)}&next=${encodeURIComponent(next)}`,
      });
    expect((await form('/admin/posts/x')).headers.location).toBe('/admin/posts/x');
    expect((await form('//evil.example/')).headers.location).toBe('/admin');
  });

  it('never redirects off the site, whatever next hides (M2), and answers odd characters with 400, not 500 (L5)', async () => {
    // One account per login, so the per-account login limit stays out of the way.
    let accounts = 0;
    const form = async (encodedNext: string) => {
      const email = `ada${++accounts}@example.org`;
      await t.app.services.users.createTrusted({ name: 'Ada', email, role: 'editor', password: PASSWORD });
      return t.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=${encodeURIComponent(email)}&password=${encodeURIComponent(PASSWORD)}&next=${encodedNext}`,
      });
    };
    // A tab or newline browsers strip would turn "/<tab>/evil.example" into "//evil.example".
    for (const encoded of ['%2F%09%2Fevil.example', '%2F%0A%2Fevil.example', '%2F%0D%0ASet-Cookie%3A%20x%3D1', '%2F%C3%A9vil']) {
      const response = await form(encoded);
      expect(response.statusCode, encoded).toBe(400);
      expect(response.headers['content-type'], encoded).toMatch(/problem\+json/);
      expect(response.headers.location, encoded).toBeUndefined();
    }
    for (const next of ['/\\evil.example', '/\\/evil.example', '//evil.example', 'https://evil.example/', '/../../evil.example']) {
      const location = (await form(encodeURIComponent(next))).headers.location;
      expect(location, next).toMatch(/^\/(?!\/|\\)/);
      expect(new URL(String(location), 'https://live.example').origin, next).toBe('https://live.example');
    }
    expect((await form(encodeURIComponent('/admin/posts/x?tab=1#entry-2'))).headers.location).toBe('/admin/posts/x?tab=1#entry-2');
    // The login page itself, with a session: the redirect it answers is as safe.
    const session = await login(t, 'ada1@example.org', PASSWORD);
    expect((await t.app.inject({ url: '/login?next=%2F%09%2Fevil.example', headers: { cookie: session.cookie } })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/login?next=%2F%5Cevil.example', headers: { cookie: session.cookie } })).headers.location).toBe('/admin');
  });

  it('refuses a cross-site login post (login CSRF)', async () => {
    await t.app.services.users.createTrusted({ name: 'Ada', email: 'ada@example.org', role: 'editor', password: PASSWORD });
    const response = await t.app.inject({ method: 'POST', url: '/login', headers: { origin: 'https://evil.example' }, payload: { email: 'ada@example.org', password: PASSWORD } });
    expect(response.statusCode).toBe(403);
  });

  it('a session cookie authenticates API writes, which need the CSRF token', async () => {
    const editor = await loginAs(t, 'editor');
    const withToken = await t.app.inject({ method: 'POST', url: '/api/posts', headers: editor.headers, payload: { title: 'Via session' } });
    expect(withToken.statusCode).toBe(201);
    const noToken = await t.app.inject({ method: 'POST', url: '/api/posts', headers: { cookie: editor.cookie }, payload: { title: 'Forged' } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().detail).toMatch(/CSRF/);
    const wrongToken = await t.app.inject({ method: 'POST', url: '/api/posts', headers: { cookie: editor.cookie, 'x-csrf-token': 'x'.repeat(43) }, payload: { title: 'Forged' } });
    expect(wrongToken.statusCode).toBe(403);
    // Bearer requests are not cookie-borne: no CSRF token needed.
    expect((await t.app.inject({ method: 'POST', url: '/api/posts', headers: t.auth('editor'), payload: { title: 'Script' } })).statusCode).toBe(201);
    const session = await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: editor.cookie } });
    expect(session.json()).toMatchObject({ user: { role: 'editor' }, csrfToken: editor.csrf });
  });

  it('logout ends the session everywhere it is used', async () => {
    const editor = await loginAs(t, 'editor');
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: editor.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/logout', headers: { cookie: editor.cookie } })).statusCode).toBe(403);
    const out = await t.app.inject({ method: 'POST', url: '/logout', headers: editor.headers, payload: {} });
    expect(out.statusCode).toBe(204);
    // Another tab or device holding the same cookie is logged out too.
    expect((await t.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: editor.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/posts', headers: editor.headers, payload: { title: 'After logout' } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/admin', headers: { cookie: editor.cookie } })).headers.location).toMatch(/^\/login\?next=/);
  });

  it('a disabled user is cut off at once: sessions and tokens', async () => {
    const admin = await loginAs(t, 'admin');
    const author = await loginAs(t, 'author');
    const { token } = (await t.app.inject({ method: 'POST', url: '/api/tokens', headers: admin.headers, payload: { userId: author.userId, name: 'script' } })).json() as { token: string };
    const post = await createPost(t);
    const write = (headers: Record<string, string>) => t.app.inject({ method: 'POST', url: `/api/posts/${post.slug}/entries`, headers, payload: { body: 'hi' } });
    expect((await write(author.headers)).statusCode).toBe(201);
    expect((await write({ authorization: `Bearer ${token}` })).statusCode).toBe(201);

    const disabled = await t.app.inject({ method: 'PATCH', url: `/api/users/${author.userId}`, headers: admin.headers, payload: { disabled: true } });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabledAt).toBeTruthy();
    expect((await write(author.headers)).statusCode).toBe(401);
    expect((await write({ authorization: `Bearer ${token}` })).statusCode).toBe(401);
    await expect(login(t, (await t.app.stores.users.byId(author.userId))!.email!, PASSWORD)).rejects.toThrow(/401/);
  });

  it('rate-limits login attempts per account with 429 and Retry-After', async () => {
    await t.app.services.users.createTrusted({ name: 'Ada', email: 'ada@example.org', role: 'editor', password: PASSWORD });
    const attempt = (email: string) => t.app.inject({ method: 'POST', url: '/login', payload: { email, password: 'wrong password' } });
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) expect((await attempt('ada@example.org')).statusCode).toBe(401);
    const limited = await attempt('ADA@example.org');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    // Even the right password waits: the limit is on the account, not on failures.
    expect((await t.app.inject({ method: 'POST', url: '/login', payload: { email: 'ada@example.org', password: PASSWORD } })).statusCode).toBe(429);
    const form = await t.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=ada%40example.org&password=x`,
    });
    expect(form.statusCode).toBe(429);
    expect(form.body).toContain('Too many login attempts');
    expect(form.headers['retry-after']).toBeTruthy();
    // Another account from the same address is not locked out by this one.
    expect((await attempt('bob@example.org')).statusCode).toBe(401);
  });

  it('records the actor of every write: changes carry it, account changes are audited', async () => {
    const admin = await loginAs(t, 'admin');
    const editor = await loginAs(t, 'editor');
    const post = (await t.app.inject({ method: 'POST', url: '/api/posts', headers: editor.headers, payload: { title: 'Audited' } })).json();
    await t.app.inject({ method: 'POST', url: `/api/posts/${post.slug}/entries`, headers: editor.headers, payload: { body: 'by the editor' } });
    await t.app.inject({ method: 'PATCH', url: `/api/posts/${post.slug}`, headers: { ...admin.headers, 'if-match': '1' }, payload: { status: 'ended' } });
    const actors = t.app.stores.db.prepare('SELECT type, actor_id AS actorId FROM changes ORDER BY seq').all();
    expect(actors).toEqual([
      { type: 'entry.created', actorId: editor.userId },
      { type: 'post.updated', actorId: admin.userId },
    ]);
    await t.app.inject({ method: 'PATCH', url: `/api/users/${editor.userId}`, headers: admin.headers, payload: { role: 'author' } });
    const audit = t.app.stores.audit.recent().map(({ actorId, action, subjectId }) => ({ actorId, action, subjectId }));
    expect(audit[0]).toEqual({ actorId: admin.userId, action: 'user.role_changed', subjectId: editor.userId });
  });

  it('marks the cookie Secure when the public URL is https', async () => {
    await t.close();
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { buildApp } = await import('../app.js');
    const { testConfig } = await import('./helpers.js');
    const dir = mkdtempSync(join(tmpdir(), 'liveline-secure-'));
    const app = await buildApp({ config: testConfig(dir, { PUBLIC_URL: 'https://live.example.com' }), logger: false });
    t = { ...t, app, close: () => app.close() };
    await app.services.users.createTrusted({ name: 'Ada', email: 'ada@example.org', role: 'editor', password: PASSWORD });
    const response = await app.inject({ method: 'POST', url: '/login', payload: { email: 'ada@example.org', password: PASSWORD } });
    expect(response.cookies.find((c) => c.name === 'liveline_session')).toMatchObject({ secure: true, httpOnly: true });
  });

  it('slows down password guesses per client address, across accounts', async () => {
    let last = 0;
    for (let i = 0; i <= LOGIN_LIMITS.perIp; i++) {
      last = (await t.app.inject({ method: 'POST', url: '/login', payload: { email: `nobody${i}@example.org`, password: 'a guess' } })).statusCode;
    }
    expect(last).toBe(429);
  }, 60_000);

  it('never lets malformed attempts or another address lock an account out (M9)', async () => {
    await t.app.services.users.createTrusted({ name: 'Ada', email: 'ada@example.org', role: 'editor', password: PASSWORD });
    const attempt = (password: string, remoteAddress = '192.0.2.1') =>
      t.app.inject({ method: 'POST', url: '/login', remoteAddress, payload: { email: 'ada@example.org', password } });
    // Empty passwords guess nothing and count for nothing.
    for (let i = 0; i < 10; i++) expect((await attempt('')).statusCode).toBe(401);
    expect((await attempt(PASSWORD)).statusCode).toBe(200);
    // Real guesses from one address slow that address down for this account…
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) expect((await attempt('wrong password', '198.51.100.7')).statusCode).toBe(401);
    const slowed = await attempt(PASSWORD, '198.51.100.7');
    expect(slowed.statusCode).toBe(429);
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThanOrEqual(LOGIN_LIMITS.baseDelayMs / 1000 - 1);
    // …while Ada, at her own address, logs in as usual.
    expect((await attempt(PASSWORD, '192.0.2.1')).statusCode).toBe(200);
  });


  it('behind the proxy, a client cannot dodge throttling by forging X-Forwarded-For (M3)', async () => {
    await t.close();
    t = await createTestApp({ TRUST_PROXY: 'true' });
    // Every request comes from nginx (10.0.0.2), which appends the address it saw (203.0.113.9)
    // after whatever the client sent: a guesser spraying accounts forges a new first hop each time.
    let last = 0;
    for (let i = 0; i <= LOGIN_LIMITS.perIp; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': `6.6.${i}.1, 203.0.113.9` },
        payload: { email: `nobody${i}@example.org`, password: 'a guess' },
      });
      last = response.statusCode;
    }
    expect(last).toBe(429);
  }, 60_000);
});
