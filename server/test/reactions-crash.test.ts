import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cli, startServer, type ServerProcess } from './process-helpers.js';

/**
 * Reaction counts survive SIGKILL (issue 19): a real `liveline serve` takes reactions from many
 * concurrent readers and is killed at a random moment, three times. After each restart every
 * reaction that got its 200 is counted; reactions that got no answer are sent again by their
 * readers (as the page does when its button springs back) and, at the end, every reader is
 * counted exactly once.
 */
const READERS_AT_ONCE = 8;
const ROUNDS = 3;

let dir: string;
let db: string;
let editor: string;
let server: ServerProcess | undefined;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'liveline-reactions-crash-'));
  db = join(dir, 'liveline.db');
  editor = cli(db, ['token', 'create', '--name', 'Editor', '--role', 'editor']);
});
afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function react(url: string, entryId: number, reader: string): Promise<number> {
  const response = await fetch(`${url}/api/entries/${entryId}/reactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reader, reaction: 'clap' }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function claps(url: string, slug: string, entryId: number): Promise<number> {
  const counts = (await (await fetch(`${url}/api/posts/${slug}/reactions`)).json()) as { entries: { id: number; counts: { clap?: number } }[] };
  return counts.entries.find((entry) => entry.id === entryId)?.counts.clap ?? 0;
}

describe('reaction counts and SIGKILL', () => {
  it('keeps every acknowledged reaction through three SIGKILLs; retried ones count once', async () => {
    const env = { READER_WRITES_PER_MINUTE: '1000000' };
    server = await startServer(db, env);
    const created = await fetch(`${server.url}/api/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Reactions crash', slug: 'reactions-crash', status: 'live' }),
    });
    expect(created.status).toBe(201);
    const entry = (await (
      await fetch(`${server.url}/api/posts/reactions-crash/entries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'Applause, please' }),
      })
    ).json()) as { id: number };

    const acked = new Set<string>();
    const pending = new Set<string>();
    let next = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const url = server.url;
      const killAfter = 20 + Math.floor(Math.random() * 200);
      let ackedThisRound = 0;
      let killed = false;
      const victim = server;
      const readers = Array.from({ length: READERS_AT_ONCE }, async () => {
        for (;;) {
          const reader = `crash-reader-${String(next++).padStart(8, '0')}`;
          pending.add(reader);
          try {
            const status = await react(url, entry.id, reader);
            if (status !== 200) throw new Error(`unexpected ${status}`);
            pending.delete(reader);
            acked.add(reader);
            if (++ackedThisRound >= killAfter && !killed) {
              killed = true;
              setTimeout(() => victim.child.kill('SIGKILL'), Math.floor(Math.random() * 30));
            }
          } catch (error) {
            if (error instanceof Error && error.message.startsWith('unexpected')) throw error;
            return; // the server is gone
          }
        }
      });
      await Promise.all(readers);
      expect(await victim.exited).toMatchObject({ signal: 'SIGKILL' });

      server = await startServer(db, env);
      const counted = await claps(server.url, 'reactions-crash', entry.id);
      // Every acknowledged reaction is there; at most the unanswered ones in flight came on top.
      expect(counted).toBeGreaterThanOrEqual(acked.size);
      expect(counted).toBeLessThanOrEqual(acked.size + pending.size);
    }

    // The readers that got no answer try again: each is counted once, whether or not it was saved.
    for (const reader of pending) expect(await react(server.url, entry.id, reader)).toBe(200);
    expect(await claps(server.url, 'reactions-crash', entry.id)).toBe(acked.size + pending.size);
    expect(acked.size).toBeGreaterThanOrEqual(ROUNDS * 20);
    server.child.kill('SIGTERM');
    expect(await server.exited).toMatchObject({ code: 0 });
  }, 180_000);
});
