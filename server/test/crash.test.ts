import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, startServer, type ServerProcess } from './process-helpers.js';
import type { Change } from '../../contract/index.js';

/**
 * Crash test: a real `liveline serve` process takes a burst of entries from several concurrent
 * authors and is killed with SIGKILL at a random moment, five times in a row. After each restart,
 * every entry whose POST got a 2xx is there exactly once, `seq` is contiguous, requests that got no
 * answer are retried with their Idempotency-Key (and land exactly once), and readers converge.
 */
const AUTHORS = 4;
const ROUNDS = 5;

type Sent = { key: string; body: string; author: number };

let dir: string;
let db: string;
let tokens: string[];
let editor: string;
let server: ServerProcess | undefined;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'liveline-crash-'));
  db = join(dir, 'liveline.db');
  editor = cli(db, ['token', 'create', '--name', 'Editor', '--role', 'editor']);
  tokens = Array.from({ length: AUTHORS }, (_, i) => cli(db, ['token', 'create', '--name', `Author ${i}`, '--role', 'author']));
});
afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, token: string, sent: Sent): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/api/posts/crash-test/entries`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': sent.key, 'content-type': 'application/json' },
    body: JSON.stringify({ body: sent.body }),
  });
  return { status: response.status, text: await response.text() };
}

async function allChanges(url: string): Promise<{ changes: Change[]; lastSeq: number }> {
  const changes: Change[] = [];
  let since = 0;
  let lastSeq = 0;
  for (;;) {
    const page = (await (await fetch(`${url}/api/posts/crash-test/changes?since=${since}&limit=1000`)).json()) as { changes: Change[]; lastSeq: number };
    changes.push(...page.changes);
    lastSeq = page.lastSeq;
    if (page.changes.length === 0 || since === lastSeq) break;
    since = page.changes[page.changes.length - 1]!.seq;
    if (since >= lastSeq) break;
  }
  return { changes, lastSeq };
}

/** What a reader that applies changes by seq ends up showing: id → body. */
function replay(changes: Change[]): Map<number, string> {
  const shown = new Map<number, string>();
  for (const change of changes) {
    if (change.type === 'entry.created' || change.type === 'entry.updated') shown.set(change.entry.id, change.entry.body);
    if (change.type === 'entry.deleted') shown.delete(change.entry.id);
  }
  return shown;
}

async function verify(url: string, acked: Set<string>, sentByKey: Map<string, Sent>): Promise<void> {
  const { changes, lastSeq } = await allChanges(url);
  expect(changes.map((change) => change.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));

  const bodies = [...replay(changes).values()];
  for (const key of acked) expect(bodies.filter((body) => body === sentByKey.get(key)!.body), key).toHaveLength(1);
  expect(bodies).toHaveLength(acked.size);

  // The reader page shows the latest entries, the same ones the API has (newest first, issue 15).
  const api = (await (await fetch(`${url}/api/posts/crash-test`)).json()) as { entries: { id: number }[]; lastSeq: number };
  expect(api.lastSeq).toBe(lastSeq);
  const page = await (await fetch(`${url}/posts/crash-test`)).text();
  expect([...page.matchAll(/data-entry-id="(\d+)"/g)].map((m) => Number(m[1]))).toEqual(api.entries.map((entry) => entry.id).reverse());

  // A live reader resuming from any point converges on the same lastSeq.
  const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    const ack = (await socket.timeout(10_000).emitWithAck('subscribe', { slug: 'crash-test', since: Math.max(0, lastSeq - 5) })) as { ok: boolean; lastSeq: number };
    expect(ack).toEqual({ ok: true, lastSeq });
  } finally {
    socket.close();
  }
}

describe('crash safety', () => {
  it('survives SIGKILL at a random moment five times: acknowledged entries exactly once, seq contiguous', async () => {
    const acked = new Set<string>();
    const pending = new Map<string, Sent>(); // sent, no answer: retried after the restart
    const sentByKey = new Map<string, Sent>();

    server = await startServer(db);
    const created = await fetch(`${server.url}/api/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Crash test', slug: 'crash-test', status: 'live' }),
    });
    expect(created.status).toBe(201);

    for (let round = 1; round <= ROUNDS; round++) {
      const url = server.url;
      // Retry what got no answer before the crash: same key, same body.
      for (const sent of [...pending.values()]) {
        const { status } = await post(url, tokens[sent.author]!, sent);
        expect([200, 201]).toContain(status);
        pending.delete(sent.key);
        acked.add(sent.key);
      }
      await verify(url, acked, sentByKey);

      // Burst: every author posts as fast as it can until the process dies.
      const killAfter = 3 + Math.floor(Math.random() * 25);
      let ackedThisRound = 0;
      let killed = false;
      const victim = server;
      const kill = () => {
        if (killed) return;
        killed = true;
        setTimeout(() => victim.child.kill('SIGKILL'), Math.floor(Math.random() * 30));
      };
      const authors = Array.from({ length: AUTHORS }, async (_, author) => {
        for (let i = 0; ; i++) {
          const sent: Sent = { key: randomUUID(), body: `round ${round} author ${author} entry ${i}`, author };
          sentByKey.set(sent.key, sent);
          pending.set(sent.key, sent);
          try {
            const { status, text } = await post(url, tokens[author]!, sent);
            if (status === 422 && text.includes('took too long')) {
              // The render budget (1 s, queue included) can run out on a loaded machine; the server
              // said "not saved", so it is neither acknowledged nor pending. verify() proves it is absent.
              pending.delete(sent.key);
              continue;
            }
            if (status !== 201) throw new Error(`unexpected ${status} for ${sent.body}: ${text}`);
            pending.delete(sent.key);
            acked.add(sent.key);
            if (++ackedThisRound >= killAfter) kill();
          } catch (error) {
            if (error instanceof Error && error.message.startsWith('unexpected')) throw error;
            return; // connection refused/reset: the server is gone
          }
        }
      });
      await Promise.all(authors);
      expect(await victim.exited).toMatchObject({ signal: 'SIGKILL' });

      server = await startServer(db);
    }

    for (const sent of [...pending.values()]) {
      expect([200, 201]).toContain((await post(server.url, tokens[sent.author]!, sent)).status);
      pending.delete(sent.key);
      acked.add(sent.key);
    }
    await verify(server.url, acked, sentByKey);
    expect(acked.size).toBeGreaterThanOrEqual(ROUNDS * 3);
    server.child.kill('SIGTERM');
    expect(await server.exited).toMatchObject({ code: 0 });
  }, 240_000);
});
