import { resolve } from 'node:path';
import { postEntries } from '../lib/author.js';
import type { Row } from '../lib/report.js';
import { PinnedChild } from '../lib/rpc.js';
import { LivelineServer, ROOT } from '../lib/server.js';
import { ratio } from '../lib/stats.js';
import type { Ctx } from './context.js';

/** Writes: durable entries/s through the API, against raw better-sqlite3 inserts of the same rows. */
export async function writes(ctx: Ctx): Promise<Row[]> {
  const { cfg } = ctx;
  const count = cfg.writeEntries;
  const ours: Row = { scenario: 'writes', variant: `liveline POST /api/posts/:slug/entries (${cfg.writeConcurrency} concurrent)`, metrics: {}, notes: [] };
  const server = await LivelineServer.start(cfg.serverCpus);
  try {
    const post = await server.createPost('Write benchmark');
    const cpuBefore = await server.cpuMs();
    const posted = await postEntries(server, post.slug, count, { concurrency: cfg.writeConcurrency });
    const cpuMs = (await server.cpuMs()) - cpuBefore;
    if (posted.failures.length) ours.notes.push(`${posted.failures.length} POSTs failed: ${posted.failures[0]}`);
    ours.metrics = {
      entries: count - posted.failures.length,
      entriesPerSecond: ((count - posted.failures.length) * 1000) / posted.elapsedMs,
      p50Ms: posted.histogram.getValueAtPercentile(50) / 1000,
      p99Ms: posted.histogram.getValueAtPercentile(99) / 1000,
      serverCpuMsPerEntry: cpuMs / count,
    };
  } catch (error) {
    ours.error = (error as Error).stack ?? String(error);
  } finally {
    await server.stop();
  }
  const raw: Row = { scenario: 'writes', variant: 'raw better-sqlite3, same rows, one transaction each', metrics: {}, notes: [] };
  const child = PinnedChild.start('raw-sqlite', cfg.serverCpus, ['--import', 'tsx', resolve(import.meta.dirname, '../baselines/raw-sqlite.ts')], {}, ROOT);
  try {
    raw.metrics = await child.call<Row['metrics']>('run', { count });
  } catch (error) {
    raw.error = (error as Error).stack ?? String(error);
  } finally {
    await child.stop();
  }
  const share = ratio(Number(ours.metrics.entriesPerSecond), Number(raw.metrics.entriesPerSecond));
  ours.metrics.shareOfRaw = share;
  ours.target = { text: `≥ 500 durable entries/s (${share === undefined ? '–' : Math.round(share * 100)}% of raw)`, met: ours.error ? false : Number(ours.metrics.entriesPerSecond) >= 500 };
  return [ours, raw];
}
