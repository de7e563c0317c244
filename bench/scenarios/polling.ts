import { postEntries } from '../lib/author.js';
import { modelPolling } from '../lib/polling-model.js';
import type { Row } from '../lib/report.js';
import { LivelineServer } from '../lib/server.js';
import { percentileCurve, ratio, summarize } from '../lib/stats.js';
import { lastSeq } from './fanout.js';
import { merge, runAgainst, withRetries, type Ctx, type GenReport } from './context.js';

/**
 * Baseline (b): readers that poll `GET /api/posts/:slug/changes?since=` every `intervalMs`, each from
 * a random phase. A real run at cfg.pollRealReaders, then the model (fed with that run's commit
 * times and response times) at the same N to show they agree, and at every fan-out N.
 */
export async function polling(ctx: Ctx, intervalMs: number): Promise<Row[]> {
  const { cfg, gens } = ctx;
  const readers = cfg.pollRealReaders;
  const label = `polling every ${intervalMs / 1000} s`;
  let model: { sentMs: number[]; committedMs: number[]; responseMs: number[] } | undefined;
  const real = await withRetries(ctx, async () => {
    const server = await LivelineServer.start(cfg.serverCpus);
    const row: Row = { scenario: 'fanout', variant: label, readers, metrics: {}, notes: [] };
    return runAgainst(ctx, row, server, async () => {
      const post = await server.createPost(`Polling ${intervalMs}`);
      await gens.all('setup', { url: server.url, slug: post.slug });
      const baseSeq = await lastSeq(server.url, post.slug);
      const targetSeq = baseSeq + cfg.entries;
      const postingMs = (cfg.entries / cfg.entriesPerSecond) * 1000;
      const deadline = Date.now() + postingMs + 2 * intervalMs + cfg.settleMs;
      await gens.all('measure-start', { entries: cfg.entries, baseSeq });
      const cpuBefore = await server.cpuMs();
      const shares = gens.share(readers);
      await gens.all('poll-start', (index) => ({ count: shares[index], addresses: gens.addresses[index], intervalMs, targetSeq, deadline: performance.timeOrigin + performance.now() + (deadline - Date.now()) }));
      const started = Date.now();
      // Let the pollers settle into their phases before the first entry.
      await new Promise((done) => setTimeout(done, intervalMs));
      const posted = await postEntries(server, post.slug, cfg.entries, { perSecond: cfg.entriesPerSecond });
      if (posted.failures.length) row.notes.push(`${posted.failures.length} POSTs failed`);
      const waits = await gens.all<{ unfinished: number }>('poll-wait', {}, deadline - Date.now() + 60_000);
      const wallMs = Date.now() - started;
      const reports = await gens.all<GenReport>('measure-report');
      const cpuMs = (await server.cpuMs()) - cpuBefore;
      const merged = merge(ctx, reports, readers, cfg.entries);
      const unfinished = waits.reduce((sum, wait) => sum + wait.unfinished, 0);
      if (unfinished) row.notes.push(`${unfinished} pollers did not get every entry before the deadline`);
      Object.assign(row, { latency: merged.latency, curve: merged.curve, accounting: merged.accounting, saturation: merged.saturation });
      row.metrics = {
        requestsPerSecond: (readers * 1000) / intervalMs,
        measuredRequestsPerSecond: merged.httpRequests / (wallMs / 1000),
        requests: merged.httpRequests,
        serverCpuMsPerRequest: cpuMs / Math.max(1, merged.httpRequests),
        serverCpuShareAtThisRate: cpuMs / wallMs,
        generatorCpuShare: merged.saturation.cpuShare,
      };
      model = { sentMs: posted.sentMs, committedMs: posted.committedMs, responseMs: reports.flatMap((report) => report.responseSamples) };
    });
  });
  real.target = { text: '100% delivered', met: real.accounting?.complete ?? false };
  const rows: Row[] = [real];
  if (!model) return rows;
  const modeled = (n: number): Row => {
    const result = modelPolling({ readers: n, intervalMs, ...model!, seed: n });
    const latency = summarize(result.histogram);
    return {
      scenario: 'fanout',
      variant: label,
      readers: n,
      modeled: true,
      latency,
      curve: percentileCurve(result.histogram),
      metrics: {
        requestsPerSecond: result.requestsPerSecond,
        serverCpuShareAtThisRate: typeof real.metrics.serverCpuMsPerRequest === 'number' ? (real.metrics.serverCpuMsPerRequest * result.requestsPerSecond) / 1000 : undefined,
      },
      notes: [`model fed with the real run at N=${readers}: its commit times and ${model!.responseMs.length} measured response times; CPU share = measured CPU per request × N/interval`],
    };
  };
  const check = modeled(readers);
  check.variant = `${label} (model check)`;
  if (real.latency && check.latency) {
    check.metrics.p50VsMeasured = ratio(check.latency.p50Ms, real.latency.p50Ms);
    check.metrics.p99VsMeasured = ratio(check.latency.p99Ms, real.latency.p99Ms);
    check.notes.push(`model vs measured at N=${readers}: p50 ×${check.metrics.p50VsMeasured}, p99 ×${check.metrics.p99VsMeasured}`);
  }
  rows.push(check);
  for (const n of cfg.readers) rows.push(modeled(n));
  return rows;
}
