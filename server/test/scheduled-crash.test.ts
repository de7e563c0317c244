import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change, Entry } from '../../contract/index.js';
import { assertBuilt, cli, startServer, type ServerProcess } from './process-helpers.js';

/**
 * Scheduled entries survive the server (issue 17): a real `liveline serve` takes an entry
 * scheduled 5 s ahead and is killed with SIGKILL at once. Restarted before its time, it publishes
 * the entry once, within a second of that time; restarted after its time, it publishes it at
 * start-up, once. The schedule is in the database, not in a timer that died with the process.
 */

let dir: string;
let db: string;
let editor: string;
let server: ServerProcess | undefined;

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'liveline-schedule-'));
  db = join(dir, 'liveline.db');
  editor = cli(db, ['token', 'create', '--name', 'Editor', '--role', 'editor']);
});
afterAll(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function api(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${server!.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${editor}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

async function createdEntries(slug: string): Promise<Entry[]> {
  const { changes } = (await (await fetch(`${server!.url}/api/posts/${slug}/changes?since=0`)).json()) as { changes: Change[] };
  return changes.flatMap((change) => (change.type === 'entry.created' ? [change.entry] : []));
}

async function kill(): Promise<void> {
  server!.child.kill('SIGKILL');
  expect((await server!.exited).signal).toBe('SIGKILL');
  server = undefined;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function schedule(slug: string, body: string, aheadMs: number): Promise<number> {
  expect((await api('/api/posts', { method: 'POST', body: { title: slug, slug, status: 'live' } })).status).toBe(201);
  const publishAt = new Date(Date.now() + aheadMs);
  // With a headline and a tag: the restarted timer publishes them with the entry (issue 17, drafts carry the entry fields).
  const response = await api(`/api/posts/${slug}/entries`, { method: 'POST', body: { body, state: 'scheduled', publishAt: publishAt.toISOString(), headline: `${body}: the headline`, tags: ['embargo'] } });
  expect(response.status).toBe(201);
  return publishAt.getTime();
}

describe('a scheduled entry and a SIGKILL', () => {
  it('restarted before its time: published once, within a second of its time', async () => {
    server = await startServer(db);
    const at = await schedule('embargo', 'Embargo lifts', 5000);
    await kill();
    server = await startServer(db);
    expect(Date.now()).toBeLessThan(at);
    const [entry] = await waitFor('the scheduled entry', async () => {
      const created = await createdEntries('embargo');
      return created.length > 0 ? created : undefined;
    });
    const publishedAt = Date.parse(entry!.updatedAt);
    expect(entry).toMatchObject({ body: 'Embargo lifts', createdAt: new Date(at).toISOString(), author: { name: 'Editor' }, headline: 'Embargo lifts: the headline', tags: ['embargo'] });
    expect(publishedAt).toBeGreaterThanOrEqual(at);
    expect(publishedAt - at).toBeLessThan(1000);
    // Once: the next restart publishes nothing more.
    await kill();
    server = await startServer(db);
    expect(await createdEntries('embargo')).toHaveLength(1);
  });

  it('restarted after its time: published at start-up, once', async () => {
    const at = await schedule('late', 'Published at start-up', 1000);
    await kill();
    await waitFor('its time to pass', async () => (Date.now() > at + 200 ? true : undefined));
    server = await startServer(db);
    const created = await waitFor('the late entry', async () => {
      const entries = await createdEntries('late');
      return entries.length > 0 ? entries : undefined;
    });
    expect(created.map((entry) => [entry.body, entry.headline])).toEqual([['Published at start-up', 'Published at start-up: the headline']]);
    await kill();
    server = await startServer(db);
    expect(await createdEntries('late')).toHaveLength(1);
  });
});
