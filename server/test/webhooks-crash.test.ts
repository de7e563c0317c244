import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change, Delivery } from '../../contract/index.js';
import { until } from './helpers.js';
import { assertBuilt, cli, startServer, type ServerProcess } from './process-helpers.js';
import { WebhookReceiver } from './webhook-receiver.js';

/**
 * The delivery contract, with real processes (issue 18, "done when"): a webhook receiver is down
 * while changes keep coming, the server is SIGKILLed meanwhile and started again on the same
 * database; once both are back, the receiver has every change exactly once, in seq order, each
 * with a valid Standard Webhooks signature (checked by the receiver's own implementation).
 *
 * The outage is 30 s. The retry schedule is configuration (WEBHOOK_RETRY_BASE_MS,
 * WEBHOOK_RETRY_MAX_MS), so the test compresses time instead of waiting: with a 50 ms base and a
 * 400 ms cap, the outage below spans as many failed attempts as 30 s do with the defaults (5 s
 * doubling: about four), before and after the kill, on the real code path (retry times stored in
 * SQLite, the cursor, the scan after restart).
 */

// A busy test machine must not shed the test's own requests (503): load shedding is not under test.
const ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_RETRY_MAX_MS: '400', LOAD_SHED_READ_DELAY_MS: '0', LOAD_SHED_WRITE_DELAY_MS: '0' };

let dir: string;
let databasePath: string;
let server: ServerProcess | undefined;
const receiver = new WebhookReceiver();

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'liveline-webhooks-crash-'));
  databasePath = join(dir, 'liveline.db');
});

afterAll(async () => {
  server?.child.kill('SIGKILL');
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('webhook delivery across a receiver outage and a SIGKILL', () => {
  it('ends with every change exactly once, in order, validly signed', async () => {
    const token = cli(databasePath, ['token', 'create', '--name', 'Crash Admin', '--role', 'admin']);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    server = await startServer(databasePath, ENV);
    let base = server.url;
    const api = async <T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; json: T }> => {
      const response = await fetch(base + path, { method, headers: body === undefined ? { authorization: headers.authorization, ...extra } : { ...headers, ...extra }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await response.text();
      return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
    };
    const entry = async (body: string) => {
      const created = await api<{ id: number; version: number }>('POST', `/api/posts/${slug}/entries`, { body });
      expect(created.status).toBe(201);
      return created.json;
    };
    const log = async (id: number) => (await api<{ deliveries: Delivery[] }>('GET', `/api/webhooks/${id}/deliveries`)).json.deliveries;

    const post = await api<{ slug: string; version: number }>('POST', '/api/posts', { title: 'Crash keynote', status: 'live' });
    expect(post.status).toBe(201);
    const slug = post.json.slug;
    await receiver.start();
    const created = await api<{ webhook: { id: number }; secret: string }>('POST', '/api/webhooks', { url: receiver.url, post: slug });
    expect(created.status).toBe(201);
    receiver.secret = created.json.secret;
    const hookId = created.json.webhook.id;

    // Up: the first five arrive.
    for (let i = 1; i <= 5; i++) await entry(`up ${i}`);
    await until(() => receiver.received.length === 5, 'the first five deliveries', 30_000);
    // …and acknowledged: the server recorded the 2xx (taking the receiver down before that would
    // cut an answer in flight, and the change would rightly be sent again).
    await until(async () => (await log(hookId)).filter((row) => row.status === 'delivered').length === 5, 'five acknowledged deliveries', 30_000);

    // Down: connections refused. Changes keep coming, of every kind.
    await receiver.stop();
    const during = [];
    for (let i = 1; i <= 10; i++) during.push(await entry(`during the outage ${i}`));
    const edit = await api('PATCH', `/api/entries/${during[0]!.id}`, { body: 'during the outage 1, corrected' }, { 'if-match': String(during[0]!.version) });
    expect(edit.status).toBe(200);
    const removal = await api('DELETE', `/api/entries/${during[1]!.id}`, undefined, { 'if-match': String(during[1]!.version) });
    expect(removal.status).toBe(204);
    const patch = await api('PATCH', `/api/posts/${slug}`, { title: 'Crash keynote (updated)' }, { 'if-match': String(post.json.version) });
    expect(patch.status).toBe(200);
    // The head delivery has been retried a few times by now (as over 30 s at the default pace).
    await until(async () => ((await log(hookId)).find((row) => row.seq === 6)?.attempts ?? 0) >= 4, 'four failed attempts of seq 6', 30_000);
    expect((await log(hookId)).find((row) => row.seq === 6)).toMatchObject({ status: 'retrying', responseCode: null });

    // SIGKILL: no shutdown of any kind. Then the same database again (on a new port).
    server.child.kill('SIGKILL');
    await server.exited;
    server = await startServer(databasePath, ENV);
    base = server.url;
    const attemptsBefore = (await log(hookId)).find((row) => row.seq === 6)!.attempts;
    for (let i = 1; i <= 5; i++) await entry(`after the restart ${i}`);
    // Still down after the restart: the restarted server picks the retries up from SQLite.
    await until(async () => (await log(hookId)).find((row) => row.seq === 6)!.attempts >= attemptsBefore + 2, 'retries after the restart', 30_000);
    expect(receiver.requests).toBe(5);

    // Back, on the same address.
    await receiver.start(receiver.port);
    const lastSeq = (await api<{ lastSeq: number }>('GET', `/api/posts/${slug}/changes?since=0`)).json.lastSeq;
    expect(lastSeq).toBe(5 + 10 + 1 + 1 + 1 + 5);
    await until(() => receiver.seqs.at(-1) === lastSeq, `every change up to seq ${lastSeq}`, 30_000);

    const seqs = receiver.seqs;
    expect(seqs).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    expect(new Set(receiver.received.map((delivery) => delivery.id)).size).toBe(lastSeq);
    expect(receiver.requests).toBe(lastSeq);
    expect(receiver.received.filter((delivery) => !delivery.signatureValid)).toEqual([]);
    // What was sent after the outage is the log as readers get it now (redactions included).
    const rows = (await api<{ changes: Change[] }>('GET', `/api/posts/${slug}/changes?since=5`)).json.changes;
    expect(receiver.received.slice(5).map((delivery) => JSON.stringify(delivery.payload.data))).toEqual(rows.map((row) => JSON.stringify(row)));
    expect(receiver.received.map((delivery) => delivery.body).join('\n')).not.toContain('during the outage 2');
    const logged = await log(hookId);
    expect(logged.every((row) => row.status === 'delivered')).toBe(true);
    expect(logged.find((row) => row.seq === 6)!.attempts).toBeGreaterThanOrEqual(attemptsBefore + 3);
  }, 120_000);
});
