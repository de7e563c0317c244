import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { InjectOptions } from 'light-my-request';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Property tests over every API input: random and boundary values (huge strings, wrong types, odd
 * Unicode, NUL bytes, deep JSON) never produce a 5xx, and a rejected request changes nothing that
 * is stored (a digest of every table, compared before and after). Accepted requests may change data.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 60);

let t: TestApp;
let slug: string;
let entry: { id: number; version: number };

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_WRITES_PER_MINUTE: '1000000', SOCKET_MAX_EVENTS_PER_10S: '100000' });
  slug = (await createPost(t, { title: 'Properties' })).slug;
  entry = (await postEntry(t, slug, 'first')).json();
});
afterAll(async () => {
  await t.close();
});

/** Everything stored, except api_tokens.last_used_at (usage metadata, touched by any authenticated call). */
function digest(): string {
  const db = t.app.stores.db;
  const hash = createHash('sha256');
  for (const table of ['users', 'posts', 'entries', 'entry_revisions', 'changes', 'idempotency_keys']) {
    hash.update(JSON.stringify(db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()));
  }
  hash.update(JSON.stringify(db.prepare('SELECT id, user_id, name, token_hash, created_at, revoked_at FROM api_tokens ORDER BY id').all()));
  return hash.digest('hex');
}

const odd = fc.constantFrom(
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '\u202e\u2066', '\ufeff', '\u200b', '🦄'.repeat(300), 'Ω≈ç√', '../../etc/passwd',
  "'; DROP TABLE entries; --", '<script>alert(1)</script>', 'x'.repeat(20_001), 'y'.repeat(70_000), '-1', '1e309', 'NaN', '0x10', 'true', 'null',
);
const hostileString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 50 }), odd);
const scalar = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 60 }), fc.dictionary(hostileString, scalar, { maxKeys: 5 }), fc.jsonValue());
const deep = fc.integer({ min: 1, max: 20_000 }).chain((n) => fc.constantFrom(`${'['.repeat(n)}${']'.repeat(n)}`, `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`, '['.repeat(n)));

/** A JSON body: a record with the schema's field names holding hostile values, any JSON, or raw bytes. */
function body(fields: string[]): fc.Arbitrary<string> {
  const record = fc.record(Object.fromEntries(fields.map((field) => [field, value])), { requiredKeys: [] });
  return fc.oneof(
    record.map((r) => JSON.stringify(r)),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    deep,
    hostileString,
  );
}

/** Header values HTTP can carry at all (Node refuses control characters before sending). */
const headerValue = fc.oneof(fc.string(), odd, fc.stringMatching(/^W\/"\d{1,20}"$/), fc.nat().map(String)).filter((v) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v) && v.length < 8000);

async function check(request: InjectOptions): Promise<void> {
  const before = digest();
  const response = await t.app.inject(request);
  expect(response.statusCode, `${response.statusCode} ${response.body.slice(0, 300)}`).toBeLessThan(500);
  if (response.statusCode >= 400) expect(digest(), response.body.slice(0, 300)).toBe(before);
}

const write = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload: string | undefined, headers: Record<string, string> = {}): InjectOptions => ({
  method,
  url,
  headers: { ...t.auth('editor'), 'content-type': 'application/json', ...headers },
  ...(payload === undefined ? {} : { payload }),
});

describe('property: hostile input never causes a 5xx nor changes data when rejected', () => {
  it('POST /api/posts', async () => {
    const fields = ['title', 'slug', 'description', 'status', 'startsAt', 'timezone', 'tags', 'categories', 'extra'];
    await fc.assert(fc.asyncProperty(body(fields), async (payload) => check(write('POST', '/api/posts', payload))), { numRuns: RUNS });
  });

  it('PATCH /api/posts/:slug with If-Match', async () => {
    const fields = ['title', 'description', 'status', 'startsAt', 'timezone', 'tags', 'categories', 'slug'];
    await fc.assert(
      fc.asyncProperty(body(fields), headerValue, async (payload, ifMatch) => check(write('PATCH', `/api/posts/${slug}`, payload, { 'if-match': ifMatch }))),
      { numRuns: RUNS },
    );
  });

  it('POST /api/posts/:slug/entries with Idempotency-Key', async () => {
    await fc.assert(
      fc.asyncProperty(body(['body', 'createdAt', 'keyEvent', 'pinned']), fc.option(headerValue), async (payload, key) =>
        check(write('POST', `/api/posts/${slug}/entries`, payload, key === null ? {} : { 'idempotency-key': key })),
      ),
      { numRuns: RUNS },
    );
  });

  it('PATCH and DELETE /api/entries/:id with If-Match', async () => {
    await fc.assert(
      fc.asyncProperty(body(['body', 'createdAt', 'keyEvent']), headerValue, fc.boolean(), async (payload, ifMatch, remove) => {
        const current = t.app.stores.entries.byId(entry.id);
        if (current?.deletedAt) entry = (await postEntry(t, slug, 'replacement')).json();
        await check(remove ? write('DELETE', `/api/entries/${entry.id}`, undefined, { 'if-match': ifMatch }) : write('PATCH', `/api/entries/${entry.id}`, payload, { 'if-match': ifMatch }));
      }),
      { numRuns: RUNS },
    );
  });

  it('path parameters and query strings of every route', async () => {
    const q = fc.oneof(hostileString, fc.integer().map(String), fc.double().map(String));
    const param = fc.oneof(hostileString, fc.constant(slug), fc.integer().map(String));
    await fc.assert(
      fc.asyncProperty(param, q, q, async (p, a, b) => {
        // A lone surrogate cannot be encoded; send the invalid UTF-8 it would be instead.
        const e = (text: string) => {
          try {
            return encodeURIComponent(text);
          } catch {
            return '%ED%A0%80%00%FF';
          }
        };
        for (const url of [
          `/api/posts?status=${e(a)}&limit=${e(b)}`,
          `/api/posts/${e(p)}`,
          `/api/posts/${e(p)}/entries?before=${e(a)}&limit=${e(b)}`,
          `/api/posts/${slug}/entries?before=${e(a)}&limit=${e(b)}`,
          `/api/posts/${slug}/changes?since=${e(a)}&limit=${e(b)}`,
          `/api/entries/${e(p)}`,
          `/posts/${e(p)}`,
          `/posts/${slug}?before=${e(a)}`,
        ]) {
          await check({ method: 'GET', url });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('the socket subscribe payload', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const socket: Socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      // Payloads over maxHttpBufferSize (4 KiB) close the connection by design (see socket-guards.test.ts).
      const small = (p: unknown) => (JSON.stringify(p) ?? '').length < 3000;
      const payload = fc
        .oneof(fc.anything(), fc.record({ slug: fc.oneof(value, fc.constant(slug)), since: fc.oneof(value, fc.integer(), fc.double()) }, { requiredKeys: [] }))
        .filter(small);
      await fc.assert(
        fc.asyncProperty(payload, async (p) => {
          const before = digest();
          const ack = (await socket.timeout(5000).emitWithAck('subscribe', p)) as { ok: boolean; error?: { code: string } };
          expect(ack.error?.code).not.toBe('internal');
          expect(socket.connected).toBe(true);
          expect(digest()).toBe(before);
        }),
        { numRuns: RUNS * 2 },
      );
    } finally {
      socket.close();
    }
  });
});
