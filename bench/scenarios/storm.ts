import { postEntries } from '../lib/author.js';
import type { Row } from '../lib/report.js';
import { LivelineServer } from '../lib/server.js';
import { mergeEncoded, now, summarize } from '../lib/stats.js';
import { readFile } from 'node:fs/promises';
import { lastSeq } from './fanout.js';
import { connectFailures, merge, runAgainst, withRetries, type ConnectResult, type Ctx, type GenReport } from './context.js';

/** Join storm: N readers connect at once, subscribe with `since` 100 entries back and catch up. */
export async function joinStorm(ctx: Ctx): Promise<Row> {
  const { cfg, gens } = ctx;
  const readers = cfg.stormReaders;
  const back = cfg.stormSince;
  const row = await withRetries(ctx, async () => {
    const server = await LivelineServer.start(cfg.serverCpus);
    const row: Row = { scenario: 'storm', variant: `liveline: connect + subscribe + catch up ${back} entries`, readers, metrics: {}, notes: [] };
    return runAgainst(ctx, row, server, async () => {
      const post = await server.createPost('Join storm');
      const seeded = await postEntries(server, post.slug, back, { concurrency: 4 });
      if (seeded.failures.length) throw new Error(`seeding: ${seeded.failures[0]}`);
      const target = await lastSeq(server.url, post.slug);
      await gens.all('setup', { url: server.url, slug: post.slug });
      await gens.all('measure-start', { entries: back, baseSeq: target - back, timeEntries: false });
      const cpuBefore = await server.cpuMs();
      const shares = gens.share(readers);
      const overflowsBefore = await listenOverflows();
      const started = now();
      // Every reader of a generator at once: no pacing, as after a link goes out in a newsletter.
      // Readers retry a refused connection with the reader page's backoff; each try is a request.
      const results = await gens.all<ConnectResult>('sio-connect', (index) => ({ count: shares[index], addresses: gens.addresses[index], since: target - back, concurrency: shares[index], retry: true, startedAt: started }), 300_000);
      const convergedMs = Math.max(...results.map((result) => result.doneAt)) - started;
      const cpuMs = (await server.cpuMs()) - cpuBefore;
      const memory = await server.memory();
      const failure = connectFailures(results);
      if (failure) row.notes.push(failure);
      const reports = await gens.all<GenReport>('measure-report');
      const merged = merge(ctx, reports, readers, back);
      const joins = mergeEncoded(reports.map((report) => report.joinHistogram));
      // Reader join times (connect → subscribed with all 100 changes) as the row's latency.
      Object.assign(row, { accounting: merged.accounting, saturation: merged.saturation, latency: summarize(joins) });
      const overflows = (await listenOverflows()) - overflowsBefore;
      row.metrics = {
        convergedMs,
        requests: merged.connectAttempts + merged.httpRequests,
        connectAttempts: merged.connectAttempts,
        httpCatchUps: merged.httpRequests,
        serverCpuMs: cpuMs,
        // How much of the storm the server spent working: well below 1, it waited for the clients.
        serverBusyShare: cpuMs / convergedMs,
        serverRssMB: memory.rss / 1048576,
        // Connections the kernel dropped because the accept queue was full (machine-wide counter).
        listenOverflows: overflows,
        generatorCpuShare: merged.saturation.cpuShare,
      };
    });
  }, { upperBound: true });
  const convergedMs = Number(row.metrics.convergedMs);
  row.target = {
    text: readers === 10_000 ? 'all 10,000 readers caught up ≤ 10 s, 100% delivered' : '100% delivered (the 10 s target is for 10,000 readers)',
    met: (row.accounting?.complete ?? false) && (readers !== 10_000 || convergedMs <= 10_000),
  };
  return row;
}

/** Catch-up: readers offline while entries are posted, then all back at once. */
export async function catchUp(ctx: Ctx): Promise<Row> {
  const { cfg, gens } = ctx;
  const readers = cfg.catchupReaders;
  const entries = cfg.catchupEntries;
  const row = await withRetries(ctx, async () => {
    const server = await LivelineServer.start(cfg.serverCpus);
    const row: Row = { scenario: 'catchup', variant: `liveline: ${entries} entries missed while offline`, readers, metrics: {}, notes: [] };
    return runAgainst(ctx, row, server, async () => {
      const post = await server.createPost('Catch-up');
      await gens.all('setup', { url: server.url, slug: post.slug });
      const shares = gens.share(readers);
      const connected = await gens.all<ConnectResult>('sio-connect', (index) => ({ count: shares[index], addresses: gens.addresses[index], concurrency: 100 }));
      const failure = connectFailures(connected);
      if (failure) row.notes.push(failure);
      const baseSeq = await lastSeq(server.url, post.slug);
      await gens.all('sio-offline');
      const posted = await postEntries(server, post.slug, entries, { concurrency: 4 });
      if (posted.failures.length) throw new Error(`posting: ${posted.failures[0]}`);
      const targetSeq = await lastSeq(server.url, post.slug);
      await gens.all('measure-start', { entries, baseSeq });
      const cpuBefore = await server.cpuMs();
      const started = now();
      const results = await gens.all<{ failed: number; errors: string[]; doneAt: number }>('sio-online', { targetSeq });
      const convergedMs = Math.max(...results.map((result) => result.doneAt)) - started;
      const cpuMs = (await server.cpuMs()) - cpuBefore;
      const failed = results.reduce((sum, result) => sum + result.failed, 0);
      if (failed) row.notes.push(`${failed} readers failed to come back: ${results.flatMap((result) => result.errors).slice(0, 2).join('; ')}`);
      const merged = merge(ctx, await gens.all<GenReport>('measure-report'), readers, entries);
      Object.assign(row, { accounting: merged.accounting, saturation: merged.saturation });
      row.metrics = {
        convergedMs,
        // One WebSocket upgrade per reader, plus any HTTP catch-up (when the replay limit is exceeded).
        requests: readers + merged.httpRequests,
        httpCatchUps: merged.httpRequests,
        serverCpuMs: cpuMs,
        generatorCpuShare: merged.saturation.cpuShare,
      };
    });
  });
  row.target = { text: 'every reader converged, 100% delivered', met: row.accounting?.complete ?? false };
  return row;
}

/** TcpExt ListenOverflows from /proc/net/netstat: SYNs or ACKs dropped on a full accept queue. */
export async function listenOverflows(): Promise<number> {
  const text = await readFile('/proc/net/netstat', 'utf8').catch(() => '');
  const lines = text.split('\n').filter((line) => line.startsWith('TcpExt:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  const index = names.indexOf('ListenOverflows');
  return index > 0 ? Number(values[index] ?? 0) : 0;
}
