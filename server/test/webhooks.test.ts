import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookPayload, type Change } from '../../contract/index.js';
import { isPublicAddress } from '../syndication/addresses.js';
import { retryDelay } from '../syndication/deliverer.js';
import { send } from '../syndication/send.js';
import { createPost, createTestApp, postEntry, type TestApp, until } from './helpers.js';
import { WebhookReceiver } from './webhook-receiver.js';

/**
 * Webhooks against a real receiver (an HTTP server in this process that checks signatures with
 * its own implementation of the Standard Webhooks spec): what is sent, in which order, signed how,
 * retried how, what a deletion does downstream, the delivery log, replay, who may manage
 * endpoints, and which addresses are refused. The crash test with real processes is
 * webhooks-crash.test.ts.
 */

// Retries compressed; no load shedding (a busy machine's event-loop delay is not under test).
const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_MAX_MS: '100', LOAD_SHED_READ_DELAY_MS: '0', LOAD_SHED_WRITE_DELAY_MS: '0' };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function app(env: Record<string, string> = FAST): Promise<TestApp> {
  const t = await createTestApp(env);
  cleanup.push(() => t.close());
  return t;
}

async function receiver(): Promise<WebhookReceiver> {
  const created = new WebhookReceiver();
  await created.start();
  cleanup.push(() => created.stop());
  return created;
}

async function register(t: TestApp, payload: Record<string, unknown>, into?: WebhookReceiver): Promise<{ id: number; secret: string }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: t.auth('admin'), payload });
  expect(response.statusCode, response.body).toBe(201);
  const { webhook, secret } = response.json() as { webhook: { id: number }; secret: string };
  if (into) into.secret = secret;
  return { id: webhook.id, secret };
}

async function changes(t: TestApp, slug: string): Promise<Change[]> {
  return ((await t.app.inject({ url: `/api/posts/${slug}/changes?since=0` })).json() as { changes: Change[] }).changes;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('webhooks', () => {
  it('POSTs every public change in seq order, signed per Standard Webhooks, with the /changes row as data', async () => {
    const t = await app();
    const hook = await receiver();
    const { slug, version } = await createPost(t, { title: 'Followed', status: 'live' });
    const { secret } = await register(t, { url: hook.url, description: 'Partner desk' }, hook);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const first = (await postEntry(t, slug, 'First **entry**')).json();
    await postEntry(t, slug, 'Second');
    const edited = await t.app.inject({ method: 'PATCH', url: `/api/entries/${first.id}`, headers: { ...t.auth('editor'), 'if-match': String(first.version) }, payload: { body: 'First entry, corrected' } });
    expect(edited.statusCode).toBe(200);
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': String(version) }, payload: { title: 'Followed, renamed' } });
    expect(patched.statusCode).toBe(200);
    await until(() => hook.received.length === 4, 'four deliveries');

    expect(hook.seqs).toEqual([1, 2, 3, 4]);
    expect(hook.received.map((delivery) => delivery.payload.type)).toEqual(['entry.created', 'entry.created', 'entry.updated', 'post.updated']);
    expect(hook.received.every((delivery) => delivery.signatureValid)).toBe(true);
    expect(new Set(hook.received.map((delivery) => delivery.id)).size).toBe(4);
    // Each body is what the contract says an endpoint receives.
    for (const delivery of hook.received) expect(webhookPayload.safeParse(JSON.parse(delivery.body)).success).toBe(true);
    const rows = await changes(t, slug);
    // Seq 1 was sent before the edit: as it was then. The rest are the log's rows as they are now.
    expect(hook.received.slice(1).map((delivery) => JSON.stringify(delivery.payload.data))).toEqual(rows.slice(1).map((row) => JSON.stringify(row)));
    expect(hook.received[0]!.payload).toMatchObject({ seq: 1, post: { slug }, data: { type: 'entry.created', entry: { body: 'First **entry**' } } });

    // The secret was shown once: never listed again.
    const listed = await t.app.inject({ url: '/api/webhooks', headers: t.auth('admin') });
    expect(listed.body).not.toContain(secret);
    expect(listed.json().webhooks[0]).toMatchObject({ url: hook.url, post: null, active: true, failures: 0, pending: 0, description: 'Partner desk' });
  });

  it('starts a site-wide endpoint at the live edge of existing posts, and sends a post created later from its first change', async () => {
    const t = await app();
    const hook = await receiver();
    const old = await createPost(t, { title: 'Old news', status: 'live' });
    for (const i of range(1, 3)) await postEntry(t, old.slug, `history ${i}`);
    await register(t, { url: hook.url }, hook);
    const fresh = await createPost(t, { title: 'Breaking', status: 'live' });
    await postEntry(t, fresh.slug, 'first of the new post');
    await postEntry(t, old.slug, 'news on the old post');
    await until(() => hook.received.length === 2, 'two deliveries');
    // Order across posts is not promised (per post it is): compare as a set.
    expect(hook.received.map((delivery) => `${delivery.payload.post.slug}#${delivery.payload.seq}`).sort()).toEqual([`${fresh.slug}#1`, `${old.slug}#4`].sort());
  });

  it('retries a failing receiver with backoff, holding later changes for that endpoint only, and logs each delivery', async () => {
    const t = await app();
    const failing = await receiver();
    const healthy = await receiver();
    failing.answer = (n) => (n <= 3 ? 503 : 200);
    const { slug } = await createPost(t, { title: 'Retried', status: 'live' });
    const broken = await register(t, { url: failing.url, post: slug }, failing);
    await register(t, { url: healthy.url, post: slug }, healthy);

    for (const i of range(1, 3)) await postEntry(t, slug, `entry ${i}`);
    await until(() => healthy.received.length === 3, 'the healthy endpoint, unblocked');
    await until(() => failing.received.length === 3, 'the failing endpoint, after its retries');
    expect(failing.requests).toBe(6);
    expect(failing.seqs).toEqual([1, 2, 3]);
    expect(healthy.seqs).toEqual([1, 2, 3]);

    const log = (await t.app.inject({ url: `/api/webhooks/${broken.id}/deliveries`, headers: t.auth('admin') })).json().deliveries;
    expect(log.map((row: { seq: number }) => row.seq)).toEqual([3, 2, 1]);
    expect(log[2]).toMatchObject({ seq: 1, status: 'delivered', attempts: 4, responseCode: 200, lastError: null, messageId: `msg_${broken.id}_1_1` });
    expect(log[1]).toMatchObject({ seq: 2, attempts: 1 });
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('liveline_webhook_attempts_total{result="failed"} 3');
    expect(metrics).toContain('liveline_webhook_attempts_total{result="delivered"} 6');
  });

  it('shows a failure in the log while it lasts', async () => {
    const t = await app({ ...FAST, WEBHOOK_RETRY_BASE_MS: '60000', WEBHOOK_RETRY_MAX_MS: '60000' });
    const down = await receiver();
    down.answer = () => 500;
    const { slug } = await createPost(t, { title: 'Down', status: 'live' });
    const hook = await register(t, { url: down.url }, down);
    await postEntry(t, slug, 'waits');
    await postEntry(t, slug, 'waits behind');
    await until(async () => (await t.app.inject({ url: `/api/webhooks/${hook.id}/deliveries`, headers: t.auth('admin') })).json().deliveries.length === 1, 'the failed attempt');
    const [row] = (await t.app.inject({ url: `/api/webhooks/${hook.id}/deliveries`, headers: t.auth('admin') })).json().deliveries;
    expect(row).toMatchObject({ seq: 1, status: 'retrying', attempts: 1, responseCode: 500, lastError: 'HTTP 500: receiver says 500' });
    expect(Date.parse(row.nextAttemptAt) - Date.now()).toBeGreaterThan(20_000);
    const [listed] = (await t.app.inject({ url: '/api/webhooks', headers: t.auth('admin') })).json().webhooks;
    expect(listed).toMatchObject({ failures: 1, pending: 2 });
    expect(down.requests).toBe(1);
  });

  it('counts a receiver that does not answer in time, or redirects, as a failed attempt', async () => {
    const t = await app({ ...FAST, WEBHOOK_TIMEOUT_MS: '300' });
    let requests = 0;
    const seen: number[] = [];
    // First a hang, then a redirect (not followed), then a 200.
    const odd = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        requests += 1;
        if (requests === 1) return;
        if (requests === 2) return void response.writeHead(302, { location: 'http://169.254.169.254/' }).end();
        seen.push((JSON.parse(body) as { seq: number }).seq);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => odd.listen(0, '127.0.0.1', done));
    cleanup.push(async () => {
      odd.closeAllConnections();
      await new Promise((done) => odd.close(done));
    });
    const { slug } = await createPost(t, { title: 'Odd receiver', status: 'live' });
    const { id } = await register(t, { url: `http://127.0.0.1:${(odd.address() as AddressInfo).port}/hook`, post: slug });
    await postEntry(t, slug, 'one');
    await until(() => seen.length === 1, 'the third attempt to go through');
    expect(requests).toBe(3);
    const [row] = (await t.app.inject({ url: `/api/webhooks/${id}/deliveries`, headers: t.auth('admin') })).json().deliveries;
    expect(row).toMatchObject({ seq: 1, status: 'delivered', attempts: 3, responseCode: 200 });
    const log = await t.app.inject({ url: '/metrics' });
    expect(log.body).toContain('liveline_webhook_attempts_total{result="failed"} 2');
  });

  it('sends a receiver that was down the tombstone, never the deleted text', async () => {
    const t = await app();
    const hook = await receiver();
    hook.answer = () => 503;
    const { slug } = await createPost(t, { title: 'Redacted', status: 'live' });
    await register(t, { url: hook.url, post: slug }, hook);
    const kept = (await postEntry(t, slug, 'stays')).json();
    const gone = (await postEntry(t, slug, 'a mistake, deleted')).json();
    await until(() => hook.requests >= 1, 'a first failed attempt');
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/entries/${gone.id}`, headers: { ...t.auth('editor'), 'if-match': String(gone.version) } });
    expect(deleted.statusCode).toBe(204);
    hook.answer = () => 200;
    await until(() => hook.received.length === 3, 'three deliveries');
    expect(hook.received.map((delivery) => [delivery.payload.seq, delivery.payload.type])).toEqual([[1, 'entry.created'], [2, 'entry.deleted'], [3, 'entry.deleted']]);
    expect(hook.received.map((delivery) => delivery.body).join('\n')).not.toContain('a mistake');
    // Applied by seq, the partner holds what readers see.
    const entries = new Map<number, string | undefined>();
    for (const { payload } of hook.received) {
      if (payload.data.type === 'entry.deleted') entries.delete(payload.data.entry!.id);
      else entries.set(payload.data.entry!.id, payload.data.entry!.body);
    }
    expect([...entries]).toEqual([[kept.id, 'stays']]);
  });

  it('replays a post from a seq as new messages, and follows only the post it was registered for', async () => {
    const t = await app();
    const hook = await receiver();
    const { slug } = await createPost(t, { title: 'Replayed', status: 'live' });
    const other = await createPost(t, { title: 'Not followed', status: 'live' });
    const { id } = await register(t, { url: hook.url, post: slug }, hook);
    for (const i of range(1, 4)) await postEntry(t, slug, `entry ${i}`);
    await postEntry(t, other.slug, 'elsewhere');
    await until(() => hook.received.length === 4, 'four deliveries');

    const replay = await t.app.inject({ method: 'POST', url: `/api/webhooks/${id}/replay`, headers: t.auth('admin'), payload: { fromSeq: 2 } });
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toMatchObject({ post: { slug }, fromSeq: 2, pending: 3 });
    await until(() => hook.received.length === 7, 'the replay');
    expect(hook.seqs).toEqual([1, 2, 3, 4, 2, 3, 4]);
    expect(hook.received.slice(4).map((delivery) => delivery.id)).toEqual([2, 3, 4].map((seq) => `msg_${id}_1_${seq}_r1`));
    expect(hook.received.every((delivery) => delivery.payload.post.slug === slug && delivery.signatureValid)).toBe(true);

    const beyond = await t.app.inject({ method: 'POST', url: `/api/webhooks/${id}/replay`, headers: t.auth('admin'), payload: { fromSeq: 9 } });
    expect(beyond.statusCode).toBe(422);
    expect(beyond.json()).toMatchObject({ type: '/problems/replay-beyond-log', lastSeq: 4 });
    const elsewhere = await t.app.inject({ method: 'POST', url: `/api/webhooks/${id}/replay`, headers: t.auth('admin'), payload: { post: other.slug, fromSeq: 1 } });
    expect(elsewhere.json()).toMatchObject({ status: 422, type: '/problems/replay-other-post' });
  });

  it('holds deliveries of a paused endpoint and sends them, in order, when it is resumed', async () => {
    const t = await app();
    const hook = await receiver();
    const { slug } = await createPost(t, { title: 'Paused', status: 'live' });
    const { id } = await register(t, { url: hook.url, active: false }, hook);
    for (const i of range(1, 3)) await postEntry(t, slug, `entry ${i}`);
    const [listed] = (await t.app.inject({ url: '/api/webhooks', headers: t.auth('admin') })).json().webhooks;
    expect(listed).toMatchObject({ active: false, pending: 3 });
    expect(hook.requests).toBe(0);
    const resumed = await t.app.inject({ method: 'PATCH', url: `/api/webhooks/${id}`, headers: t.auth('admin'), payload: { active: true } });
    expect(resumed.json()).toMatchObject({ active: true });
    await until(() => hook.received.length === 3, 'the held deliveries');
    expect(hook.seqs).toEqual([1, 2, 3]);
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/webhooks/${id}`, headers: t.auth('admin') });
    expect(removed.statusCode).toBe(204);
    await postEntry(t, slug, 'after removal');
    const missing = await t.app.inject({ url: `/api/webhooks/${id}/deliveries`, headers: t.auth('admin') });
    expect(missing.statusCode).toBe(404);
  });

  it('is for admins only, and answers bad input with problem+json', async () => {
    const t = await app();
    expect((await t.app.inject({ url: '/api/webhooks' })).statusCode).toBe(401);
    const editor = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: t.auth('editor'), payload: { url: 'https://example.com/hook' } });
    expect(editor.statusCode).toBe(403);
    expect(editor.headers['content-type']).toContain('application/problem+json');
    for (const url of ['ftp://example.com/hook', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pass@example.com/hook', 'not a url']) {
      const refused = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: t.auth('admin'), payload: { url } });
      expect(refused.statusCode, url).toBe(400);
      expect(refused.json()).toMatchObject({ errors: [{ field: 'body.url' }] });
    }
    const unknownPost = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: t.auth('admin'), payload: { url: 'http://127.0.0.1:9/hook', post: 'no-such-post' } });
    expect(unknownPost.json()).toMatchObject({ status: 422, type: '/problems/unknown-post' });
    const site = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: t.auth('admin'), payload: { url: 'http://127.0.0.1:9/hook' } });
    const siteReplay = await t.app.inject({ method: 'POST', url: `/api/webhooks/${site.json().webhook.id}/replay`, headers: t.auth('admin'), payload: { fromSeq: 1 } });
    expect(siteReplay.json()).toMatchObject({ status: 422, type: '/problems/replay-post-required' });
  });
});

describe('webhook destinations (SSRF)', () => {
  it('refuses internal addresses unless WEBHOOK_ALLOW_PRIVATE=true, literal or resolved', async () => {
    const t = await app({});
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://10.0.0.7/hook', 'http://192.168.1.20/hook', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/hook', 'http://[fd00::1]/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://0.0.0.0/hook']) {
      const refused = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: t.auth('admin'), payload: { url } });
      expect(refused.statusCode, url).toBe(422);
      expect(refused.json(), url).toMatchObject({ type: '/problems/webhook-url-private', field: 'url' });
    }
    const unresolvable = await t.app.inject({ method: 'POST', url: '/api/webhooks', headers: t.auth('admin'), payload: { url: 'https://no-such-host.invalid/hook' } });
    expect(unresolvable.json()).toMatchObject({ status: 422, type: '/problems/webhook-url-unresolvable' });
    const allowed = await app({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const created = await allowed.app.inject({ method: 'POST', url: '/api/webhooks', headers: allowed.auth('admin'), payload: { url: 'http://localhost:9/hook' } });
    expect(created.statusCode).toBe(201);
  });

  it('checks again when delivering, on the addresses the connection uses (a name that turned inward)', async () => {
    const hook = await receiver();
    const signal = new AbortController().signal;
    const byName = await send(new URL(`http://localhost:${hook.port}/hook`), '{}', {}, { timeoutMs: 2000, allowPrivate: false, signal });
    expect(byName).toMatchObject({ ok: false, status: null });
    expect(!byName.ok && byName.error).toMatch(/internal address/);
    const literal = await send(new URL(`http://127.0.0.1:${hook.port}/hook`), '{}', {}, { timeoutMs: 2000, allowPrivate: false, signal });
    expect(literal.ok).toBe(false);
    expect(hook.requests).toBe(0);
    const allowed = await send(new URL(`http://localhost:${hook.port}/hook`), '{}', {}, { timeoutMs: 2000, allowPrivate: true, signal });
    expect(allowed).toEqual({ ok: true, status: 204 });
  });

  it('classifies addresses', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '172.32.0.1']) expect(isPublicAddress(address), address).toBe(true);
    for (const address of ['127.0.0.1', '10.1.1.1', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '::1', '::', 'fe80::1', 'fc00::1', '::ffff:10.0.0.1', '224.0.0.1', 'not-an-ip']) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});

describe('the retry schedule', () => {
  it('doubles from the base up to the cap, jittered into [½, 1] of each step', () => {
    const settings = { retryBaseMs: 5000, retryMaxMs: 3_600_000 };
    expect([1, 2, 3, 4].map((failures) => retryDelay(failures, settings, () => 1))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect([1, 2, 3].map((failures) => retryDelay(failures, settings, () => 0))).toEqual([2500, 5000, 10_000]);
    expect(retryDelay(30, settings, () => 1)).toBe(3_600_000);
    expect(retryDelay(1000, settings, () => 0)).toBe(1_800_000);
  });
});
