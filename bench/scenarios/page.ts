import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { cpuCount } from '../config.js';
import { postEntries } from '../lib/author.js';
import type { Row } from '../lib/report.js';
import { LivelineServer, ROOT } from '../lib/server.js';
import { detectSaturation, ratio, now } from '../lib/stats.js';
import type { Ctx } from './context.js';

type Load = { requestsPerSecond: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number; cpuShare: number };

/** autocannon from this (generator-pinned) process; its CPU share tells whether it was the bottleneck. */
async function hammer(url: string, seconds: number, connections: number): Promise<Load> {
  const cpu = process.cpuUsage();
  const started = now();
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  const used = process.cpuUsage(cpu);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuShare: (used.user + used.system) / 1000 / (now() - started),
  };
}

/**
 * Page: the reader page and the JSON API of a post with many entries, against the identical bytes
 * served as static files by the same server (@fastify/static under /assets/), the ceiling.
 */
export async function pages(ctx: Ctx): Promise<Row[]> {
  const { cfg } = ctx;
  const server = await LivelineServer.start(cfg.serverCpus);
  const files: string[] = [];
  const rows: Row[] = [];
  try {
    const post = await server.createPost('Page benchmark');
    const seeded = await postEntries(server, post.slug, cfg.pageEntries, { concurrency: 8 });
    if (seeded.failures.length) throw new Error(`seeding: ${seeded.failures[0]}`);
    for (const [kind, path] of [['page', `/posts/${post.slug}`], ['api', `/api/posts/${post.slug}`]] as const) {
      const response = await fetch(server.url + path);
      const bytes = Buffer.from(await response.arrayBuffer());
      const name = `bench-${process.pid}-${kind}.${kind === 'page' ? 'html' : 'json'}`;
      const file = join(ROOT, 'dist/public', name);
      await writeFile(file, bytes);
      files.push(file);
      const measure = async (variant: string, url: string): Promise<Row> => {
        const attempt = async () => {
          const load = await hammer(url, cfg.pageSeconds, cfg.pageConnections);
          const saturation = detectSaturation([{ cpuMs: load.cpuShare * 1000, wallMs: 1000, eventLoopUtilization: 0, loopDelayP99Ms: 0, loopDelayMaxMs: 0 }], cpuCount(cfg.generatorCpus));
          return { load, saturation };
        };
        let { load, saturation } = await attempt();
        for (let retry = 0; retry < cfg.retries && saturation.saturated; retry++) ({ load, saturation } = await attempt());
        const row: Row = {
          scenario: 'page',
          variant,
          saturation,
          metrics: { ...load, bytes: bytes.length, entries: cfg.pageEntries, connections: cfg.pageConnections, seconds: cfg.pageSeconds },
          notes: [],
        };
        if (load.non2xx || load.errors) row.notes.push(`${load.non2xx} non-2xx and ${load.errors} errors`);
        if (saturation.saturated) {
          row.discarded = true;
          row.notes.push(`discarded: ${saturation.reasons.join('; ')}`);
        }
        return row;
      };
      const ours = await measure(`liveline GET ${kind === 'page' ? '/posts/:slug' : '/api/posts/:slug'}`, server.url + path);
      const ceiling = await measure(`static file, same bytes (${kind})`, `${server.url}/assets/${name}`);
      const share = ratio(Number(ours.metrics.requestsPerSecond), Number(ceiling.metrics.requestsPerSecond));
      ours.metrics.shareOfStatic = share;
      ours.target = { text: `≥ 50% of the static-file ceiling (${share === undefined ? '–' : Math.round(share * 100)}%)`, met: ours.discarded || ceiling.discarded ? null : (share ?? 0) >= 0.5 };
      rows.push(ours, ceiling);
      ctx.log(`  ${kind}: ${Math.round(Number(ours.metrics.requestsPerSecond))} req/s vs static ${Math.round(Number(ceiling.metrics.requestsPerSecond))} req/s`);
    }
  } catch (error) {
    rows.push({ scenario: 'page', variant: 'liveline', metrics: {}, notes: [], error: (error as Error).stack ?? String(error) });
  } finally {
    for (const file of files) await rm(file, { force: true });
    await server.stop();
  }
  return rows;
}
