import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Liveline server of the test's own (built code, temp database), for tests that restart it. */
export class OwnServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'liveline-own-'));
  private child: ChildProcess | undefined;
  port = 0;

  /** `env`: settings of this server's own (e.g. a low SOCKET_MAX_CONNECTIONS_PER_IP). */
  constructor(private readonly extraEnv: Record<string, string> = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private get env() {
    return { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', DATABASE_PATH: join(this.dir, 'liveline.db'), LOG_LEVEL: 'warn', ...this.extraEnv };
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.child = spawn(process.execPath, ['bin/liveline.js', 'serve'], { env: this.env, stdio: ['ignore', 'inherit', 'inherit'] });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  token(role: 'author' | 'editor' | 'admin' = 'editor'): string {
    return execFileSync(process.execPath, ['bin/liveline.js', 'token', 'create', '--name', `Own ${role}`, '--role', role], {
      env: this.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A TCP port nothing listens on right now, on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
