import { postEntries } from '../lib/author.js';
import { BenchCluster, clusterAddresses } from '../lib/cluster.js';
import type { Row } from '../lib/report.js';
import { ratio } from '../lib/stats.js';
import { connectFailures, merge, runAgainst, waitDelivered, withRetries, type ConnectResult, type Ctx, type GenReport } from './context.js';
import { fanoutOurs, lastSeq } from './fanout.js';

/** Source addresses per generator in the cluster runs: enough distinct /24s for ip_hash to split. */
export const CLUSTER_ADDRESSES = 8;

/**
 * Cluster: the same readers, schedule and payload as the single-node fan-out, through nginx to
 * two fan-out nodes, entries posted on the primary (through Redis to the nodes). Runs the single
 * node first, in the same run, and reports the cluster beside it as ratios: fan-out node CPU per
 * delivery (the issue's ≤ 1.1×) and p99 (≤ single-node p99 + 15 ms at 5,000 readers).
 */
export async function clusterFanout(ctx: Ctx, readers: number): Promise<Row[]> {
  ctx.log(`cluster: single node with ${readers} readers (the baseline)…`);
  const [single] = await fanoutOurs(ctx, readers);
  single!.scenario = 'cluster';
  single!.variant = 'single node (baseline, same run)';
  ctx.log(`cluster: nginx + Redis + primary + 2 fan-out nodes with ${readers} readers…`);
  const row = await withRetries(ctx, async () => {
    const { cfg, gens } = ctx;
    const cluster = await BenchCluster.start(cfg.serverCpus, readers);
    const row: Row = { scenario: 'cluster', variant: 'nginx → 2 fan-out nodes (Redis), posted on the primary', readers, metrics: {}, notes: [] };
    return runAgainst(ctx, row, cluster, async () => {
      const post = await cluster.createPost(`Cluster ${readers}`);
      await gens.all('setup', { url: cluster.url, slug: post.slug });
      const shares = gens.share(readers);
      const connected = await gens.all<ConnectResult>('sio-connect', (index) => ({ count: shares[index], addresses: clusterAddresses(index, CLUSTER_ADDRESSES), concurrency: 100 }));
      const failure = connectFailures(connected);
      if (failure) row.notes.push(failure);
      const split = await cluster.connections();
      const warm = await postEntries(cluster, post.slug, 2, { perSecond: cfg.entriesPerSecond, offset: 10_000 });
      if (warm.failures.length) throw new Error(`warm-up: ${warm.failures[0]}`);
      await new Promise((done) => setTimeout(done, 1000));
      const baseSeq = await lastSeq(cluster.topology.primaryUrl, post.slug);
      await gens.all('measure-start', { entries: cfg.entries, baseSeq });
      const before = await cluster.cpuMs();
      const posted = await postEntries(cluster, post.slug, cfg.entries, { perSecond: cfg.entriesPerSecond });
      if (posted.failures.length) row.notes.push(`${posted.failures.length} POSTs failed: ${posted.failures.slice(0, 2).join('; ')}`);
      await waitDelivered(ctx, readers * cfg.entries, Date.now() + cfg.settleMs);
      const reports = await gens.all<GenReport>('measure-report');
      const after = await cluster.cpuMs();
      const merged = merge(ctx, reports, readers, cfg.entries);
      const fanoutCpu = after.fanouts.map((cpu, i) => cpu - (before.fanouts[i] ?? 0));
      const delivered = Math.max(1, merged.accounting.delivered);
      Object.assign(row, { latency: merged.latency, curve: merged.curve, accounting: merged.accounting, saturation: merged.saturation });
      row.metrics = {
        readersPerNode: split.join('/'),
        fanoutCpuMs: fanoutCpu.reduce((a, b) => a + b, 0),
        // What the issue compares: the fan-out nodes' CPU per delivery against the single node's.
        serverCpuUsPerDelivery: (fanoutCpu.reduce((a, b) => a + b, 0) * 1000) / delivered,
        primaryCpuUsPerDelivery: ((after.primary - before.primary) * 1000) / delivered,
        nginxCpuUsPerDelivery: ((after.nginx - before.nginx) * 1000) / delivered,
        redisCpuMs: after.redis - before.redis,
        postP99Ms: posted.histogram.getValueAtPercentile(99) / 1000,
        disconnects: merged.disconnects,
        generatorCpuShare: merged.saturation.cpuShare,
      };
      if (split.some((count) => count === 0)) row.notes.push(`nginx's ip_hash put every reader on one node (${split.join('/')})`);
      row.notes.push('every process of the cluster (nginx, Redis, primary, both fan-out nodes) shares the server CPUs with the others: latency includes that, CPU per delivery does not');
      row.notes.push("the single node's CPU per delivery includes the POSTs (render, SQLite, its share of each entry), which the fan-out nodes do not pay: compare at thousands of readers, where deliveries dominate");
    });
  });
  const cpuRatio = ratio(Number(row.metrics.serverCpuUsPerDelivery), Number(single!.metrics.serverCpuUsPerDelivery));
  const p99Extra = row.latency && single!.latency ? row.latency.p99Ms - single!.latency.p99Ms : undefined;
  row.metrics.cpuPerDeliveryVsSingle = cpuRatio;
  row.metrics.p99MinusSingleMs = p99Extra;
  const judged = !row.discarded && !single!.discarded && !row.error && !single!.error;
  row.target = {
    text: `100% delivered; fan-out CPU/delivery ≤ 1.1× single (${cpuRatio ?? '–'}×); p99 ≤ single + 15 ms (${p99Extra === undefined ? '–' : `${p99Extra >= 0 ? '+' : ''}${p99Extra.toFixed(1)} ms`})${readers === 5000 ? '' : ' — judged at 5,000 readers'}`,
    met: !judged ? null : (row.accounting?.complete ?? false) && (readers !== 5000 || ((cpuRatio ?? Infinity) <= 1.1 && (p99Extra ?? Infinity) <= 15)),
  };
  single!.target = { text: '100% delivered', met: single!.accounting?.complete ?? false };
  return [single!, row];
}
