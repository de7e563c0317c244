import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draft } from '../../contract/index.js';
import { createPost, createTestApp, type TestApp } from './helpers.js';
import { itsRoleMatrix, type Role, type RoleAction } from './role-matrix.js';

/**
 * The role matrix of issue 17's actions: every new route × anonymous / contributor / author /
 * editor / admin. Each fixture belongs to someone else (another author, another contributor),
 * so "own draft" rights do not blur the matrix; a contributor does not even learn that someone
 * else's draft exists (404).
 */
type Who = Role;

let t: TestApp;
const tokens: Partial<Record<Who | 'contributor2', string>> = {};
let posts = 0;

beforeAll(async () => {
  t = await createTestApp();
  const now = new Date().toISOString();
  tokens.contributor = t.app.stores.tokens.create('Cora Contributor', 'contributor', now).token;
  tokens.contributor2 = t.app.stores.tokens.create('Carl Contributor', 'contributor', now).token;
  tokens.author = t.tokens.author;
  tokens.editor = t.tokens.editor;
  tokens.admin = t.tokens.admin;
});
afterAll(async () => {
  await t.close();
});

const headersOf = (who: Who | 'contributor2' | 'author2'): Record<string, string> =>
  who === 'anonymous' ? {} : { authorization: `Bearer ${who === 'author2' ? t.tokens.author2 : tokens[who]}` };

async function freshPost(): Promise<string> {
  return (await createPost(t, { title: `Roles ${++posts}`, status: 'live' })).slug;
}

/** A draft on a fresh post, written by someone outside the matrix. */
async function someonesDraft(by: 'author2' | 'contributor2', state: 'draft' | 'submitted' = 'draft'): Promise<Draft> {
  const slug = await freshPost();
  const response = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/drafts`, headers: headersOf(by), payload: { body: `By ${by}`, state } });
  if (response.statusCode !== 201) throw new Error(`draft failed: ${response.body}`);
  return response.json();
}

const soon = () => new Date(Date.now() + 3_600_000).toISOString();

const actions: RoleAction[] = [
  {
    name: 'POST /api/posts/:slug/entries (no state: publish)',
    expected: { anonymous: 401, contributor: 403, author: 201, editor: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: `/api/posts/${await freshPost()}/entries`, payload: { body: 'Now' } }),
  },
  {
    name: 'POST /api/posts/:slug/entries {state: draft}',
    expected: { anonymous: 401, contributor: 201, author: 201, editor: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: `/api/posts/${await freshPost()}/entries`, payload: { body: 'Later', state: 'draft' } }),
  },
  {
    name: 'POST /api/posts/:slug/entries {state: submitted}',
    expected: { anonymous: 401, contributor: 201, author: 201, editor: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: `/api/posts/${await freshPost()}/entries`, payload: { body: 'Review me', state: 'submitted' } }),
  },
  {
    name: 'POST /api/posts/:slug/entries {state: scheduled}',
    expected: { anonymous: 401, contributor: 403, author: 201, editor: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: `/api/posts/${await freshPost()}/entries`, payload: { body: 'At ten', state: 'scheduled', publishAt: soon() } }),
  },
  {
    name: 'POST /api/posts/:slug/drafts',
    expected: { anonymous: 401, contributor: 201, author: 201, editor: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: `/api/posts/${await freshPost()}/drafts`, payload: { body: 'A draft' } }),
  },
  {
    name: 'GET /api/posts/:slug/drafts',
    expected: { anonymous: 401, contributor: 200, author: 200, editor: 200, admin: 200 },
    request: async () => ({ method: 'GET', url: `/api/posts/${(await freshPost())}/drafts` }),
  },
  {
    name: "GET /api/drafts/:id (another author's)",
    expected: { anonymous: 401, contributor: 404, author: 200, editor: 200, admin: 200 },
    request: async () => ({ method: 'GET', url: `/api/drafts/${(await someonesDraft('author2')).id}` }),
  },
  {
    name: "PATCH /api/drafts/:id (another author's)",
    expected: { anonymous: 401, contributor: 404, author: 200, editor: 200, admin: 200 },
    request: async () => ({ method: 'PATCH', url: `/api/drafts/${(await someonesDraft('author2')).id}`, payload: { body: 'Edited' }, headers: { 'if-match': '1' } }),
  },
  {
    name: "PATCH /api/drafts/:id → scheduled (another author's)",
    expected: { anonymous: 401, contributor: 404, author: 200, editor: 200, admin: 200 },
    request: async () => ({ method: 'PATCH', url: `/api/drafts/${(await someonesDraft('author2')).id}`, payload: { state: 'scheduled', publishAt: soon() }, headers: { 'if-match': '1' } }),
  },
  {
    name: "PATCH /api/drafts/:id → scheduled (a contributor's)",
    expected: { anonymous: 401, contributor: 404, author: 403, editor: 200, admin: 200 },
    request: async () => ({ method: 'PATCH', url: `/api/drafts/${(await someonesDraft('contributor2')).id}`, payload: { state: 'scheduled', publishAt: soon() }, headers: { 'if-match': '1' } }),
  },
  {
    name: "PATCH /api/drafts/:id (a submitted one, another's)",
    expected: { anonymous: 401, contributor: 404, author: 403, editor: 200, admin: 200 },
    request: async () => ({ method: 'PATCH', url: `/api/drafts/${(await someonesDraft('contributor2', 'submitted')).id}`, payload: { body: 'Tightened' }, headers: { 'if-match': '1' } }),
  },
  {
    name: "DELETE /api/drafts/:id (another author's)",
    expected: { anonymous: 401, contributor: 404, author: 403, editor: 204, admin: 204 },
    request: async () => ({ method: 'DELETE', url: `/api/drafts/${(await someonesDraft('author2')).id}`, headers: { 'if-match': '1' } }),
  },
  {
    name: "POST /api/drafts/:id/publish (another author's)",
    expected: { anonymous: 401, contributor: 404, author: 201, editor: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: `/api/drafts/${(await someonesDraft('author2')).id}/publish`, headers: { 'if-match': '1' } }),
  },
  {
    name: "POST /api/drafts/:id/publish (a contributor's)",
    expected: { anonymous: 401, contributor: 404, author: 403, editor: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: `/api/drafts/${(await someonesDraft('contributor2')).id}/publish`, headers: { 'if-match': '1' } }),
  },
  {
    name: 'POST /api/drafts/:id/approve',
    expected: { anonymous: 401, contributor: 404, author: 403, editor: 201, admin: 201 },
    request: async () => ({ method: 'POST', url: `/api/drafts/${(await someonesDraft('contributor2', 'submitted')).id}/approve`, headers: { 'if-match': '1' } }),
  },
  {
    name: 'POST /api/drafts/:id/return',
    expected: { anonymous: 401, contributor: 404, author: 403, editor: 200, admin: 200 },
    request: async () => ({ method: 'POST', url: `/api/drafts/${(await someonesDraft('contributor2', 'submitted')).id}/return`, payload: { note: 'Source?' }, headers: { 'if-match': '1' } }),
  },
  {
    name: 'POST /api/drafts/:id/reject',
    expected: { anonymous: 401, contributor: 404, author: 403, editor: 200, admin: 200 },
    request: async () => ({ method: 'POST', url: `/api/drafts/${(await someonesDraft('contributor2', 'submitted')).id}/reject`, payload: {}, headers: { 'if-match': '1' } }),
  },
  {
    name: 'POST /api/preview',
    expected: { anonymous: 401, contributor: 200, author: 200, editor: 200, admin: 200 },
    request: async () => ({ method: 'POST', url: '/api/preview', payload: { body: 'Preview' } }),
  },
];

describe('issue 17 role matrix (API tokens)', () => {
  itsRoleMatrix(() => t, actions, headersOf);

  it('a contributor works on their own: edits, submits, withdraws and deletes it', async () => {
    const slug = await freshPost();
    const as = headersOf('contributor');
    const created = (await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/drafts`, headers: as, payload: { body: 'Mine' } })).json<Draft>();
    const patch = (version: number, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'PATCH', url: `/api/drafts/${created.id}`, headers: { ...as, 'if-match': String(version) }, payload });
    expect((await patch(1, { body: 'Mine, better' })).statusCode).toBe(200);
    expect((await patch(2, { state: 'submitted' })).json()).toMatchObject({ state: 'submitted' });
    expect((await patch(3, { state: 'draft' })).json()).toMatchObject({ state: 'draft' });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/drafts/${created.id}`, headers: { ...as, 'if-match': '4' } })).statusCode).toBe(204);
  });
});
