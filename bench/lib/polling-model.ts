import { newHistogram, recordMs, type Histogram } from './stats.js';

/**
 * Polling latency without running N pollers: reader r polls at phase_r + j·interval (phase uniform
 * in [0, interval), like the real pollers); entry k, committed at commitMs[k], is seen by the
 * first poll that starts at or after the commit and arrives one response time later. The model is
 * checked against a real polling run at a smaller N in the same benchmark run (see README).
 */
export type PollingModelInput = {
  readers: number;
  intervalMs: number;
  /** When each entry's POST was sent (latency is measured from there), ms from any origin. */
  sentMs: readonly number[];
  /** When each entry was committed (POST response received), same origin. */
  committedMs: readonly number[];
  /** Measured response times of real polls, sampled at random. */
  responseMs: readonly number[];
  seed?: number;
};

export type PollingModel = { histogram: Histogram; requestsPerSecond: number };

export function modelPolling(input: PollingModelInput): PollingModel {
  const random = mulberry32(input.seed ?? 7);
  const histogram = newHistogram();
  const responses = input.responseMs.length > 0 ? input.responseMs : [0];
  const origin = Math.min(...input.sentMs);
  for (let reader = 0; reader < input.readers; reader++) {
    const phase = origin + random() * input.intervalMs;
    input.committedMs.forEach((committed, index) => {
      const polls = Math.max(0, Math.ceil((committed - phase) / input.intervalMs));
      const pollStart = phase + polls * input.intervalMs;
      const response = responses[Math.floor(random() * responses.length)] ?? 0;
      recordMs(histogram, pollStart + response - (input.sentMs[index] ?? committed));
    });
  }
  return { histogram, requestsPerSecond: (input.readers * 1000) / input.intervalMs };
}

/** Small seeded PRNG so a model is reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
