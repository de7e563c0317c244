/**
 * The scale-out topology of `npm run cluster` (redis-server, a primary, two fan-out nodes, nginx
 * with deploy/'s config) for the bench: every process pinned to the server CPUs, the per-address
 * socket cap lifted (a handful of generators stand in for thousands of readers), and an editor
 * token to post with. Readers connect through nginx; its `ip_hash` spreads them over the fan-out
 * nodes by the first three octets of their address, so the generators take addresses in
 * distinct /24s of 127/8 (clusterAddresses).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Topology } from '../../scripts/cluster/topology.js';
import { processCpuMs } from './rpc.js';
import { ROOT, waitFor } from './server.js';

const run = promisify(execFile);

export type ClusterCpu = { fanouts: number[]; primary: number; nginx: number; redis: number };

export type Switches = { voluntary: number; forced: number };

/** A process's context switches, every thread's (from /proc/PID/task/N/status). */
async function contextSwitches(pid: number): Promise<Switches> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const counts = await Promise.all(
    tasks.map(async (task) => {
      const status = await readFile(`/proc/${pid}/task/${task}/status`, 'utf8').catch(() => '');
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      return { voluntary: field('voluntary_ctxt_switches'), forced: field('nonvoluntary_ctxt_switches') };
    }),
  );
  return counts.reduce((a, b) => ({ voluntary: a.voluntary + b.voluntary, forced: a.forced + b.forced }), { voluntary: 0, forced: 0 });
}

/** A process's children (nginx's workers), from /proc. */
async function childPids(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

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
        // Two per reader; nginx closes connections still waiting for their request once fewer than
        // a sixteenth of its slots are free ("worker_connections are not enough, reusing
        // connections"): at 2 × readers + 1,000, about 1% of the readers were turned away.
        nginxConnections: Math.max(4096, Math.ceil((2 * readers * 16) / 15) + 1000),
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

  /**
   * CPU milliseconds used so far by each process: the fan-out nodes, the primary, nginx (its
   * workers, which do the proxying, with the master), Redis.
   */
  async cpuMs(): Promise<ClusterCpu> {
    const of = async (pid: number | undefined) => (pid === undefined ? 0 : processCpuMs(pid).catch(() => 0));
    const { topology } = this;
    const nginx = topology.nginx.child?.pid;
    const workers = nginx === undefined ? [] : await childPids(nginx);
    const [fanouts, primary, nginxMs, redis] = await Promise.all([
      Promise.all(topology.fanouts.map((node) => of(node.child?.pid))),
      of(topology.primary.child?.pid),
      Promise.all([nginx, ...workers].map(of)).then((all) => all.reduce((a, b) => a + b, 0)),
      of(topology.redis.child?.pid),
    ]);
    return { fanouts, primary, nginx: nginxMs, redis };
  }

  /**
   * Context switches so far (voluntary: the process went to sleep, e.g. waiting in epoll; forced:
   * preempted), summed over the fan-out nodes and over nginx's processes: how often the processes
   * that share the server CPUs hand the CPU to each other.
   */
  async switches(): Promise<{ fanouts: Switches; nginx: Switches }> {
    const { topology } = this;
    const nginx = topology.nginx.child?.pid;
    const sum = async (pids: (number | undefined)[]) => {
      const all = await Promise.all(pids.filter((pid): pid is number => pid !== undefined).map(contextSwitches));
      return all.reduce((a, b) => ({ voluntary: a.voluntary + b.voluntary, forced: a.forced + b.forced }), { voluntary: 0, forced: 0 });
    };
    return {
      fanouts: await sum(topology.fanouts.map((node) => node.child?.pid)),
      nginx: await sum(nginx === undefined ? [] : [nginx, ...(await childPids(nginx))]),
    };
  }

  async stop(): Promise<void> {
    await this.topology.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Source addresses in distinct /24s of 127/8, so that nginx's ip_hash spreads them over the fan-out nodes. */
export function clusterAddresses(generator: number, count: number): string[] {
  return Array.from({ length: count }, (_, j) => `127.${20 + generator * count + j}.0.${1 + generator}`);
}
