import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draft } from '../../contract/index.js';
import { createPost, createTestApp, postEntry, type TestApp, until } from './helpers.js';
import { SseClient } from './sse-client.js';
import { WebhookReceiver } from './webhook-receiver.js';

/**
 * Issue 17's "a rejected draft never reaches any public surface", for the surfaces that push
 * changes out rather than being read: a partner's webhook endpoint and a Server-Sent Events
 * stream (drafts.test.ts reads the page, API, change log, socket replay, feeds, exports and
 * search). Drafts saved, submitted, returned, rejected and deleted go on around public entries;
 * both consumers get every public entry and nothing else.
 */

let t: TestApp;
let url: string;
let contributor: string;
let hook: WebhookReceiver;

beforeAll(async () => {
  t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_MS: '100' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  contributor = t.app.stores.tokens.create('Cora Contributor', 'contributor', new Date().toISOString()).token;
  hook = new WebhookReceiver();
  await hook.start();
});
afterAll(async () => {
  await hook.stop();
  await t.close();
});

describe('drafts and the pushed surfaces', () => {
  it('a webhook endpoint and an SSE stream get the public entries only, never a draft’s text', async () => {
    const { slug } = await createPost(t, { title: 'Followed keynote', status: 'live' });
    const registered = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: t.auth('admin'), payload: { url: hook.url } });
    expect(registered.statusCode, registered.body).toBe(201);
    hook.secret = registered.json<{ secret: string }>().secret;
    const stream = await SseClient.open(`${url}/api/posts/${slug}/events?since=0`);
    expect(stream.status).toBe(200);

    expect((await postEntry(t, slug, 'Doors open')).statusCode).toBe(201);
    const contributorAuth = { authorization: `Bearer ${contributor}` };
    const draft = async (body: string, state: 'draft' | 'submitted', headers: Record<string, string>) => {
      const response = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers, payload: { body, state } });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<Draft>();
    };
    const act = (path: string, version: number, payload?: Record<string, unknown>, method: 'POST' | 'PATCH' | 'DELETE' = 'POST', headers = t.auth('editor')) =>
      t.app.inject({ method, url: path, headers: { ...headers, 'if-match': String(version) }, ...(payload ? { payload } : {}) });

    const rejected = await draft('The zebracorn rumour', 'submitted', contributorAuth);
    expect((await act(`/api/drafts/${rejected.id}/return`, 1, { note: 'Source?' })).statusCode).toBe(200);
    expect((await act(`/api/drafts/${rejected.id}`, 2, { body: 'The zebracorn rumour, sourced', state: 'submitted' }, 'PATCH', contributorAuth)).statusCode).toBe(200);
    expect((await act(`/api/drafts/${rejected.id}/reject`, 3, { note: 'Unsourced' })).statusCode).toBe(200);
    const abandoned = await draft('A zebracorn sighting', 'draft', t.auth('author'));
    expect((await act(`/api/drafts/${abandoned.id}`, 1, undefined, 'DELETE', t.auth('author'))).statusCode).toBe(204);
    await draft('zebracorn, still being written', 'draft', t.auth('author'));
    expect((await postEntry(t, slug, 'The keynote begins')).statusCode).toBe(201);

    await until(() => hook.received.length >= 2 && stream.events.length >= 2, 'both public entries pushed');
    expect(hook.seqs).toEqual([1, 2]);
    expect(stream.seqs).toEqual([1, 2]);
    expect(hook.received.map((delivery) => delivery.payload.type)).toEqual(['entry.created', 'entry.created']);
    for (const body of [...hook.received.map((delivery) => delivery.body), ...stream.events.map((event) => event.data)]) expect(body).not.toContain('zebracorn');
    expect(JSON.stringify(t.app.stores.db.prepare('SELECT * FROM webhook_deliveries').all())).not.toContain('zebracorn');
    stream.close();
  });
});
