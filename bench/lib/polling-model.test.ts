import { describe, expect, it } from 'vitest';
import { modelPolling } from './polling-model.js';
import { summarize } from './stats.js';

describe('polling model', () => {
  it('spreads latency uniformly over the interval, plus the response time', () => {
    const { histogram, requestsPerSecond } = modelPolling({ readers: 20_000, intervalMs: 10_000, sentMs: [0], committedMs: [0], responseMs: [5] });
    const summary = summarize(histogram);
    expect(requestsPerSecond).toBe(2000);
    expect(summary.p50Ms).toBeGreaterThan(4_800);
    expect(summary.p50Ms).toBeLessThan(5_200);
    expect(summary.p99Ms).toBeGreaterThan(9_800);
    expect(summary.maxMs).toBeLessThanOrEqual(10_006);
    expect(summary.count).toBe(20_000);
  });

  it('counts latency from the POST being sent, so slow commits add to it', () => {
    const fast = summarize(modelPolling({ readers: 5000, intervalMs: 3000, sentMs: [0], committedMs: [0], responseMs: [0] }).histogram);
    const slow = summarize(modelPolling({ readers: 5000, intervalMs: 3000, sentMs: [0], committedMs: [1000], responseMs: [0] }).histogram);
    expect(slow.p50Ms).toBeGreaterThan(fast.p50Ms + 800);
  });

  it('is reproducible for a seed', () => {
    const input = { readers: 100, intervalMs: 3000, sentMs: [0, 200], committedMs: [10, 210], responseMs: [3, 4, 5], seed: 42 };
    expect(summarize(modelPolling(input).histogram)).toEqual(summarize(modelPolling(input).histogram));
  });
});
