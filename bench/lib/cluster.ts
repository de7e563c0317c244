/**
 * The scale-out topology of `npm run cluster` (redis-server, a primary, two fan-out nodes, nginx
 * with deploy/'s config) for the bench: every process pinned to the server CPUs, the per-address
 * socket cap lifted (a handful of generators stand in for thousands of readers), and an editor
 * token to post with. Readers connect through nginx; its `ip_hash` spreads them over the fan-out
 * nodes by the first three octets of their address, so the generators take addresses in
 * distinct /24s of 127/8 (clusterAddresses).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Topology } from '../../scripts/cluster/topology.js';
import { processCpuMs } from './rpc.js';
import { ROOT, waitFor } from './server.js';

const run = promisify(execFile);

export class BenchCluster {
  private constructor(
    readonly topology: Topology,
    readonly token: string,
    private readonly dir: string,
  ) {}

  static async start(cpus: string, readers: number): Promise<BenchCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'liveline-bench-cluster-'));
    let topology: Topology | undefined;
    try {
      topology = await Topology.start({
        dir,
        logLevel: 'warn',
        prefix: ['taskset', '-c', cpus],
        nginxConnections: Math.max(4096, 2 * readers + 1000),
        env: { SOCKET_MAX_CONNECTIONS_PER_IP: '0', RATE_LIMIT_WRITES_PER_MINUTE: '1000000' },
      });
      const { stdout } = await run(process.execPath, [join(ROOT, 'bin/liveline.js'), 'token', 'create', '--name', 'bench', '--role', 'editor'], {
        env: { ...process.env, DATABASE_PATH: topology.databasePath, LOG_LEVEL: 'warn' },
      });
      const cluster = new BenchCluster(topology, stdout.trim(), dir);
      // Fan-out nodes deliver once they see the primary's beat through Redis (their /readyz).
      for (let i = 0; i < topology.fanouts.length; i++) await waitFor(async () => (await fetch(`${topology!.fanoutUrl(i)}/readyz`)).ok, 30_000, `fan-out node ${i + 1} ready`);
      return cluster;
    } catch (error) {
      await topology?.stop();
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Where readers and the author go: nginx. */
  get url(): string {
    return this.topology.url;
  }

  authHeaders(idempotencyKey?: string): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) };
  }

  async createPost(title: string): Promise<{ slug: string; id: number }> {
    const response = await fetch(`${this.topology.primaryUrl}/api/posts`, { method: 'POST', headers: this.authHeaders(), body: JSON.stringify({ title, status: 'live' }) });
    if (response.status !== 201) throw new Error(`creating a post: ${response.status} ${await response.text()}`);
    return (await response.json()) as { slug: string; id: number };
  }

  /** Readers connected to each fan-out node (their /healthz). */
  async connections(): Promise<number[]> {
    return Promise.all(
      this.topology.fanouts.map(async (_, i) => {
        const response = await fetch(`${this.topology.fanoutUrl(i)}/healthz`).catch(() => undefined);
        return response?.ok ? ((await response.json()) as { connections: number }).connections : 0;
      }),
    );
  }

  /** CPU milliseconds used so far by each process: the fan-out nodes, the primary, nginx, Redis. */
  async cpuMs(): Promise<{ fanouts: number[]; primary: number; nginx: number; redis: number }> {
    const of = async (pid: number | undefined) => (pid === undefined ? 0 : processCpuMs(pid).catch(() => 0));
    const { topology } = this;
    return {
      fanouts: await Promise.all(topology.fanouts.map((node) => of(node.child?.pid))),
      primary: await of(topology.primary.child?.pid),
      // nginx's master only hands connections to its worker: the worker's CPU is what proxying costs.
      nginx: await withChildren(topology.nginx.child?.pid, of),
      redis: await of(topology.redis.child?.pid),
    };
  }

  async stop(): Promise<void> {
    await this.topology.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A process's CPU and its live children's (read from /proc). */
async function withChildren(pid: number | undefined, of: (pid: number | undefined) => Promise<number>): Promise<number> {
  if (pid === undefined) return 0;
  const { readFile } = await import('node:fs/promises');
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const cpus = await Promise.all([pid, ...children.split(' ').filter(Boolean).map(Number)].map((one) => of(one)));
  return cpus.reduce((sum, cpu) => sum + cpu, 0);
}

/** Source addresses in distinct /24s of 127/8, so that nginx's ip_hash spreads them over the fan-out nodes. */
export function clusterAddresses(generator: number, count: number): string[] {
  return Array.from({ length: count }, (_, j) => `127.${20 + generator * count + j}.0.${1 + generator}`);
}
