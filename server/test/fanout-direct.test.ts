import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hasRedis, useFanoutCluster } from './fanout-cluster.js';
import { DirectBroadcast } from '../realtime/wire/direct-broadcast.js';
import { PreSerialized } from '../realtime/wire/pre-serialized.js';
import { createPost, postEntry, until } from './helpers.js';
import type { Change } from '../../contract/index.js';

/**
 * A fan-out node delivers the primary's changes the way the primary delivers its own: framed once
 * and written straight to idle WebSocket readers (issue 20), not through the Redis adapter's
 * per-socket path. On the real stack (redis-server, a primary and a fan-out node in this process,
 * real socket.io-client readers on WebSocket, long-polling and upgrading), every reader still gets
 * every change exactly once and in order, retractions included, and a reader joining later is
 * replayed from the node's memory without the retracted text. (The send-buffer cap on this path:
 * socket-guards-fanout.test.ts.)
 */
if (!hasRedis && !process.env.CI) console.warn('fan-out direct-path tests skipped: install redis-server');

const stack = useFanoutCluster('fanout-direct');
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
  vi.restoreAllMocks();
});

type Reader = { name: string; socket: Socket; seqs: number[]; changes: Change[] };

async function reader(name: string, slug: string, transports: string[], since?: number): Promise<Reader> {
  const socket = connect(stack.fanoutUrl, { transports, reconnection: false, forceNew: true });
  sockets.push(socket);
  const seen: Reader = { name, socket, seqs: [], changes: [] };
  const take = (change: Change) => {
    seen.seqs.push(change.seq);
    seen.changes.push(change);
  };
  socket.on('change', take);
  socket.on('changes', (changes: Change[]) => changes.forEach(take));
  const ack = await socket.timeout(10_000).emitWithAck('subscribe', since === undefined ? { slug } : { slug, since, batch: true });
  expect(ack).toMatchObject({ ok: true });
  return seen;
}

/** How many readers the fan-out node's own deliveries (plain changes, not the primary's PreSerialized JSON) wrote directly. */
function fanoutDirectWrites(spy: { mock: { calls: unknown[][]; results: { type: string; value: unknown }[] } }): number {
  return spy.mock.calls.reduce<number>((sum, call, index) => {
    const result = spy.mock.results[index];
    return call[2] instanceof PreSerialized || result?.type !== 'return' ? sum : sum + Number(result.value);
  }, 0);
}

describe.skipIf(!hasRedis && !process.env.CI)("a fan-out node's framed-once delivery", () => {
  it('writes stream changes straight to WebSocket readers, and every reader on every transport gets each change once, in order, retractions included', async () => {
    const { slug } = await createPost(stack.primary, { title: 'Fan-out direct', status: 'live' });
    const emit = vi.spyOn(DirectBroadcast.prototype, 'emit');
    const all = await Promise.all([
      reader('websocket 1', slug, ['websocket']),
      reader('websocket 2', slug, ['websocket']),
      reader('polling', slug, ['polling']),
      reader('upgrading', slug, ['polling', 'websocket']),
    ]);

    const ids: number[] = [];
    for (let n = 1; n <= 24; n++) {
      const response = await postEntry(stack.primary, slug, `Entry ${n}`);
      expect(response.statusCode).toBe(201);
      ids.push((response.json() as { id: number }).id);
    }
    // A correction and a retraction: the same stream, the same path.
    const edited = await stack.primary.app.inject({ method: 'PATCH', url: `/api/entries/${ids[2]}`, headers: { ...stack.primary.auth('author'), 'if-match': '1' }, payload: { body: 'Entry 3, corrected' } });
    expect(edited.statusCode).toBe(200);
    const deleted = await stack.primary.app.inject({ method: 'DELETE', url: `/api/entries/${ids[4]}`, headers: { ...stack.primary.auth('editor'), 'if-match': '1' } });
    expect(deleted.statusCode).toBe(204);
    const expected = Array.from({ length: 26 }, (_, i) => i + 1);

    await until(() => all.every((r) => r.seqs.length >= expected.length), 'every reader on the fan-out node to get every change', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const r of all) expect({ reader: r.name, seqs: r.seqs }).toEqual({ reader: r.name, seqs: expected });
    expect(all[0]!.changes.at(-2)).toMatchObject({ type: 'entry.updated', entry: { body: 'Entry 3, corrected' } });
    expect(all[0]!.changes.at(-1)).toMatchObject({ type: 'entry.deleted' });
    // The WebSocket readers were written directly by the fan-out node (at least the two that start on it, for 26 changes).
    expect(fanoutDirectWrites(emit)).toBeGreaterThanOrEqual(2 * expected.length);

    // A reader joining later is replayed from the node's memory: the retracted and corrected-away text are gone.
    const late = await reader('late', slug, ['websocket'], 0);
    await until(() => late.seqs.length >= expected.length, 'the late reader to be replayed everything');
    expect(late.seqs).toEqual(expected);
    const replayed = JSON.stringify(late.changes);
    expect(replayed).not.toContain('Entry 5');
    expect(replayed).not.toContain('"Entry 3"');
    expect(late.changes[2]).toMatchObject({ type: 'entry.created', entry: { body: 'Entry 3, corrected' } });

    // And it gets the next change directly, once, like the others.
    expect((await postEntry(stack.primary, slug, 'After the late join')).statusCode).toBe(201);
    await until(() => [...all, late].every((r) => r.seqs.length >= expected.length + 1), 'the next change everywhere');
    for (const r of [...all, late]) expect(r.seqs.filter((seq) => seq === 27)).toHaveLength(1);
  }, 60_000);
});
