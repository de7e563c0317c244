import { describe, expect, it } from 'vitest';
import type { ChangesPage, PrimaryClient } from './primary-client.js';
import { RemotePostSource } from './remote-source.js';
import { Replay, SOCKET_REPLAY_LIMIT } from './source.js';
import type { Change } from '../../contract/index.js';

function change(seq: number): Change {
  return {
    seq,
    type: 'entry.created',
    entry: { id: seq, postId: 7, body: `#${seq}`, html: '', author: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1, keyEvent: false, pinned: false },
  } as unknown as Change;
}

/** A primary whose answers the test releases by hand, to interleave stream deliveries with them. */
function fakePrimary(log: Change[]) {
  const waiting: (() => void)[] = [];
  const requests: string[] = [];
  const primary = {
    postId: async () => 7,
    changes: (_slug: string, since: number, limit: number) => {
      requests.push(`${since}/${limit}`);
      const snapshot: ChangesPage = { changes: log.filter((c) => c.seq > since).slice(0, limit), lastSeq: log.length };
      return new Promise<ChangesPage>((done) => waiting.push(() => done(snapshot)));
    },
  } as unknown as PrimaryClient;
  return { primary, requests, release: () => waiting.splice(0).forEach((go) => go()) };
}

function joiner() {
  const sent: number[] = [];
  let joined = false;
  return { sent, joinedRef: () => joined, send: (replay: Replay) => sent.push(...replay.seqs), join: () => void (joined = true) };
}

describe('RemotePostSource (a fan-out node without a database)', () => {
  it('replays changes the stream brought while the primary was answering, with no gap and no double', async () => {
    const log = [1, 2, 3].map(change);
    const { primary, release } = fakePrimary(log);
    const room: number[] = [];
    const source = new RemotePostSource(primary, (_id, c) => room.push(c.seq), () => true);
    const reader = joiner();

    const attached = source.attach('keynote', 7, 1, reader.send, reader.join);
    await Promise.resolve();
    // Seq 4 is committed and streamed after the primary took its snapshot (1..3), before the join.
    expect(source.observe(7, change(4))).toBe(true);
    expect(reader.joinedRef()).toBe(false);
    release();
    const lastSeq = await attached;

    expect(reader.joinedRef()).toBe(true);
    expect(reader.sent).toEqual([2, 3, 4]);
    expect(lastSeq).toBe(4);
    // The stream repeating a change the node already has is dropped.
    expect(source.observe(7, change(4))).toBe(false);
  });

  it('serves a known post from memory while the stream flows, and asks the primary again once it stalls', async () => {
    const log = [1, 2].map(change);
    const { primary, requests, release } = fakePrimary(log);
    let flowing = true;
    const source = new RemotePostSource(primary, () => {}, () => flowing);
    const first = joiner();
    const pending = source.attach('keynote', 7, 0, first.send, first.join);
    release();
    await pending;
    expect(requests).toHaveLength(1);

    source.observe(7, change(3));
    const second = joiner();
    expect(await source.attach('keynote', 7, 1, second.send, second.join)).toBe(3);
    expect(second.sent).toEqual([2, 3]);
    expect(requests).toHaveLength(1);

    flowing = false;
    log.push(change(3), change(4));
    const third = joiner();
    const stalled = source.attach('keynote', 7, 3, third.send, third.join);
    release();
    expect(await stalled).toBe(4);
    expect(third.sent).toEqual([4]);
    expect(requests).toEqual([`0/${SOCKET_REPLAY_LIMIT}`, `3/${SOCKET_REPLAY_LIMIT}`]);
  });

  it('catches a post up over HTTP and delivers each missing change to the room once', async () => {
    const log = [1].map(change);
    const { primary, release } = fakePrimary(log);
    const room: number[] = [];
    const source = new RemotePostSource(primary, (_id, c) => room.push(c.seq), () => false);
    const reader = joiner();
    const pending = source.attach('keynote', 7, 1, reader.send, reader.join);
    release();
    await pending;

    log.push(change(2), change(3));
    const first = source.refresh(7);
    const second = source.refresh(7); // coalesced with the first
    release();
    await Promise.all([first, second]);
    expect(room).toEqual([2, 3]);
    expect(source.observe(7, change(3))).toBe(false);
    expect(source.observe(7, change(4))).toBe(true);
  });
});

describe('RemotePostSource look-ups', () => {
  it('caches found posts for good and unknown slugs for a moment', async () => {
    let asked = 0;
    const primary = { postId: async (slug: string) => (asked++, slug === 'keynote' ? 7 : undefined) } as unknown as PrimaryClient;
    const source = new RemotePostSource(primary, () => {}, () => true);
    expect(await source.find('keynote')).toBe(7);
    expect(await source.find('keynote')).toBe(7);
    expect(await source.find('nope')).toBeUndefined();
    expect(await source.find('nope')).toBeUndefined();
    expect(asked).toBe(2);
  });

  it('asks again at once for a post that just became public (a draft gone live), instead of waiting out the miss', async () => {
    let visible = false;
    const primary = { postId: async (slug: string) => (slug === 'secret-launch' && visible ? 9 : undefined) } as unknown as PrimaryClient;
    const source = new RemotePostSource(primary, () => {}, () => true);
    expect(await source.find('secret-launch')).toBeUndefined();
    // The editor sets it live: the primary knows it, and its post.updated comes down the stream.
    visible = true;
    expect(await source.find('secret-launch')).toBeUndefined();
    source.observe(9, { seq: 3, type: 'post.updated', post: { id: 9, slug: 'secret-launch', status: 'live' } } as unknown as Change);
    expect(await source.find('secret-launch')).toBe(9);
  });
});

describe('RemotePostSource memory', () => {
  it('forgets a post nobody has read for ten minutes, and asks the primary again if someone comes back', async () => {
    const log = [1, 2].map(change);
    const { primary, requests, release } = fakePrimary(log);
    const source = new RemotePostSource(primary, () => {}, () => true);
    const first = joiner();
    const pending = source.attach('keynote', 7, 0, first.send, first.join);
    release();
    await pending;
    const start = Date.now();
    source.sweep([7], start);
    source.sweep([], start + 5 * 60 * 1000);
    expect(source.known().has(7)).toBe(true);
    source.sweep([], start + 11 * 60 * 1000);
    expect(source.known().has(7)).toBe(false);

    const again = joiner();
    const back = source.attach('keynote', 7, 2, again.send, again.join);
    release();
    expect(await back).toBe(2);
    expect(requests).toEqual([`0/${SOCKET_REPLAY_LIMIT}`, `2/${SOCKET_REPLAY_LIMIT}`]);
  });
});
