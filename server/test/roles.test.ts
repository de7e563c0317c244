import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';
import { loginAs, type Login } from './session-helpers.js';
import { multipart, PNG } from './upload-fixtures.js';

/**
 * The role matrix: every write route × anonymous / author / editor / admin, the three roles
 * logged in through the UI's session cookie (with its CSRF token). Fixtures belong to another
 * author, so "own entry" rights do not blur the matrix.
 */
type Who = 'anonymous' | 'author' | 'editor' | 'admin';
type Request = { method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> };

let t: TestApp;
const sessions: Partial<Record<Who, Login>> = {};
beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['author', 'editor', 'admin'] as const) sessions[role] = await loginAs(t, role);
});
afterAll(async () => {
  await t.close();
});

async function otherEntry(): Promise<{ slug: string; id: number }> {
  const { slug } = await createPost(t, { title: `Post ${Math.random()}` });
  const entry = (await postEntry(t, slug, 'Written by someone else', 'author2')).json() as { id: number };
  return { slug, id: entry.id };
}

const routes: { name: string; expected: Record<Who, number>; request: () => Promise<Request> }[] = [
  { name: 'POST /api/posts', expected: { anonymous: 401, author: 403, editor: 201, admin: 201 }, request: async () => ({ method: 'POST', url: '/api/posts', payload: { title: `New ${Math.random()}` } }) },
  {
    name: 'PATCH /api/posts/:slug',
    expected: { anonymous: 401, author: 403, editor: 200, admin: 200 },
    request: async () => ({ method: 'PATCH', url: `/api/posts/${(await otherEntry()).slug}`, payload: { status: 'ended' }, headers: { 'if-match': '1' } }),
  },
  {
    name: 'POST /api/posts/:slug/entries',
    expected: { anonymous: 401, author: 201, editor: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: `/api/posts/${(await otherEntry()).slug}/entries`, payload: { body: 'Hello' } }),
  },
  {
    name: "PATCH /api/entries/:id (another author's)",
    expected: { anonymous: 401, author: 403, editor: 200, admin: 200 },
    request: async () => ({ method: 'PATCH', url: `/api/entries/${(await otherEntry()).id}`, payload: { body: 'Fixed' }, headers: { 'if-match': '1' } }),
  },
  {
    name: "DELETE /api/entries/:id (another author's)",
    expected: { anonymous: 401, author: 403, editor: 204, admin: 204 },
    request: async () => ({ method: 'DELETE', url: `/api/entries/${(await otherEntry()).id}`, headers: { 'if-match': '1' } }),
  },
  {
    name: "POST /api/entries/:id/restore (another author's)",
    expected: { anonymous: 401, author: 403, editor: 200, admin: 200 },
    request: async () => {
      const { id } = await otherEntry();
      await t.app.inject({ method: 'DELETE', url: `/api/entries/${id}`, headers: { ...t.auth('editor'), 'if-match': '1' } });
      return { method: 'POST', url: `/api/entries/${id}/restore`, headers: { 'if-match': '2' } };
    },
  },
  {
    name: 'PUT /api/entries/:id/pin',
    expected: { anonymous: 401, author: 403, editor: 200, admin: 200 },
    request: async () => ({ method: 'PUT', url: `/api/entries/${(await otherEntry()).id}/pin` }),
  },
  { name: 'POST /api/preview', expected: { anonymous: 401, author: 200, editor: 200, admin: 200 }, request: async () => ({ method: 'POST', url: '/api/preview', payload: { body: '*hi*' } }) },
  {
    name: 'POST /api/uploads',
    expected: { anonymous: 401, author: 201, editor: 201, admin: 201 },
    request: async () => {
      const { payload, headers } = multipart('a.png', 'image/png', PNG);
      return { method: 'POST', url: '/api/uploads', payload, headers };
    },
  },
  {
    name: 'POST /api/users',
    expected: { anonymous: 401, author: 403, editor: 403, admin: 201 },
    request: async () => ({ method: 'POST', url: '/api/users', payload: { name: 'New', email: `n${Math.random()}@example.org`, role: 'author', password: 'long enough password' } }),
  },
  {
    name: 'PATCH /api/users/:id',
    expected: { anonymous: 401, author: 403, editor: 403, admin: 200 },
    request: async () => {
      const user = t.app.stores.users.create({ name: 'X', email: `x${Math.random()}@example.org`, role: 'author', passwordHash: 'scrypt$1$1$1$a$b' }, new Date().toISOString());
      return { method: 'PATCH', url: `/api/users/${user.id}`, payload: { role: 'editor' } };
    },
  },
  {
    name: 'POST /api/tokens',
    expected: { anonymous: 401, author: 403, editor: 403, admin: 201 },
    request: async () => ({ method: 'POST', url: '/api/tokens', payload: { userId: sessions.author!.userId, name: 'script' } }),
  },
  {
    name: 'DELETE /api/tokens/:id',
    expected: { anonymous: 401, author: 403, editor: 403, admin: 204 },
    request: async () => ({ method: 'DELETE', url: `/api/tokens/${t.app.stores.tokens.create('Temp', 'author', new Date().toISOString()).id}` }),
  },
];

describe('role matrix (session-authenticated)', () => {
  for (const route of routes) {
    for (const who of ['anonymous', 'author', 'editor', 'admin'] as const) {
      it(`${route.name} as ${who} → ${route.expected[who]}`, async () => {
        const request = await route.request();
        const auth = who === 'anonymous' ? {} : sessions[who]!.headers;
        const response = await t.app.inject({ method: request.method, url: request.url, headers: { ...request.headers, ...auth }, payload: request.payload as string });
        expect(response.statusCode, response.body).toBe(route.expected[who]);
      });
    }
  }
});
