import { cpuCount } from '../config.js';
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
  const row = await withRetries(ctx, () => measureCluster(ctx, readers, 'nginx'));
  ctx.log(`cluster: the same, readers connected straight to the fan-out nodes (no nginx)…`);
  const direct = await withRetries(ctx, () => measureCluster(ctx, readers, 'direct'));
  const singleCoreMs = Number(single!.metrics.serverCpuMs) / ctx.cfg.entries;
  const judged = (r: Row) => !r.discarded && !single!.discarded && !r.error && !single!.error;
  for (const r of [row, direct]) {
    const cpuRatio = ratio(Number(r.metrics.serverCpuUsPerDelivery), Number(single!.metrics.serverCpuUsPerDelivery));
    const p99Extra = r.latency && single!.latency ? r.latency.p99Ms - single!.latency.p99Ms : undefined;
    r.metrics.cpuPerDeliveryVsSingle = cpuRatio;
    r.metrics.p99MinusSingleMs = p99Extra;
    // On this machine every cluster process shares the server CPUs that the single node has to
    // itself, so a change waits for the CPU the others spend on it (nginx proxying each frame
    // above all): what the cluster's p99 exceeds the single node's by, beyond that extra CPU, is
    // the scale-out path's own latency (a hop through Redis), not the machine's.
    const coreMs = Number(r.metrics.serverCoreMsPerChange);
    if (Number.isFinite(singleCoreMs) && Number.isFinite(coreMs)) {
      r.metrics.singleCoreMsPerChange = singleCoreMs;
      r.metrics.extraCoreMsPerChange = coreMs - singleCoreMs;
      if (p99Extra !== undefined) r.metrics.p99BeyondExtraCpuMs = p99Extra - (coreMs - singleCoreMs);
    }
    const extra = p99Extra === undefined ? '–' : `${p99Extra >= 0 ? '+' : ''}${p99Extra.toFixed(1)} ms`;
    if (r === direct) {
      // Not the production topology: it isolates nginx's share of the cluster's latency and CPU.
      r.target = { text: `100% delivered; not judged: nginx's share is the difference from the row above (p99 ${extra} over single)`, met: judged(r) ? (r.accounting?.complete ?? false) : null };
      continue;
    }
    r.target = {
      text: `100% delivered; fan-out CPU/delivery ≤ 1.1× single (${cpuRatio ?? '–'}×); p99 ≤ single + 15 ms (${extra})${readers === 5000 ? '' : ' — judged at 5,000 readers'}`,
      met: !judged(r) ? null : (r.accounting?.complete ?? false) && (readers !== 5000 || ((cpuRatio ?? Infinity) <= 1.1 && (p99Extra ?? Infinity) <= 15)),
    };
  }
  single!.target = { text: '100% delivered', met: single!.accounting?.complete ?? false };
  return [single!, row, direct];
}

/**
 * One cluster run. `nginx`: readers connect through nginx, as in production. `direct`: half the
 * generators connect straight to each fan-out node, bypassing nginx, so that the difference
 * between the two rows is nginx's (its CPU per proxied frame shares the server CPUs with the
 * nodes, Redis and the primary).
 */
async function measureCluster(ctx: Ctx, readers: number, via: 'nginx' | 'direct'): Promise<Row> {
  const { cfg, gens } = ctx;
  const cluster = await BenchCluster.start(cfg.serverCpus, readers);
  const variant = via === 'nginx' ? 'nginx → 2 fan-out nodes (Redis), posted on the primary' : 'readers straight to the 2 fan-out nodes (no nginx), posted on the primary';
  const row: Row = { scenario: 'cluster', variant, readers, metrics: {}, notes: [] };
  return runAgainst(ctx, row, cluster, async () => {
    const post = await cluster.createPost(`Cluster ${readers}`);
    const nodes = cluster.topology.fanouts.length;
    await gens.all('setup', (index) => ({ url: via === 'nginx' ? cluster.url : cluster.topology.fanoutUrl(index % nodes), slug: post.slug }));
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
    const switchesBefore = await cluster.switches();
    const startedAt = Date.now();
    const posted = await postEntries(cluster, post.slug, cfg.entries, { perSecond: cfg.entriesPerSecond });
    if (posted.failures.length) row.notes.push(`${posted.failures.length} POSTs failed: ${posted.failures.slice(0, 2).join('; ')}`);
    await waitDelivered(ctx, readers * cfg.entries, Date.now() + cfg.settleMs);
    const reports = await gens.all<GenReport>('measure-report');
    const after = await cluster.cpuMs();
    const switchesAfter = await cluster.switches();
    const wallMs = Date.now() - startedAt;
    const merged = merge(ctx, reports, readers, cfg.entries);
    const fanoutCpu = after.fanouts.map((cpu, i) => cpu - (before.fanouts[i] ?? 0));
    const spent = { fanouts: fanoutCpu.reduce((a, b) => a + b, 0), primary: after.primary - before.primary, nginx: after.nginx - before.nginx, redis: after.redis - before.redis };
    const delivered = Math.max(1, merged.accounting.delivered);
    Object.assign(row, { latency: merged.latency, curve: merged.curve, accounting: merged.accounting, saturation: merged.saturation });
    row.metrics = {
      readersPerNode: split.join('/'),
      fanoutCpuMs: spent.fanouts,
      fanoutCpuMsPerNode: fanoutCpu.join('/'),
      // What the issue compares: the fan-out nodes' CPU per delivery against the single node's.
      serverCpuUsPerDelivery: (spent.fanouts * 1000) / delivered,
      primaryCpuUsPerDelivery: (spent.primary * 1000) / delivered,
      // nginx's workers proxy every frame: CPU the single node does not spend, on the same server CPUs.
      nginxCpuUsPerDelivery: (spent.nginx * 1000) / delivered,
      nginxCpuMs: spent.nginx,
      primaryCpuMs: spent.primary,
      redisCpuMs: spent.redis,
      fanoutMsPerChange: spent.fanouts / cfg.entries,
      nginxMsPerChange: spent.nginx / cfg.entries,
      primaryMsPerChange: spent.primary / cfg.entries,
      redisMsPerChange: spent.redis / cfg.entries,
      // Every cluster process's CPU per change, on the server CPUs the single node has to itself.
      serverCoreMsPerChange: (spent.fanouts + spent.primary + spent.nginx + spent.redis) / cfg.entries,
      // Every cluster process together over the measured window, against the server CPUs' time.
      serverCpuBusyPct: (100 * (spent.fanouts + spent.primary + spent.nginx + spent.redis)) / Math.max(1, wallMs * cpuCount(cfg.serverCpus)),
      // How often nginx went to sleep and was woken, and the nodes were preempted, per delivery.
      nginxSleepsPerDelivery: (switchesAfter.nginx.voluntary - switchesBefore.nginx.voluntary) / delivered,
      fanoutPreemptionsPerDelivery: (switchesAfter.fanouts.forced - switchesBefore.fanouts.forced) / delivered,
      postP99Ms: posted.histogram.getValueAtPercentile(99) / 1000,
      disconnects: merged.disconnects,
      generatorCpuShare: merged.saturation.cpuShare,
    };
    if (split.some((count) => count === 0)) row.notes.push(`every reader landed on one node (${split.join('/')})`);
    row.notes.push('every process of the cluster (nginx, Redis, primary, both fan-out nodes) shares the server CPUs with the others: latency includes that, CPU per delivery does not');
    row.notes.push("the single node's CPU per delivery includes the POSTs (render, SQLite, its share of each entry), which the fan-out nodes do not pay: compare at thousands of readers, where deliveries dominate");
  });
}
