import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PinnedChild, processCpuMs } from './rpc.js';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../..');
export const PROBE = resolve(import.meta.dirname, 'server-probe.mjs');

export type Memory = { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; handles: number };

/** A free TCP port on loopback (the OS picks it; we release it for the child to bind). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The real built server (`node bin/liveline.js serve`) on a fresh temp database, pinned with taskset. */
export class LivelineServer {
  private constructor(
    public child: PinnedChild,
    readonly url: string,
    readonly token: string,
    private readonly dir: string,
    /** How the child was started, to start it again on the same port and database (restart()). */
    private readonly launch: () => PinnedChild,
  ) {}

  static async start(cpus: string): Promise<LivelineServer> {
    const dir = await mkdtemp(join(tmpdir(), 'liveline-bench-'));
    const env = {
      DATABASE_PATH: join(dir, 'bench.db'),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // The generators stand in for thousands of readers from a handful of loopback addresses, and
      // the writes scenario measures durable throughput, not the per-token policy: lift both limits.
      SOCKET_MAX_CONNECTIONS_PER_IP: '0',
      RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
      // Issue 19's scenarios send every reader's reaction and vote from the same few addresses.
      READER_WRITES_PER_MINUTE: '1000000',
    };
    const cli = join(ROOT, 'bin/liveline.js');
    const { stdout } = await run(process.execPath, [cli, 'token', 'create', '--name', 'bench', '--role', 'editor'], { env: { ...process.env, ...env } });
    const token = stdout.trim();
    const port = await freePort();
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under test.
    const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const launch = () => PinnedChild.start('server', cpus, [...extra, '--expose-gc', '--import', PROBE, cli, 'serve'], { ...env, PORT: String(port) }, ROOT);
    const child = launch();
    const url = `http://127.0.0.1:${port}`;
    const server = new LivelineServer(child, url, token, dir, launch);
    try {
      await server.ready();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  private ready(): Promise<void> {
    return waitFor(async () => (await fetch(`${this.url}/healthz`)).ok, 30_000, `the server on ${this.url}\n${this.child.log}`);
  }

  /**
   * A deploy: the server stops as it does on SIGTERM (readers' transports closed, so they
   * reconnect) and starts again on the same port and database. Resolves once it answers again,
   * with when it went down and when it answered.
   */
  async restart(): Promise<{ stoppedAt: number; exitedAt: number; readyAt: number }> {
    const stoppedAt = performance.timeOrigin + performance.now();
    await this.child.stop();
    const exitedAt = performance.timeOrigin + performance.now();
    this.child = this.launch();
    await waitFor(async () => (await fetch(`${this.url}/healthz`)).ok, 60_000, `the restarted server on ${this.url}\n${this.child.log}`);
    return { stoppedAt, exitedAt, readyAt: performance.timeOrigin + performance.now() };
  }

  authHeaders(idempotencyKey?: string): Record<string, string> {
    return {
      authorization: `Bearer ${this.token}`,
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    };
  }

  async createPost(title: string): Promise<{ slug: string; id: number }> {
    const response = await fetch(`${this.url}/api/posts`, { method: 'POST', headers: this.authHeaders(), body: JSON.stringify({ title, status: 'live' }) });
    if (response.status !== 201) throw new Error(`creating a post: ${response.status} ${await response.text()}`);
    return (await response.json()) as { slug: string; id: number };
  }

  memory(): Promise<Memory> {
    return this.child.call<Memory>('memory', {}, 60_000);
  }

  loopDelay(): Promise<{ p99Ms: number; maxMs: number }> {
    return this.child.call('loop-delay', {}, 60_000);
  }

  /** The server's event-loop idle and active time so far (ms); the share between two calls is its utilization. */
  loopTime(): Promise<{ idle: number; active: number }> {
    return this.child.call('loop-time', {}, 60_000);
  }

  cpuMs(): Promise<number> {
    return processCpuMs(this.child.pid);
  }

  async stop(): Promise<void> {
    await this.child.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
