import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent, createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, until, type TestApp } from './helpers.js';

/**
 * Web Push alerts (issue 19), the server half, against a local push service that does what a
 * browser does with a push: checks the VAPID signature and decrypts the payload per RFC 8291
 * (ECDH P-256, HKDF-SHA-256, AES-128-GCM, the aes128gcm content coding of RFC 8188), written
 * here from the RFCs with node:crypto alone.
 */

type Received = { url: string; headers: IncomingMessage['headers']; body: Buffer };

/** A browser's side of one subscription: its key pair and auth secret. */
function browserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { ecdh, auth, p256dh: ecdh.getPublicKey().toString('base64url'), authText: auth.toString('base64url') };
}

/** RFC 8291 §3.4 and RFC 8188 §2: what the user agent does with a push message body. */
function decrypt(body: Buffer, keys: ReturnType<typeof browserKeys>): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const serverPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  expect(recordSize).toBeGreaterThanOrEqual(ciphertext.length);
  const shared = keys.ecdh.computeSecret(serverPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.ecdh.getPublicKey(), serverPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, keys.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  expect(padded[end]).toBe(2);
  return padded.subarray(0, end).toString('utf8');
}

/** RFC 8292: `Authorization: vapid t=<JWT ES256>, k=<public key>`; the JWT's audience is the push service's origin. */
function checkVapid(header: string | undefined, publicKey: string, origin: string): void {
  const match = /^vapid t=([^,]+), k=(.+)$/.exec(header ?? '');
  expect(match, header).not.toBeNull();
  expect(match![2]).toBe(publicKey);
  const [head, claims, signature] = match![1]!.split('.');
  const raw = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') }, format: 'jwk' });
  expect(verify('sha256', Buffer.from(`${head}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'))).toBe(true);
  const payload = JSON.parse(Buffer.from(claims!, 'base64url').toString()) as { aud: string; exp: number; sub: string };
  expect(payload.aud).toBe(origin);
  expect(payload.exp * 1000).toBeGreaterThan(Date.now());
}

let t: TestApp;
let service: Server;
let origin: string;
const received: Received[] = [];
/** Endpoint paths the push service answers 410 Gone (an expired subscription). */
const gone = new Set<string>();

/** The local push service speaks HTTPS, as push services do (web-push sends only over HTTPS): a throwaway certificate for 127.0.0.1. */
function certificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-push-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const tls = certificate();

beforeEach(async () => {
  received.length = 0;
  gone.clear();
  service = createServer(tls, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(gone.has(request.url ?? '') ? 410 : 201).end();
    });
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(service.address() as AddressInfo).port}`;
  t = await createTestApp({ PUSH_SERVICE_ORIGINS: origin, READER_WRITES_PER_MINUTE: '100000' }, { pushAgent: new Agent({ ca: tls.cert }) });
});
afterEach(async () => {
  await t.close();
  await new Promise((resolve) => service.close(resolve));
});

async function subscribe(slug: string, path: string, keys: ReturnType<typeof browserKeys>, endpointOrigin = origin) {
  return t.app.inject({ method: 'POST', url: `/api/posts/${slug}/push`, payload: { subscription: { endpoint: `${endpointOrigin}${path}`, expirationTime: null, keys: { p256dh: keys.p256dh, auth: keys.authText } } } });
}

describe('Web Push alerts', () => {
  it('sends a key moment, and only a key moment, encrypted so that only the subscribed browser can read it', async () => {
    const { slug } = await createPost(t, { title: 'Launch event', status: 'live' });
    const publicKey = (await t.app.inject({ method: 'GET', url: '/api/push/key' })).json().publicKey as string;
    const keys = browserKeys();
    expect((await subscribe(slug, '/push/reader-1', keys)).statusCode).toBe(201);

    await postEntry(t, slug, 'An ordinary update.');
    const key = (await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('author'), payload: { body: 'The **new phone** is announced.', keyEvent: true } })).json();
    await t.app.participation.push.settled();
    await until(() => received.length >= 1, 'the push');
    expect(received).toHaveLength(1);
    const [push] = received;
    expect(push!.url).toBe('/push/reader-1');
    expect(push!.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(push!.headers.ttl)).toBeGreaterThan(0);
    checkVapid(push!.headers.authorization, publicKey, origin);
    expect(push!.body.toString('utf8')).not.toContain('phone');
    expect(JSON.parse(decrypt(push!.body, keys))).toEqual({ title: 'Launch event', body: 'The new phone is announced.', url: `/posts/${slug}#entry-${key.id}`, tag: `liveline-${key.postId}-${key.id}` });
    // Another browser's keys cannot read it.
    expect(() => decrypt(push!.body, browserKeys())).toThrow();

    // An edit of the key moment does not alert again; marking another entry as one does.
    await t.app.inject({ method: 'PATCH', url: `/api/entries/${key.id}`, headers: { ...t.auth('author'), 'if-match': String(key.version) }, payload: { body: 'The new phone is announced, in three colours.' } });
    const other = (await postEntry(t, slug, 'The price.')).json();
    await t.app.inject({ method: 'PATCH', url: `/api/entries/${other.id}`, headers: { ...t.auth('author'), 'if-match': String(other.version) }, payload: { keyEvent: true } });
    await t.app.participation.push.settled();
    expect(received).toHaveLength(2);
    expect(JSON.parse(decrypt(received[1]!.body, keys))).toMatchObject({ body: 'The price.' });
  });

  it('alerts for a key moment that comes out of the drafts: an editor’s approval and the embargo timer', async () => {
    const { slug } = await createPost(t, { title: 'Embargoed launch', status: 'live' });
    const keys = browserKeys();
    expect((await subscribe(slug, '/push/reader-drafts', keys)).statusCode).toBe(201);
    const draft = async (body: string, extra: Record<string, unknown>) => {
      const response = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('author'), payload: { body, keyEvent: true, ...extra } });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ id: number; version: number }>();
    };
    const saved = await draft('The price is announced.', { state: 'draft' });
    const published = await t.app.inject({ method: 'POST', url: `/api/drafts/${saved.id}/publish`, headers: { ...t.auth('editor'), 'if-match': String(saved.version) } });
    expect(published.statusCode, published.body).toBe(201);
    await t.app.participation.push.settled();
    expect(received).toHaveLength(1);
    expect(JSON.parse(decrypt(received[0]!.body, keys))).toMatchObject({ body: 'The price is announced.' });

    const at = new Date(Date.now() + 60_000);
    await draft('Embargo lifted: it ships in March.', { state: 'scheduled', publishAt: at.toISOString() });
    expect(t.app.drafts.publishDue(at)).toHaveLength(1);
    await t.app.participation.push.settled();
    expect(received).toHaveLength(2);
    expect(JSON.parse(decrypt(received[1]!.body, keys))).toMatchObject({ body: 'Embargo lifted: it ships in March.' });
  });

  it('alerts when a post goes live, once', async () => {
    const { slug, version } = await createPost(t, { title: 'Tomorrow’s keynote', status: 'scheduled' });
    const keys = browserKeys();
    await subscribe(slug, '/push/reader-2', keys);
    const live = await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': String(version) }, payload: { status: 'live' } });
    expect(live.statusCode).toBe(200);
    await t.app.participation.push.settled();
    expect(received).toHaveLength(1);
    expect(JSON.parse(decrypt(received[0]!.body, keys))).toEqual({ title: 'Tomorrow’s keynote', body: 'The liveblog is live now.', url: `/posts/${slug}`, tag: `liveline-${live.json().id}-live` });
    await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t.auth('editor'), 'if-match': String(live.json().version) }, payload: { title: 'Renamed' } });
    await t.app.participation.push.settled();
    expect(received).toHaveLength(1);
  });

  it('removes a subscription the push service calls gone (410), and one the reader turns off', async () => {
    const { slug, id } = await createPost(t, { title: 'Keynote', status: 'live' });
    await subscribe(slug, '/push/expired', browserKeys());
    await subscribe(slug, '/push/kept', browserKeys());
    await subscribe(slug, '/push/leaving', browserKeys());
    gone.add('/push/expired');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/posts/${slug}/push`, payload: { endpoint: `${origin}/push/leaving` } })).statusCode).toBe(204);
    await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('author'), payload: { body: 'Key.', keyEvent: true } });
    await t.app.participation.push.settled();
    expect(received.map((push) => push.url).sort()).toEqual(['/push/expired', '/push/kept']);
    const left = t.app.stores.db.prepare('SELECT endpoint FROM push_subscriptions WHERE post_id = ?').all(id) as { endpoint: string }[];
    expect(left.map((row) => row.endpoint)).toEqual([`${origin}/push/kept`]);
  });

  it('refuses a subscription to anything but the allowed push services (the server would call it)', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    for (const endpoint of ['http://169.254.169.254/latest/meta-data', 'http://127.0.0.1:1/admin', 'https://evil.example/push']) {
      const refused = await subscribe(slug, '', browserKeys(), endpoint);
      expect(refused.statusCode, endpoint).toBe(422);
      expect(refused.json()).toMatchObject({ type: '/problems/push-service-not-allowed' });
    }
    expect((await subscribe(slug, '/x', { ...browserKeys(), p256dh: 'short' })).statusCode).toBe(400);
  });

  it('keeps its VAPID key pair in the database, made once', async () => {
    const first = (await t.app.inject({ method: 'GET', url: '/api/push/key' })).json().publicKey;
    const rows = t.app.stores.db.prepare('SELECT public_key FROM push_keys').all() as { public_key: string }[];
    expect(rows).toEqual([{ public_key: first }]);
    expect(Buffer.from(first, 'base64url')).toHaveLength(65);
    const sw = await t.app.inject({ method: 'GET', url: '/push/sw.js' });
    expect(sw.headers['content-type']).toMatch(/javascript/);
    expect(sw.body).toContain("addEventListener('push'");
  });
});
