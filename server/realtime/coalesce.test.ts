import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../contract/index.js';
import { Metrics } from '../metrics/metrics.js';
import { testConfig } from '../test/helpers.js';
import { buildRealtimeNode } from './node.js';
import { Replay, type PostSource } from './source.js';

/**
 * A rejoining reader's writes leave together (coalesce.ts): the 101 with engine.io's open packet,
 * and the replay with the subscribe ack. Each flush of a server-side socket to the kernel is
 * recorded (Writable's `_write`/`_writev`, which run once per flush), so a join that went out
 * in more writes than promised fails, whatever the client's reads happen to merge.
 */

const SLUG = 'keynote';
const missed: Change[] = [1, 2, 3].map((seq) => {
  const at = new Date().toISOString();
  return { seq, type: 'entry.created', entry: { id: seq, postId: 1, body: `Missed ${seq}`, html: `<p>Missed ${seq}</p>`, author: null, createdAt: at, updatedAt: at, version: 1, keyEvent: false, pinned: false, edited: false } };
});
const shared = Replay.of(missed);
const source: PostSource = {
  find: (slug) => (slug === SLUG ? 1 : undefined),
  attach: (_slug, _postId, since, send, join) => (send(since !== undefined && since < 3 ? shared : Replay.empty), join(), 3),
  slugOf: () => SLUG,
};
const silent = { level: 'silent', fatal() {}, error() {}, warn() {}, info() {}, debug() {}, trace() {}, silent() {}, child: () => silent } as unknown as FastifyBaseLogger;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A node whose server-side sockets record each flush as text. */
async function start(): Promise<{ url: string; flushes: string[][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-coalesce-'));
  const httpServer = createServer();
  const flushes: string[][] = [];
  httpServer.on('connection', (socket: Socket) => {
    const mine: string[] = [];
    flushes.push(mine);
    type Flushing = { _write: (chunk: Buffer, encoding: string, cb: () => void) => void; _writev: (chunks: { chunk: Buffer }[], cb: () => void) => void };
    const flushing = socket as unknown as Flushing;
    const write = flushing._write.bind(socket);
    const writev = flushing._writev.bind(socket);
    flushing._write = (chunk, encoding, cb) => (mine.push(Buffer.from(chunk).toString('latin1')), write(chunk, encoding, cb));
    flushing._writev = (chunks, cb) => (mine.push(chunks.map(({ chunk }) => Buffer.from(chunk).toString('latin1')).join('')), writev(chunks, cb));
  });
  const node = buildRealtimeNode({ httpServer, config: testConfig(dir), role: 'primary', source, log: silent, metrics: new Metrics() });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await node.close();
    await new Promise((resolve) => httpServer.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  return { url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, flushes };
}

async function rejoin(url: string, since: number): Promise<string[]> {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  cleanups.push(() => void socket.close());
  const events: string[] = [];
  socket.on('changes', (changes: Change[]) => events.push(`changes ${changes.map((change) => change.seq).join(',')}`));
  const ack: unknown = await socket.timeout(10_000).emitWithAck('subscribe', { slug: SLUG, since, batch: true });
  events.push(`ack ${JSON.stringify(ack)}`);
  return events;
}

describe('a rejoining reader’s writes', () => {
  it('the 101 and the open packet leave in one write, the replay and the ack in another', async () => {
    const { url, flushes } = await start();
    expect(await rejoin(url, 0)).toEqual(['changes 1,2,3', 'ack {"ok":true,"lastSeq":3}']);
    const [flushed] = flushes;
    const handshake = flushed!.filter((text) => text.includes('101 Switching Protocols'));
    expect(handshake).toHaveLength(1);
    expect(handshake[0]).toContain('0{"sid":');
    const replay = flushed!.filter((text) => text.includes('["changes",'));
    expect(replay).toHaveLength(1);
    expect(replay[0]).toMatch(/43\d*\[\{"ok":true,"lastSeq":3\}\]/);
    // Nothing else: the Socket.IO connect packet is the answer to the client's own, in between.
    expect(flushed).toHaveLength(3);
  });

  it('a reader already up to date gets its ack alone, and nothing is held back', async () => {
    const { url, flushes } = await start();
    expect(await rejoin(url, 3)).toEqual(['ack {"ok":true,"lastSeq":3}']);
    expect(flushes[0]!.filter((text) => text.includes('["changes",'))).toHaveLength(0);
    expect(flushes[0]!.at(-1)).toMatch(/43\d*\[\{"ok":true,"lastSeq":3\}\]$/);
  });
});
