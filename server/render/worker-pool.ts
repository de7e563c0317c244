/**
 * A small worker pool with a time limit per task: the one place that rule is implemented.
 *
 * Some work on untrusted text takes super-linear time or recurses without end on hostile input
 * (marked rendering an entry, YAML and marked reading an import). On the event loop, one such
 * input freezes every request; here it costs at most one worker thread for `timeoutMs`, after
 * which the worker is terminated (piscina replaces it on demand). The clock starts when a worker
 * picks the task up, not when it is queued, so ordinary tasks queued behind a hostile one are not
 * refused for its slowness; a separate, longer budget bounds the wait itself.
 */
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';

/** `timeout`: the task (or its wait for a worker) ran out of time; `too_complex`: the worker overflowed its stack or memory. */
export type WorkerLimitReason = 'too_complex' | 'timeout';

export class WorkerLimitError extends Error {
  readonly reason: WorkerLimitReason;

  constructor(reason: WorkerLimitReason, options?: { cause?: unknown }) {
    super(reason === 'timeout' ? 'The task took too long' : 'The task was too complex', options);
    this.name = 'WorkerLimitError';
    this.reason = reason;
  }
}

/** What a worker receives: the task, and a port to say when it starts (so queueing is not billed). */
export type Clocked<Task> = Task & { started: MessagePort };

/** In the worker, first thing: the time limit counts from now. */
export function startClock(started: MessagePort): void {
  started.postMessage('started');
  started.close();
}

export interface TimedWorkerPoolOptions {
  /** The worker module beside the caller, without extension (`markdown.worker`), and the caller's `import.meta.url`. */
  worker: { name: string; besideUrl: string };
  /** Budget for the task itself, counted from the moment a worker starts on it. */
  timeoutMs: number;
  /** Budget including the wait for a free worker, so a flood cannot queue tasks forever. */
  queueTimeoutMs: number;
  minThreads: number;
  maxThreads: number;
}

/** Node reports both stack overflow and oversized strings as RangeError. */
function isTooComplex(err: unknown): boolean {
  if (err instanceof RangeError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ERR_WORKER_OUT_OF_MEMORY';
}

export class TimedWorkerPool<Task extends object, Result> {
  readonly #pool: Piscina<Clocked<Task>, Result>;
  readonly #timeoutMs: number;
  readonly #queueTimeoutMs: number;

  constructor(options: TimedWorkerPoolOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#queueTimeoutMs = options.queueTimeoutMs;
    const { filename, execArgv } = workerSetup(options.worker.name, options.worker.besideUrl);
    this.#pool = new Piscina<Clocked<Task>, Result>({
      filename,
      execArgv,
      minThreads: options.minThreads,
      maxThreads: Math.max(1, options.maxThreads),
      idleTimeout: 60_000,
    });
  }

  /** Runs the task in a worker; rejects with WorkerLimitError past a limit, or with the worker's own error. */
  async run(task: Task): Promise<Result> {
    const controller = new AbortController();
    const { port1, port2 } = new MessageChannel();
    const queueTimer = setTimeout(() => controller.abort(), this.#queueTimeoutMs);
    let runTimer: NodeJS.Timeout | undefined;
    port1.once('message', () => {
      runTimer = setTimeout(() => controller.abort(), this.#timeoutMs);
    });
    try {
      return await this.#pool.run({ ...task, started: port2 }, { signal: controller.signal, transferList: [port2] });
    } catch (err) {
      // Check the signal rather than the error shape: piscina rejects with its
      // own AbortError whose details vary between versions.
      if (controller.signal.aborted) throw new WorkerLimitError('timeout', { cause: err });
      if (isTooComplex(err)) throw new WorkerLimitError('too_complex', { cause: err });
      throw err;
    } finally {
      clearTimeout(queueTimer);
      clearTimeout(runTimer);
      port1.close();
    }
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

/**
 * Under vitest/tsx the caller is a `.ts` file and its worker must be loaded
 * through tsx; after `tsc` it is a `.js` file next to a compiled worker.
 * Derive both from the caller's extension.
 */
function workerSetup(name: string, besideUrl: string): { filename: string; execArgv: string[] | undefined } {
  const ext = extname(fileURLToPath(besideUrl));
  const filename = fileURLToPath(new URL(`./${name}${ext}`, besideUrl));
  if (ext !== '.ts') return { filename, execArgv: undefined };
  // Under the tsx CLI the loader is already in execArgv and workers inherit it;
  // under vitest it is not, so register tsx in the worker ourselves.
  const hasTsx = process.execArgv.some((arg) => /[\\/]tsx[\\/]|^tsx$/.test(arg));
  const execArgv = hasTsx ? [...process.execArgv] : [...process.execArgv, '--import', tsxLoaderUrl()];
  return { filename, execArgv };
}

/**
 * `--import tsx` would resolve against the cwd; resolve it from here instead so
 * tests work from any directory. Only called for .ts sources: tsx is a
 * devDependency and is never needed by the compiled build.
 */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}
