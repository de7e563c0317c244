import { BODY_LENGTH, entryBody, postEntries, send } from '../lib/author.js';
import { freePort, LivelineServer, ROOT, waitFor } from '../lib/server.js';
import { PinnedChild, processCpuMs } from '../lib/rpc.js';
import type { Row } from '../lib/report.js';
import { ratio } from '../lib/stats.js';
import { connectFailures, merge, runAgainst, waitDelivered, withRetries, type ConnectResult, type Ctx, type GenReport } from './context.js';
import { resolve } from 'node:path';

/** Entries posted (and broadcast by the floor) before measuring, so that no run measures cold code. */
const WARMUP_ENTRIES = 2;

/** A change as our server sent it, kept as the template of the bare-ws baseline's payload. */
let sampleChange: Record<string, unknown> | undefined;
let sampleBytes = 0;

/**
 * Fan-out through Liveline: N Socket.IO readers subscribed to one post, an author POSTing entries
 * at a fixed rate; also yields the capacity row (server memory per connected reader).
 */
export async function fanoutOurs(ctx: Ctx, readers: number): Promise<Row[]> {
  let capacity: Row | undefined;
  const row = await withRetries(ctx, async () => {
    const { cfg, gens } = ctx;
    const server = await LivelineServer.start(cfg.serverCpus);
    const row: Row = { scenario: 'fanout', variant: 'liveline (Socket.IO)', readers, metrics: {}, notes: [] };
    return runAgainst(ctx, row, server, async () => {
      const post = await server.createPost(`Fan-out ${readers}`);
      await gens.all('setup', { url: server.url, slug: post.slug });
      const before = await server.memory();
      const shares = gens.share(readers);
      const connected = await gens.all<ConnectResult>('sio-connect', (index) => ({ count: shares[index], addresses: gens.addresses[index], concurrency: 100 }));
      const failure = connectFailures(connected);
      if (failure) row.notes.push(failure);
      const after = await server.memory();
      capacity = {
        scenario: 'capacity',
        variant: 'liveline: server memory per connected reader',
        readers,
        metrics: {
          rssPerReaderKB: (after.rss - before.rss) / readers / 1024,
          heapPerReaderKB: (after.heapUsed - before.heapUsed) / readers / 1024,
          externalPerReaderKB: (after.external - before.external) / readers / 1024,
          rssMB: after.rss / 1048576,
          heapUsedMB: after.heapUsed / 1048576,
        },
        // The issue sets the bound at 10k and 20k readers; below, fixed costs weigh on each reader.
        target:
          readers >= 10_000
            ? { text: '≤ 20 KB RSS per reader', met: (after.rss - before.rss) / readers / 1024 <= 20 }
            : { text: '≤ 20 KB RSS per reader (checked at 10,000 and 20,000)', met: null },
        notes: ['after two forced GCs, before and after all readers subscribed'],
      };
      // Warm-up, not measured (the floor gets the same): the first broadcasts run cold code.
      const warm = await postEntries(server, post.slug, WARMUP_ENTRIES, { perSecond: cfg.entriesPerSecond, offset: 10_000 });
      if (warm.failures.length) throw new Error(`warm-up: ${warm.failures[0]}`);
      await new Promise((done) => setTimeout(done, 1000));
      const baseSeq = await lastSeq(server.url, post.slug);
      await gens.all('measure-start', { entries: cfg.entries, baseSeq });
      const cpuBefore = await server.cpuMs();
      await server.loopDelay();
      const posted = await postEntries(server, post.slug, cfg.entries, { perSecond: cfg.entriesPerSecond });
      if (posted.failures.length) row.notes.push(`${posted.failures.length} POSTs failed: ${posted.failures.slice(0, 2).join('; ')}`);
      if (posted.retries) row.notes.push(`${posted.retries} POSTs refused under load (503 + Retry-After) and sent again, as the composer does: ${posted.refusals.slice(0, 2).join('; ')}`);
      await waitDelivered(ctx, readers * cfg.entries, Date.now() + cfg.settleMs);
      const reports = await gens.all<GenReport>('measure-report');
      const cpuMs = (await server.cpuMs()) - cpuBefore;
      const loop = await server.loopDelay();
      const merged = merge(ctx, reports, readers, cfg.entries);
      const sample = reports.find((report) => report.sampleChange);
      if (sample?.sampleChange) {
        sampleChange = sample.sampleChange;
        sampleBytes = sample.sampleBytes;
      }
      Object.assign(row, { latency: merged.latency, curve: merged.curve, accounting: merged.accounting, saturation: merged.saturation });
      row.metrics = {
        payloadBytes: sampleBytes,
        serverCpuMs: cpuMs,
        // CPU time is far less sensitive than latency to other work on the machine.
        serverCpuUsPerDelivery: (cpuMs * 1000) / Math.max(1, merged.accounting.delivered),
        serverLoopDelayP99Ms: loop.p99Ms,
        postP99Ms: posted.histogram.getValueAtPercentile(99) / 1000,
        postRetries: posted.retries,
        disconnects: merged.disconnects,
        generatorCpuShare: merged.saturation.cpuShare,
      };
    });
  });
  row.target = { text: '100% delivered', met: row.accounting?.complete ?? false };
  return capacity ? [row, capacity] : [row];
}

/** Baseline (a): the same readers, schedule and payload size through a bare `ws` broadcast. */
export async function fanoutWs(ctx: Ctx, readers: number, ours: Row | undefined): Promise<Row> {
  const row = await withRetries(ctx, async () => {
    const { cfg, gens } = ctx;
    const port = await freePort();
    const server = PinnedChild.start('ws-floor', cfg.serverCpus, ['--import', 'tsx', resolve(import.meta.dirname, '../baselines/ws-server.ts')], { PORT: String(port) }, ROOT);
    const row: Row = { scenario: 'fanout', variant: 'ws floor (bare broadcast)', readers, metrics: {}, notes: [] };
    return runAgainst(ctx, row, server, async () => {
      const url = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${url}/healthz`)).ok, 30_000, 'the ws floor server');
      const shares = gens.share(readers);
      const connected = await gens.all<ConnectResult>('ws-connect', (index) => ({ url: `ws://127.0.0.1:${port}/`, count: shares[index], addresses: gens.addresses[index], concurrency: 100 }));
      const failure = connectFailures(connected);
      if (failure) row.notes.push(failure);
      const template = sampleChange ?? { seq: 0, type: 'entry.created', entry: { body: '' } };
      let bytes = 0;
      const broadcast = (offset: number) => (index: number, sentAt: number) => {
        const entry = { ...(template.entry as Record<string, unknown>), body: entryBody(offset + index, sentAt, BODY_LENGTH) };
        // seq first and 0: the floor server numbers it (see baselines/ws-server.ts).
        const { seq: _seq, ...rest } = template;
        const body = `42${JSON.stringify(['change', { seq: 0, ...rest, entry }])}`;
        bytes = Buffer.byteLength(body) + String(index + 1).length - 1;
        return { url: `${url}/broadcast`, headers: { 'content-type': 'text/plain' }, body, expect: 204 };
      };
      const warm = await send(WARMUP_ENTRIES, { perSecond: cfg.entriesPerSecond }, broadcast(10_000));
      if (warm.failures.length) throw new Error(`warm-up: ${warm.failures[0]}`);
      await new Promise((done) => setTimeout(done, 1000));
      await gens.all('measure-start', { entries: cfg.entries, baseSeq: WARMUP_ENTRIES });
      const cpuBefore = await processCpuMs(server.pid);
      const posted = await send(cfg.entries, { perSecond: cfg.entriesPerSecond }, broadcast(0));
      if (posted.failures.length) row.notes.push(`${posted.failures.length} broadcasts failed: ${posted.failures.slice(0, 2).join('; ')}`);
      await waitDelivered(ctx, readers * cfg.entries, Date.now() + cfg.settleMs);
      const merged = merge(ctx, await gens.all<GenReport>('measure-report'), readers, cfg.entries);
      const cpuMs = (await processCpuMs(server.pid)) - cpuBefore;
      Object.assign(row, { latency: merged.latency, curve: merged.curve, accounting: merged.accounting, saturation: merged.saturation });
      row.metrics = {
        payloadBytes: bytes,
        serverCpuMs: cpuMs,
        serverCpuUsPerDelivery: (cpuMs * 1000) / Math.max(1, merged.accounting.delivered),
        generatorCpuShare: merged.saturation.cpuShare,
      };
      if (!sampleChange) row.notes.push('no sample change from our run: payload is smaller than ours');
    });
  });
  if (ours && readers === 10_000 && (ours.discarded || row.discarded)) {
    ours.target = { text: '100% delivered; p99 ≤ 1.5× ws floor not judged: a run was discarded (generators saturated)', met: null };
  } else if (ours?.latency && row.latency && !ours.discarded && !row.discarded) {
    const p99Ratio = ratio(ours.latency.p99Ms, row.latency.p99Ms);
    ours.metrics.p99VsWsFloor = p99Ratio;
    ours.metrics.cpuPerDeliveryVsWsFloor = ratio(Number(ours.metrics.serverCpuUsPerDelivery), Number(row.metrics.serverCpuUsPerDelivery));
    ours.target = {
      text: `100% delivered${readers === 10_000 ? '; p99 ≤ 1.5× ws floor' : ''} (p99 = ${p99Ratio}× floor)`,
      met: (ours.accounting?.complete ?? false) && (readers !== 10_000 || (p99Ratio ?? Infinity) <= 1.5),
    };
  }
  row.target = { text: '100% delivered', met: row.accounting?.complete ?? false };
  return row;
}

export async function lastSeq(url: string, slug: string): Promise<number> {
  const response = await fetch(`${url}/api/posts/${slug}/changes?since=0&limit=1`);
  if (!response.ok) throw new Error(`reading lastSeq: ${response.status}`);
  return ((await response.json()) as { lastSeq: number }).lastSeq;
}
