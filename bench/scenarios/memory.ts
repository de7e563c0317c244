import { resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { censusOf, owners, perReader } from '../lib/heap-census.js';
import type { Row } from '../lib/report.js';
import { PinnedChild } from '../lib/rpc.js';
import { freePort, LivelineServer, PROBE, ROOT, waitFor, type Memory } from '../lib/server.js';
import { ratio } from '../lib/stats.js';
import { connectFailures, runAgainst, type ConnectResult, type Ctx } from './context.js';

/** Readers the heap census is taken over (the issue: "heap snapshot diff per 1,000 readers"). */
const CENSUS_READERS = 1000;

/**
 * Memory (issue 20): server RSS and heap per connected, subscribed reader, against the bare `ws`
 * floor holding the same connections; and, at the smallest N, a heap-snapshot census of what each
 * reader holds, by kind of object.
 */
export async function memory(ctx: Ctx, readers: number): Promise<Row[]> {
  const { cfg, gens } = ctx;
  const ours: Row = { scenario: 'memory', variant: 'liveline: per connected, subscribed Socket.IO reader', readers, metrics: {}, notes: [] };
  const server = await LivelineServer.start(cfg.serverCpus);
  await runAgainst(ctx, ours, server, async () => {
    const post = await server.createPost(`Memory ${readers}`);
    await gens.all('setup', { url: server.url, slug: post.slug });
    const census = readers === CENSUS_READERS;
    const snapshot = (name: string) => server.child.call<string>('heap-snapshot', { path: join(tmpdir(), `liveline-${process.pid}-${name}.heapsnapshot`) }, 300_000);
    const beforePath = census ? await snapshot('before') : undefined;
    const before = await server.memory();
    const shares = gens.share(readers);
    const connected = await gens.all<ConnectResult>('sio-connect', (index) => ({ count: shares[index], addresses: gens.addresses[index], concurrency: 100 }));
    const failure = connectFailures(connected);
    if (failure) ours.notes.push(failure);
    const after = await server.memory();
    ours.metrics = perReaderMetrics(before, after, readers);
    if (beforePath) {
      const afterPath = await snapshot('after');
      const beforeCensus = await censusOf(beforePath);
      const afterCensus = await censusOf(afterPath);
      const grown = perReader(beforeCensus, afterCensus, readers);
      ours.metrics.census = grown.map((item) => `${item.kind} ×${item.countPerReader.toFixed(1)} ${Math.round(item.bytesPerReader)} B`).join('; ');
      ours.notes.push(`heap per reader by kind (snapshot diff over ${readers} readers, top 15 by bytes): ${String(ours.metrics.census)}`);
      const owned = owners(beforeCensus, afterCensus, readers);
      const total = owned.reduce((sum, item) => sum + item.bytesPerReader, 0);
      ours.metrics.owners = owned.map((item) => `${item.owner} ${Math.round(item.bytesPerReader)} B`).join('; ');
      ours.notes.push(`new objects per reader by owner (code excluded), ${Math.round(total)} B: ${String(ours.metrics.owners)}`);
    }
  });

  const floor: Row = { scenario: 'memory', variant: 'ws floor: per bare ws connection', readers, metrics: {}, notes: [] };
  const port = await freePort();
  const ws = PinnedChild.start('ws-floor', cfg.serverCpus, ['--expose-gc', '--import', PROBE, '--import', 'tsx', resolve(import.meta.dirname, '../baselines/ws-server.ts')], { PORT: String(port) }, ROOT);
  await runAgainst(ctx, floor, ws, async () => {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 30_000, 'the ws floor server');
    const before = await ws.call<Memory>('memory', {}, 60_000);
    const shares = gens.share(readers);
    const connected = await gens.all<ConnectResult>('ws-connect', (index) => ({ url: `ws://127.0.0.1:${port}/`, count: shares[index], addresses: gens.addresses[index], concurrency: 100 }));
    const failure = connectFailures(connected);
    if (failure) floor.notes.push(failure);
    const after = await ws.call<Memory>('memory', {}, 60_000);
    floor.metrics = perReaderMetrics(before, after, readers);
  });
  const times = ratio(Number(ours.metrics.rssPerReaderKB), Number(floor.metrics.rssPerReaderKB));
  ours.metrics.vsWsFloor = times;
  ours.target = {
    text: `≤ 8 KB RSS per reader${readers >= 10_000 ? '' : ' (judged at 10,000 readers)'}`,
    met: ours.error ? false : readers >= 10_000 ? Number(ours.metrics.rssPerReaderKB) <= 8 : null,
  };
  for (const row of [ours, floor]) row.notes.push('after two forced GCs, before and after every reader connected');
  return [ours, floor];
}

function perReaderMetrics(before: Memory, after: Memory, readers: number): Row['metrics'] {
  return {
    rssPerReaderKB: (after.rss - before.rss) / readers / 1024,
    heapPerReaderKB: (after.heapUsed - before.heapUsed) / readers / 1024,
    externalPerReaderKB: (after.external - before.external) / readers / 1024,
    rssMB: after.rss / 1048576,
  };
}
