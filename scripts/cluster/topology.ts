import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The scale-out topology on one machine, without Docker: redis-server, one primary, fan-out
 * nodes and nginx (Debian packages) on loopback ports, with the nginx config from deploy/.
 * Used by `npm run cluster` and by the cluster tests. Runs the built server (bin/liveline.js).
 */

/** The repository root (this file runs from the sources, through tsx or vitest). */
const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
const CLI = join(ROOT, 'bin/liveline.js');
const NGINX_TEMPLATE = join(ROOT, 'deploy/nginx/liveline.conf.template');

export type TopologyOptions = {
  /** Working directory: logs, nginx and redis files; the database unless databasePath is given. */
  dir: string;
  databasePath?: string;
  fanouts?: number;
  /** Fixed ports (npm run cluster); free ones are picked when absent (tests). */
  ports?: { nginx: number; primary: number; redis: number; fanouts: number[] };
  logLevel?: string;
  /** Extra environment for the Liveline nodes (the bench lifts the per-address socket cap). */
  env?: Record<string, string>;
  /** Runs every process under this prefix, e.g. ['taskset', '-c', '0'] (the bench pins the cluster to the server CPUs). */
  prefix?: string[];
  /** nginx worker_connections (each proxied reader takes two); default 4096. */
  nginxConnections?: number;
};

type Node = { name: string; port: number; child?: ChildProcess | undefined };

export class Topology {
  readonly redis: Node;
  readonly primary: Node;
  readonly fanouts: Node[];
  readonly nginx: Node;

  private constructor(
    private readonly options: TopologyOptions,
    ports: NonNullable<TopologyOptions['ports']>,
  ) {
    this.redis = { name: 'redis', port: ports.redis };
    this.primary = { name: 'primary', port: ports.primary };
    this.fanouts = ports.fanouts.map((port, i) => ({ name: `fanout-${i + 1}`, port }));
    this.nginx = { name: 'nginx', port: ports.nginx };
  }

  static async start(options: TopologyOptions): Promise<Topology> {
    const count = options.fanouts ?? 2;
    const ports = options.ports ?? { nginx: await freePort(), primary: await freePort(), redis: await freePort(), fanouts: await Promise.all(Array.from({ length: count }, freePort)) };
    const topology = new Topology(options, ports);
    try {
      await topology.startRedis();
      await topology.startPrimary();
      await Promise.all(topology.fanouts.map((_, i) => topology.startFanout(i)));
      await topology.startNginx();
    } catch (error) {
      await topology.stop();
      throw error;
    }
    return topology;
  }

  /** The single public address (nginx). */
  get url(): string {
    return `http://127.0.0.1:${this.nginx.port}`;
  }

  get primaryUrl(): string {
    return `http://127.0.0.1:${this.primary.port}`;
  }

  fanoutUrl(i: number): string {
    return `http://127.0.0.1:${this.fanouts[i]!.port}`;
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.redis.port}`;
  }

  get databasePath(): string {
    return this.options.databasePath ?? join(this.options.dir, 'liveline.db');
  }

  async startRedis(): Promise<void> {
    const dir = join(this.options.dir, 'redis');
    mkdirSync(dir, { recursive: true });
    // No persistence: a restarted Redis is empty, the harder case for convergence.
    this.launch(this.redis, 'redis-server', ['--port', String(this.redis.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
    await until(() => redisAnswers(this.redis.port), `redis-server on port ${this.redis.port}`, this.redis);
  }

  async stopRedis(): Promise<void> {
    await stopChild(this.redis);
  }

  /** Freezes Redis (SIGSTOP): connections stay open but nothing answers, the nastier outage. */
  pauseRedis(paused: boolean): void {
    this.redis.child?.kill(paused ? 'SIGSTOP' : 'SIGCONT');
  }

  async startPrimary(): Promise<void> {
    this.launch(this.primary, process.execPath, [CLI, 'serve'], { ROLE: 'primary', DATABASE_PATH: this.databasePath });
    await until(() => httpOk(`${this.primaryUrl}/healthz`), 'the primary', this.primary);
  }

  async startFanout(i: number): Promise<void> {
    const node = this.fanouts[i]!;
    this.launch(node, process.execPath, [CLI, 'serve'], { ROLE: 'fanout', PRIMARY_URL: this.primaryUrl });
    await until(() => httpOk(`${this.fanoutUrl(i)}/healthz`), node.name, node);
  }

  async stopFanout(i: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await stopChild(this.fanouts[i]!, signal);
  }

  async startNginx(): Promise<void> {
    const dir = join(this.options.dir, 'nginx');
    for (const sub of ['cache', 'temp']) mkdirSync(join(dir, sub), { recursive: true });
    const site = renderNginxTemplate(readFileSync(NGINX_TEMPLATE, 'utf8'), {
      LISTEN: `127.0.0.1:${this.nginx.port}`,
      PRIMARY: `127.0.0.1:${this.primary.port}`,
      FANOUT_SERVERS: this.fanouts.map((node) => `server 127.0.0.1:${node.port} max_fails=1 fail_timeout=5s;`).join(' '),
      CACHE_DIR: join(dir, 'cache'),
    });
    writeFileSync(join(dir, 'liveline.conf'), site);
    const temp = join(dir, 'temp');
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        // Workers run as the user who started the cluster, so they can write in its directory.
        process.getuid?.() === 0 ? 'user root;' : '',
        'worker_processes 1;',
        'daemon off;',
        `pid ${join(dir, 'nginx.pid')};`,
        `error_log ${join(dir, 'error.log')} warn;`,
        `worker_rlimit_nofile ${Math.max(8192, 2 * (this.options.nginxConnections ?? 4096))};`,
        `events { worker_connections ${this.options.nginxConnections ?? 4096}; }`,
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(temp, kind)};`),
        `  include ${join(dir, 'liveline.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
    this.launch(this.nginx, 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')]);
    await until(() => httpOk(`${this.url}/healthz`), 'nginx', this.nginx);
  }

  /** Stops everything, nginx first and Redis last. */
  async stop(): Promise<void> {
    await stopChild(this.nginx);
    await Promise.all(this.fanouts.map((node) => stopChild(node)));
    await stopChild(this.primary);
    await stopChild(this.redis);
  }

  private launch(node: Node, command: string, args: string[], env: Record<string, string> = {}): void {
    const log = openSync(join(this.options.dir, `${node.name}.log`), 'a');
    const prefix = this.options.prefix ?? [];
    node.child = spawn(prefix[0] ?? command, prefix.length ? [...prefix.slice(1), command, ...args] : args, {
      cwd: ROOT,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        // nginx lives in /usr/sbin, which is not on every user's PATH.
        PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/local/sbin`,
        HOST: '127.0.0.1',
        PORT: String(node.port),
        REDIS_URL: this.redisUrl,
        // Readers arrive through nginx: their own addresses (socket caps, rate limits) are in X-Forwarded-For.
        TRUST_PROXY: 'true',
        // Links in pages and feeds name the address readers use: nginx, not the node's own port.
        PUBLIC_URL: this.url,
        LOG_LEVEL: this.options.logLevel ?? 'info',
        ...this.options.env,
        ...env,
      },
    });
    node.child.on('error', () => {});
  }
}

/** The Debian packages the topology needs that are not installed here (nginx may sit in /usr/sbin). */
export function missingTools(): string[] {
  const path = `${process.env.PATH ?? ''}:/usr/sbin:/usr/local/sbin`;
  return ['redis-server', 'nginx'].filter((tool) => spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { env: { ...process.env, PATH: path }, stdio: 'ignore' }).status !== 0);
}

/** Fills `${NAME}` placeholders like the nginx image's envsubst step: only the names given, nginx's own `$vars` untouched. */
export function renderNginxTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

async function stopChild(node: Node, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const child = node.child;
  node.child = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function until(check: () => Promise<boolean>, what: string, node: Node, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    const child = node.child;
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}); see ${node.name}.log`);
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${timeoutMs / 1000} s`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

function redisAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      done(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'bin/liveline.js'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Liveline checkout above ${from}`);
    dir = parent;
  }
  return dir;
}
