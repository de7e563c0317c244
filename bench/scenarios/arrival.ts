import { request } from 'node:http';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { postEntries } from '../lib/author.js';
import type { Row } from '../lib/report.js';
import { LivelineServer, ROOT } from '../lib/server.js';
import { mergeEncoded, now, ratio, summarize } from '../lib/stats.js';
import { merge, runAgainst, withRetries, type Ctx, type GenReport } from './context.js';

/** Entries on the post the crowd arrives at: a keynote well under way. */
const ARRIVAL_ENTRIES = 100;
const ENCODING = 'br';

type ArriveResult = { failed: number; errors: string[]; connected: number; doneAt: number };

/** The raw bytes and headers of a GET (compressed bytes kept as they are). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: NodeJS.Dict<string | string[]>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** The page's own scripts and styles (what a browser fetches before it opens the socket). */
function assetsOf(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/(?:src|href)="(\/assets\/[^"?#]+\.(?:js|css))"/g)) found.add(match[1]!);
  return [...found];
}

/**
 * Arrival storm (issue 20): N new readers within S seconds, each loading the reader page
 * (compressed), its assets, then opening a socket and subscribing. Then the page's throughput
 * against the same compressed bytes served as a static file by the same server (the ceiling).
 */
export async function arrivalStorm(ctx: Ctx): Promise<Row[]> {
  const { cfg, gens } = ctx;
  const readers = cfg.arrivalReaders;
  let staticRow: Row | undefined;
  const row = await withRetries(
    ctx,
    async () => {
      const server = await LivelineServer.start(cfg.serverCpus);
      const row: Row = { scenario: 'arrival', variant: `${readers} new readers in ${cfg.arrivalSeconds} s: page (${ENCODING}) + assets + socket`, readers, metrics: {}, notes: [] };
      const file = join(ROOT, 'dist/public', `bench-arrival-${process.pid}.html`);
      return runAgainst(ctx, row, server, async () => {
        try {
          const post = await server.createPost('Arrival storm');
          const seeded = await postEntries(server, post.slug, ARRIVAL_ENTRIES, { concurrency: 4 });
          if (seeded.failures.length) throw new Error(`seeding: ${seeded.failures[0]}`);
          const pagePath = `/posts/${post.slug}`;
          const page = await rawGet(server.url + pagePath, { 'accept-encoding': ENCODING });
          if (page.headers['content-encoding'] !== ENCODING) row.notes.push(`the page came as ${String(page.headers['content-encoding'] ?? 'identity')}, not ${ENCODING}`);
          const plain = await rawGet(server.url + pagePath, {});
          const assets = assetsOf(plain.body.toString('utf8'));
          await gens.all('setup', { url: server.url, slug: post.slug });
          await gens.all('measure-start', { entries: 0 });
          const cpuBefore = await server.cpuMs();
          const started = now();
          const shares = gens.share(readers);
          const results = await gens.all<ArriveResult>('arrive', (index) => ({ count: shares[index], seconds: cfg.arrivalSeconds, addresses: gens.addresses[index], page: pagePath, assets, encoding: ENCODING }), 600_000);
          const finished = Math.max(...results.map((result) => result.doneAt));
          const cpuMs = (await server.cpuMs()) - cpuBefore;
          const reports = await gens.all<GenReport>('measure-report');
          const merged = merge(ctx, reports, readers, 0);
          const pageLatency = summarize(mergeEncoded(reports.map((report) => report.responseHistogram)));
          const subscribed = summarize(mergeEncoded(reports.map((report) => report.joinHistogram)));
          const failed = results.reduce((sum, result) => sum + result.failed, 0);
          if (failed) row.notes.push(`${failed} readers failed: ${results.flatMap((result) => result.errors).slice(0, 3).join('; ')}`);
          Object.assign(row, { saturation: merged.saturation, latency: subscribed });
          row.metrics = {
            readers,
            pageP50Ms: pageLatency.p50Ms,
            pageP99Ms: pageLatency.p99Ms,
            pagesPerSecond: (readers * 1000) / Math.max(1, finished - started),
            subscribedP50Ms: subscribed.p50Ms,
            subscribedP99Ms: subscribed.p99Ms,
            subscribed: subscribed.count,
            assets: assets.length,
            pageBytes: page.body.length,
            serverCpuMs: cpuMs,
            serverCpuMsPerReader: cpuMs / Math.max(1, readers),
            lastArrivalDoneMs: finished - started,
            generatorCpuShare: merged.saturation.cpuShare,
          };
          row.notes.push('latency columns: page request → subscribed; generators reuse keep-alive connections per source address (a browser opens its own)');

          // Throughput: the page against the identical compressed bytes as a static file (preCompressed).
          await writeFile(file, plain.body);
          await writeFile(`${file}.${ENCODING}`, page.body);
          const hammer = async (url: string) => {
            const result = await autocannon({ url, connections: cfg.pageConnections, duration: Math.max(1, cfg.pageSeconds), headers: { 'accept-encoding': ENCODING } });
            return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, non2xx: result.non2xx };
          };
          const ours = await hammer(server.url + pagePath);
          const ceiling = await hammer(`${server.url}/assets/${file.split('/').at(-1)}`);
          const share = ratio(ours.requestsPerSecond, ceiling.requestsPerSecond);
          row.metrics.requestsPerSecond = ours.requestsPerSecond;
          row.metrics.shareOfStatic = share;
          staticRow = {
            scenario: 'arrival',
            variant: `static file, the same ${ENCODING} bytes (the ceiling)`,
            metrics: { requestsPerSecond: ceiling.requestsPerSecond, pageP99Ms: ceiling.p99Ms, bytes: page.body.length },
            notes: ceiling.non2xx ? [`${ceiling.non2xx} non-2xx`] : [],
          };
        } finally {
          await rm(file, { force: true });
          await rm(`${file}.${ENCODING}`, { force: true });
        }
      });
    },
    { upperBound: true },
  );
  const share = Number(row.metrics.shareOfStatic);
  row.target = {
    text: `every reader subscribed; page ≥ 80% of the static file's throughput (${Number.isFinite(share) ? Math.round(share * 100) : '–'}%)`,
    met: row.error ? false : row.metrics.subscribed === readers && share >= 0.8,
  };
  return staticRow ? [row, staticRow] : [row];
}
