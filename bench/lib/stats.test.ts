import { describe, expect, it } from 'vitest';
import { account, detectSaturation, emptyDelivery, encodeHistogram, mergeDelivery, mergeEncoded, newHistogram, recordMs, split, summarize } from './stats.js';

describe('latency histograms', () => {
  it('merges histograms encoded by several generator processes into exact percentiles', () => {
    const first = newHistogram();
    const second = newHistogram();
    for (let ms = 1; ms <= 50; ms++) recordMs(first, ms);
    for (let ms = 51; ms <= 100; ms++) recordMs(second, ms);
    const summary = summarize(mergeEncoded([encodeHistogram(first), encodeHistogram(second)]));
    expect(summary.count).toBe(100);
    expect(summary.p50Ms).toBeCloseTo(50, 0);
    expect(summary.p99Ms).toBeCloseTo(99, 0);
    expect(summary.maxMs).toBeCloseTo(100, 0);
  });

  it('clamps negative latencies from clock jitter to zero instead of throwing', () => {
    const histogram = newHistogram();
    recordMs(histogram, -0.2);
    expect(summarize(histogram).maxMs).toBe(0);
  });
});

describe('delivery accounting', () => {
  const delivery = (perEntry: number[], extra: Partial<ReturnType<typeof emptyDelivery>> = {}) => ({
    ...emptyDelivery(perEntry.length),
    perEntry,
    delivered: perEntry.reduce((a, b) => a + b, 0),
    ...extra,
  });

  it('is complete only when every reader got every entry', () => {
    const merged = mergeDelivery([delivery([2, 2, 2]), delivery([1, 1, 1])], 3);
    expect(account(merged, 3, 3)).toMatchObject({ expected: 9, delivered: 9, ratio: 1, complete: true, incompleteEntries: [] });
  });

  it('names the entries some reader missed', () => {
    const merged = mergeDelivery([delivery([3, 2, 3])], 3);
    const result = account(merged, 3, 3);
    expect(result.complete).toBe(false);
    expect(result.incompleteEntries).toEqual([1]);
    expect(result.ratio).toBeCloseTo(8 / 9);
  });

  it('does not let duplicates or out-of-order deliveries pass as 100%', () => {
    expect(account(delivery([2, 2], { duplicates: 1 }), 2, 2).complete).toBe(false);
    expect(account(delivery([2, 2], { outOfOrder: 1 }), 2, 2).complete).toBe(false);
  });
});

describe('generator saturation', () => {
  const load = (cpuMs: number, loopDelayP99Ms = 5) => ({ cpuMs, wallMs: 1000, eventLoopUtilization: 0.5, loopDelayP99Ms, loopDelayMaxMs: loopDelayP99Ms });

  it('flags generators that used nearly all of their cores', () => {
    const result = detectSaturation([load(500), load(450)], 1);
    expect(result.saturated).toBe(true);
    expect(result.cpuShare).toBeCloseTo(0.95);
  });

  it('accepts the same CPU time spread over two cores', () => {
    expect(detectSaturation([load(500), load(450)], 2).saturated).toBe(false);
  });

  it('flags a generator whose event loop lagged', () => {
    const result = detectSaturation([load(100, 400)], 1);
    expect(result.saturated).toBe(true);
    expect(result.reasons.join()).toMatch(/event-loop delay/);
  });
});

describe('split', () => {
  it('shares readers over generators without losing any', () => {
    expect(split(10, 4)).toEqual([3, 3, 2, 2]);
    expect(split(20_000, 3).reduce((a, b) => a + b, 0)).toBe(20_000);
  });
});
