import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A child process pinned to some CPUs with `taskset`, spoken to over Node's IPC channel
 * (taskset execs node in place, so the pid and the channel are node's own).
 */
export class PinnedChild {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private exited = false;
  exitReason = '';
  readonly exit: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    this.exit = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        this.exited = true;
        this.exitReason = signal ? `killed by ${signal}` : `exit code ${code}`;
        for (const pending of this.waiting.values()) pending.reject(new Error(`${name} exited (${this.exitReason}) before answering:\n${this.log}`));
        this.waiting.clear();
        resolve(code);
      });
    });
    process.on('message', (message: unknown) => {
      const reply = message as { id?: number; error?: string; result?: unknown };
      if (typeof reply.id !== 'number') return;
      const pending = this.waiting.get(reply.id);
      if (!pending) return;
      this.waiting.delete(reply.id);
      if (reply.error) pending.reject(new Error(`${name}: ${reply.error}`));
      else pending.resolve(reply.result);
    });
  }

  static start(name: string, cpus: string, nodeArgs: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()): PinnedChild {
    const child = spawn('taskset', ['-c', cpus, process.execPath, ...nodeArgs], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const pinned = new PinnedChild(name, child);
    const keep = (chunk: Buffer) => pinned.appendLog(chunk.toString());
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return pinned;
  }

  /** The last lines the child printed, for error messages. */
  log = '';
  private appendLog(text: string): void {
    this.log = (this.log + text).slice(-8000);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${this.name}] ${text}`);
  }

  get alive(): boolean {
    return !this.exited;
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  call<T>(type: string, args: object = {}, timeoutMs = 600_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited (${this.exitReason}):\n${this.log}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: "${type}" got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.send({ id, type, ...args });
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    if (this.exited) return;
    this.process.kill(signal);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }
}

/** The child side: answers {id, type, ...} messages with handlers' results. */
export function serveRpc(handlers: Record<string, (message: Record<string, unknown>) => unknown>): void {
  process.on('message', (raw: unknown) => {
    const message = raw as Record<string, unknown> & { id: number; type: string };
    const handler = handlers[message.type];
    const send = (reply: object) => process.send?.({ id: message.id, ...reply });
    if (!handler) {
      send({ error: `unknown request "${message.type}"` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (result) => send({ result }),
        (error: unknown) => send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
  // A normal exit, so that --cpu-prof (BENCH_GENERATOR_NODE_ARGS) writes its profile.
  process.on('SIGTERM', () => process.exit(0));
}

/** CPU time (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
export async function processCpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
