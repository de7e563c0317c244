import { cpuCount, type BenchConfig } from '../config.js';
import type { Generators } from '../lib/generators.js';
import type { Row } from '../lib/report.js';
import { account, detectSaturation, mergeDelivery, mergeEncoded, percentileCurve, summarize, type Delivery, type GeneratorLoad } from '../lib/stats.js';

export type Ctx = { cfg: BenchConfig; gens: Generators; log: (line: string) => void };

export type GenReport = {
  histogram: string;
  responseHistogram: string;
  joinHistogram: string;
  responseSamples: number[];
  delivery: Delivery;
  load: GeneratorLoad;
  httpRequests: number;
  connectAttempts: number;
  disconnects: number;
  sampleChange?: Record<string, unknown>;
  sampleBytes: number;
};

export type ConnectResult = { failed: number; errors: string[]; connected: number; doneAt: number };

/** Merges the generators' reports into latency, accounting and saturation for one row. */
export function merge(ctx: Ctx, reports: GenReport[], readers: number, entries: number) {
  const histogram = mergeEncoded(reports.map((report) => report.histogram));
  const delivery = mergeDelivery(reports.map((report) => report.delivery), entries);
  return {
    latency: summarize(histogram),
    curve: percentileCurve(histogram),
    accounting: account(delivery, readers, entries),
    saturation: detectSaturation(reports.map((report) => report.load), cpuCount(ctx.cfg.generatorCpus)),
    httpRequests: reports.reduce((sum, report) => sum + report.httpRequests, 0),
    connectAttempts: reports.reduce((sum, report) => sum + report.connectAttempts, 0),
    disconnects: reports.reduce((sum, report) => sum + report.disconnects, 0),
  };
}

export function connectFailures(results: ConnectResult[]): string | undefined {
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  return failed > 0 ? `${failed} readers failed to connect: ${results.flatMap((result) => result.errors).slice(0, 3).join('; ')}` : undefined;
}

/**
 * Runs a scenario's measurement against its server: a failure becomes the row's error, and the
 * generators are closed and the server stopped either way.
 */
export async function runAgainst(ctx: Ctx, row: Row, server: { stop(): Promise<void> }, measure: () => Promise<void>): Promise<Row> {
  try {
    await measure();
    await ctx.gens.all('close');
  } catch (error) {
    row.error = (error as Error).stack ?? String(error);
    await ctx.gens.all('close').catch(() => undefined);
  } finally {
    await server.stop();
  }
  return row;
}

/** Waits until the generators have seen `expected` deliveries, or until the deadline. */
export async function waitDelivered(ctx: Ctx, expected: number, deadline: number): Promise<number> {
  for (;;) {
    const statuses = await ctx.gens.all<{ delivered: number }>('status');
    const delivered = statuses.reduce((sum, status) => sum + status.delivered, 0);
    if (delivered >= expected || Date.now() > deadline) return delivered;
    await new Promise((done) => setTimeout(done, 250));
  }
}

/**
 * Runs `attempt` again (up to cfg.retries times) while its generators saturated; the last one is
 * kept, flagged as discarded. With `upperBound`, a saturated run is kept instead, marked as
 * generator-bound: in a scenario judged by how long a fixed amount of work took (a join storm),
 * slow generators lengthen the time measured; they pace the arrivals but cannot shrink the
 * server's share of the work, which the row reports as server CPU time beside it.
 */
export async function withRetries(ctx: Ctx, attempt: () => Promise<Row>, options: { upperBound?: boolean } = {}): Promise<Row> {
  let row = await attempt();
  for (let retry = 0; retry < ctx.cfg.retries && row.saturation?.saturated && !row.error; retry++) {
    ctx.log(`  generators saturated (${row.saturation.reasons.join('; ')}); retrying`);
    row = await attempt();
  }
  if (row.saturation?.saturated) {
    if (options.upperBound) row.notes.push(`generator-bound (${row.saturation.reasons.join('; ')}): the time measured is an upper bound`);
    else {
      row.discarded = true;
      row.notes.push(`discarded: ${row.saturation.reasons.join('; ')}`);
    }
  }
  return row;
}
