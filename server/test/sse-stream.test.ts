import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LiveChanges, type LiveChange } from '../syndication/live-changes.js';
import { ChangeStream, type StreamSource } from '../syndication/sse.js';
import { until } from './helpers.js';

/**
 * ChangeStream's ordering rule on its own, with a log and live changes the test controls: what a
 * fan-out node sees when Redis loses a change (a hole in the live changes) or when a change
 * arrives while the stream is still paging the log. Each seq goes out exactly once, in order.
 */

const change = (seq: number): LiveChange => ({ seq, json: `{"seq":${seq},"type":"entry.created","entry":{"id":${seq}}}` });

/** A change log the test appends to, served in pages of `pageSize`, each answer after `delayMs`. */
class FakeLog implements StreamSource {
  readonly rows: LiveChange[] = [];
  pages = 0;
  constructor(private readonly pageSize = 2, private readonly delayMs = 0) {}

  append(upTo: number): void {
    while (this.rows.length < upTo) this.rows.push(change(this.rows.length + 1));
  }

  async attach(_slug: string, _postId: number, since: number | undefined, send: (replay: { changes: LiveChange[] }) => void): Promise<number> {
    this.pages += 1;
    if (this.delayMs) await new Promise((done) => setTimeout(done, this.delayMs));
    const from = since ?? this.rows.length;
    send({ changes: this.rows.slice(from, from + this.pageSize) });
    return this.rows.length;
  }
}

function sink(): { response: ServerResponse; frames: () => number[] } {
  let text = '';
  const writable = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const frames = () => [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
  return { response: writable as unknown as ServerResponse, frames };
}

function stream(source: StreamSource, live: LiveChanges, since: number | undefined) {
  const { response, frames } = sink();
  const created = new ChangeStream({ slug: 'p', postId: 1, since, source, live, response, heartbeatMs: 60_000, maxBufferedBytes: 0 });
  return { created, frames };
}

describe('ChangeStream', () => {
  it('pages the log from Last-Event-ID, then sends live changes held meanwhile, each once', async () => {
    const log = new FakeLog(2, 20);
    const live = new LiveChanges();
    log.append(7);
    const { created, frames } = stream(log, live, 2);
    const started = created.start();
    // While it pages (slowly), two changes are committed and published live.
    log.append(9);
    live.deliver(1, 8, change(8).json);
    live.deliver(1, 9, change(9).json);
    await started;
    await until(() => frames().at(-1) === 9, 'seq 9');
    expect(frames()).toEqual([3, 4, 5, 6, 7, 8, 9]);
    live.deliver(1, 9, change(9).json);
    live.deliver(1, 10, change(10).json);
    expect(frames()).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    created.close();
  });

  it('fills a hole in the live changes from the log, and drops what it already sent', async () => {
    const log = new FakeLog(10);
    const live = new LiveChanges();
    log.append(3);
    const { created, frames } = stream(log, live, 0);
    await created.start();
    expect(frames()).toEqual([1, 2, 3]);
    // seq 4 and 5 never arrive live (lost on their way to this node); 6 does.
    log.append(6);
    live.deliver(1, 6, change(6).json);
    await until(() => frames().length === 6, 'the hole filled');
    expect(frames()).toEqual([1, 2, 3, 4, 5, 6]);
    live.deliver(1, 5, change(5).json);
    live.deliver(1, 7, change(7).json);
    expect(frames()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    created.close();
  });

  it('drops a client that stops reading once more than maxBufferedBytes wait for it', async () => {
    const log = new FakeLog();
    const live = new LiveChanges();
    // A client that never reads: nothing written ever leaves the buffer.
    const stalled = new Writable({ highWaterMark: 1024, write: () => {} });
    const created = new ChangeStream({ slug: 'p', postId: 1, since: undefined, source: log, live, response: stalled as unknown as ServerResponse, heartbeatMs: 60_000, maxBufferedBytes: 16 * 1024 });
    await created.start();
    const big = (seq: number): LiveChange => ({ seq, json: `{"seq":${seq},"type":"entry.created","entry":{"id":${seq},"body":"${'x'.repeat(4000)}"}}` });
    for (let seq = 1; seq <= 3; seq++) live.deliver(1, seq, big(seq).json);
    expect(stalled.destroyed).toBe(false);
    for (let seq = 4; seq <= 6; seq++) live.deliver(1, seq, big(seq).json);
    expect(stalled.destroyed).toBe(true);
    await until(() => !live.followed(1), 'the stream to stop listening');
  });

  it('starts at the end of the log without a seq, and stops listening when closed', async () => {
    const log = new FakeLog();
    const live = new LiveChanges();
    log.append(5);
    const { created, frames } = stream(log, live, undefined);
    await created.start();
    expect(created.sentUpTo).toBe(5);
    live.deliver(1, 6, change(6).json);
    expect(frames()).toEqual([6]);
    created.close();
    expect(live.followed(1)).toBe(false);
  });
});
