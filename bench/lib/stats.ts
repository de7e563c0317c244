import * as hdr from 'hdr-histogram-js';

/**
 * Pure helpers shared by the generators and the orchestrator: latency histograms (microsecond
 * resolution, merged across processes), delivery accounting and generator-saturation checks.
 */

/** Wall-clock milliseconds comparable across processes on this machine (one system clock). */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  // Pure-JS histogram: no WebAssembly start-up in every generator; up to ~1 hour in µs.
  return hdr.build({ bitBucketSize: 64, autoResize: true, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

/** Records a latency in milliseconds (negative clock jitter is clamped to 0). */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.max(0, Math.round(ms * 1000)));
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function mergeEncoded(encoded: readonly string[]): Histogram {
  const merged = newHistogram();
  for (const item of encoded) merged.add(hdr.decodeFromCompressedBase64(item, 64, false));
  return merged;
}

export type LatencySummary = { count: number; p50Ms: number; p90Ms: number; p99Ms: number; p999Ms: number; maxMs: number; meanMs: number };

export function summarize(histogram: Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    count: histogram.totalCount,
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p90Ms: ms(histogram.getValueAtPercentile(90)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
    meanMs: ms(histogram.mean),
  };
}

/** Points of the percentile curve, for the SVG: [percentile, latency ms]. */
export function percentileCurve(histogram: Histogram, percentiles: readonly number[] = CURVE_PERCENTILES): [number, number][] {
  if (histogram.totalCount === 0) return [];
  return percentiles.map((p) => [p, histogram.getValueAtPercentile(p) / 1000]);
}

export const CURVE_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];

/** Per-process delivery counters, merged by the orchestrator. */
export type Delivery = { delivered: number; duplicates: number; outOfOrder: number; perEntry: number[] };

export function emptyDelivery(entries: number): Delivery {
  return { delivered: 0, duplicates: 0, outOfOrder: 0, perEntry: new Array<number>(entries).fill(0) };
}

export function mergeDelivery(parts: readonly Delivery[], entries: number): Delivery {
  const total = emptyDelivery(entries);
  for (const part of parts) {
    total.delivered += part.delivered;
    total.duplicates += part.duplicates;
    total.outOfOrder += part.outOfOrder;
    part.perEntry.forEach((count, index) => {
      if (index < entries) total.perEntry[index] = (total.perEntry[index] ?? 0) + count;
    });
  }
  return total;
}

export type Accounting = {
  expected: number;
  delivered: number;
  ratio: number;
  complete: boolean;
  duplicates: number;
  outOfOrder: number;
  /** Entries (by index) that some reader did not get. */
  incompleteEntries: number[];
};

/**
 * 100% means every reader got every entry exactly once and in order: duplicates and
 * out-of-order deliveries make a run incomplete even when the count adds up.
 */
export function account(delivery: Delivery, readers: number, entries: number): Accounting {
  const expected = readers * entries;
  const incompleteEntries: number[] = [];
  for (let index = 0; index < entries; index++) if ((delivery.perEntry[index] ?? 0) < readers) incompleteEntries.push(index);
  return {
    expected,
    delivered: delivery.delivered,
    ratio: expected === 0 ? 1 : delivery.delivered / expected,
    complete: delivery.delivered === expected && delivery.duplicates === 0 && delivery.outOfOrder === 0 && incompleteEntries.length === 0,
    duplicates: delivery.duplicates,
    outOfOrder: delivery.outOfOrder,
    incompleteEntries,
  };
}

/** What each generator process says about itself over a measurement window. */
export type GeneratorLoad = { cpuMs: number; wallMs: number; eventLoopUtilization: number; loopDelayP99Ms: number; loopDelayMaxMs: number };

export type SaturationLimits = { maxCpuShare: number; maxLoopDelayP99Ms: number };

export const DEFAULT_SATURATION: SaturationLimits = { maxCpuShare: 0.9, maxLoopDelayP99Ms: 250 };

export type Saturation = { saturated: boolean; cpuShare: number; worstLoopDelayP99Ms: number; reasons: string[] };

/**
 * A run whose load generators ran out of CPU measures the generators, not the server.
 * cpuShare is the generators' CPU time over the wall time of the cores they were pinned to.
 */
export function detectSaturation(loads: readonly GeneratorLoad[], generatorCores: number, limits: SaturationLimits = DEFAULT_SATURATION): Saturation {
  const wallMs = Math.max(1, ...loads.map((load) => load.wallMs));
  const cpuMs = loads.reduce((sum, load) => sum + load.cpuMs, 0);
  const cpuShare = cpuMs / (wallMs * Math.max(1, generatorCores));
  const worstLoopDelayP99Ms = Math.max(0, ...loads.map((load) => load.loopDelayP99Ms));
  const reasons: string[] = [];
  if (cpuShare > limits.maxCpuShare) reasons.push(`generators used ${(cpuShare * 100).toFixed(0)}% of their cores (limit ${(limits.maxCpuShare * 100).toFixed(0)}%)`);
  if (worstLoopDelayP99Ms > limits.maxLoopDelayP99Ms) reasons.push(`generator event-loop delay p99 ${worstLoopDelayP99Ms.toFixed(0)} ms (limit ${limits.maxLoopDelayP99Ms} ms)`);
  return { saturated: reasons.length > 0, cpuShare, worstLoopDelayP99Ms, reasons };
}

/** Ratio of two figures, rounded for reports; undefined when the base is not positive. */
export function ratio(value: number, base: number): number | undefined {
  return base > 0 ? Math.round((value / base) * 100) / 100 : undefined;
}

/** Splits `total` items over `parts` as evenly as possible (first parts get the remainder). */
export function split(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, index) => base + (index < total % parts ? 1 : 0));
}
