import { describe, expect, it } from 'vitest';
import { crowdWindowMs, reconnectDelay, RECONNECT_DEFAULTS } from '../../client/reconnect.js';

/** The reader page's reconnection policy, which the bench's readers share (gen/main.ts). */
describe('reconnection delay', () => {
  it('full jitter after the hold: attempt n waits between 0 and min(cap, base × 2^n), spread evenly', () => {
    expect(reconnectDelay(0, RECONNECT_DEFAULTS, () => 0)).toBe(0);
    expect(reconnectDelay(0, RECONNECT_DEFAULTS, () => 0.999)).toBe(999);
    expect(reconnectDelay(1, RECONNECT_DEFAULTS, () => 0.5)).toBe(1000);
    expect(reconnectDelay(2, RECONNECT_DEFAULTS, () => 0.999)).toBe(3996);
    // Capped at 5 s however long the server stays away.
    expect(reconnectDelay(40, RECONNECT_DEFAULTS, () => 0.999)).toBe(4995);
    // A herd's first retries fill the first second evenly: each tenth of it gets about a tenth of them.
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(reconnectDelay(0) / 100)]!++;
    for (const count of buckets) expect(count).toBeGreaterThan(800);
  });

  it('holds the window at 1 s for the first 10 s after the loss, then widens it', () => {
    // A restart keeps the server away ~2 s: a reader on its 4th try must not wait up to 5 s.
    expect(reconnectDelay(3, RECONNECT_DEFAULTS, () => 0.999, 2_500)).toBe(999);
    expect(reconnectDelay(12, RECONNECT_DEFAULTS, () => 0.999, 9_999)).toBe(999);
    expect(reconnectDelay(12, RECONNECT_DEFAULTS, () => 0.999, 10_000)).toBe(4995);
    expect(reconnectDelay(1, RECONNECT_DEFAULTS, () => 0.999, 10_000)).toBe(1998);
    // Without a hold (refused on purpose, polling answers): the window doubles from the first retry.
    expect(reconnectDelay(3, { ...RECONNECT_DEFAULTS, capMs: 60_000, holdMs: 0 }, () => 0.999, 0)).toBe(7992);
  });

  it('sizes the held window to the crowd: 1 s for a small one, 0.3 ms a reader beyond, 5 s at most', () => {
    expect(crowdWindowMs(undefined)).toBe(1000);
    expect(crowdWindowMs(200)).toBe(1000);
    expect(crowdWindowMs(10_000)).toBe(3000);
    expect(crowdWindowMs(1_000_000)).toBe(5000);
    // 10,000 readers of a restarted server knock over 3 s, about as fast as one core takes them.
    const window = crowdWindowMs(10_000);
    expect(reconnectDelay(4, RECONNECT_DEFAULTS, () => 0.999, 2_000, window)).toBe(2997);
    const buckets = new Array<number>(3).fill(0);
    for (let i = 0; i < 9_000; i++) buckets[Math.floor(reconnectDelay(4, RECONNECT_DEFAULTS, Math.random, 2_000, window) / 1000)]!++;
    for (const count of buckets) expect(count).toBeGreaterThan(2_700);
    // After the hold the usual widening windows take over, whatever the crowd.
    expect(reconnectDelay(1, RECONNECT_DEFAULTS, () => 0.999, 10_000, window)).toBe(1998);
  });

  it("without jitter, socket.io-client's backoff: ±50% around 1 s, 2 s, 4 s, capped at 5 s, never held", () => {
    const fixed = { ...RECONNECT_DEFAULTS, jitter: false };
    expect(reconnectDelay(0, fixed, () => 0)).toBe(500);
    expect(reconnectDelay(0, fixed, () => 0.999)).toBe(1499);
    expect(reconnectDelay(3, fixed, () => 0)).toBe(4000);
    expect(reconnectDelay(3, fixed, () => 0.999)).toBe(5000);
    expect(reconnectDelay(3, fixed, () => 0, 1_000)).toBe(4000);
  });
});
