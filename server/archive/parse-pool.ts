/**
 * Reads imported Jekyll/WordPress files in a worker thread, never on the event loop.
 *
 * parseJekyll is synchronous, and even within limits.ts a large file takes a while to read: on
 * the event loop that time is taken from every request and socket of the server (a 9 MB nested
 * list once froze it for over a minute, then killed it). Here a file costs one worker thread, for
 * at most PARSE_TIME_LIMIT_MS (TimedWorkerPool terminates it past that). A pool of its own, with
 * one thread started on demand, so imports never take the threads live entries render in.
 * Whatever stops a file (its format, a limit, the time limit, a worker overflowing) ends as an
 * ArchiveFormatError naming file and line, which the API answers with 422 and a batch skips.
 */
import { ArchiveFormatError } from './errors.js';
import type { ParsedPost } from './jekyll.js';
import { PARSE_TIME_LIMIT_MS, WXR_PARSE_TIME_LIMIT_MS } from './limits.js';
import type { WxrPlan } from './wxr/plan.js';
import type { WxrOutcome } from './wxr/wxr.worker.js';
import { TimedWorkerPool, WorkerLimitError, type Clocked } from '../render/worker-pool.js';

export type ParseTask = Clocked<{ text: string; file: string }>;

/** Errors do not keep their class across threads, so the worker answers with data. */
export type ParseOutcome = { ok: true; post: ParsedPost } | { ok: false; line: number; message: string };

export interface ArchiveParserOptions {
  timeoutMs?: number;
  /** Imports queue behind one another (one thread); a batch on a busy server may wait a while. */
  queueTimeoutMs?: number;
}

export class ArchiveParser {
  readonly #pool: TimedWorkerPool<{ text: string; file: string }, ParseOutcome>;
  readonly #timeoutMs: number;

  constructor(options: ArchiveParserOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? PARSE_TIME_LIMIT_MS;
    this.#pool = new TimedWorkerPool({
      worker: { name: 'jekyll.worker', besideUrl: import.meta.url },
      timeoutMs: this.#timeoutMs,
      queueTimeoutMs: options.queueTimeoutMs ?? 60_000,
      // Imports are rare: no thread until one arrives, none a minute after the last.
      minThreads: 0,
      maxThreads: 1,
    });
  }

  /** parseJekyll in the worker; every failure is an ArchiveFormatError. */
  async parse(text: string, file: string): Promise<ParsedPost> {
    let outcome: ParseOutcome;
    try {
      outcome = await this.#pool.run({ text, file });
    } catch (error) {
      if (!(error instanceof WorkerLimitError)) throw error;
      const seconds = this.#timeoutMs / 1000;
      throw new ArchiveFormatError(
        file,
        1,
        error.reason === 'timeout'
          ? `reading the file took longer than ${seconds} s, or the server was too busy to start on it; try again, or split it into smaller files`
          : 'the file is too large or too deeply nested to read',
      );
    }
    if (!outcome.ok) throw new ArchiveFormatError(file, outcome.line, outcome.message);
    return outcome.post;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/**
 * WordPress exports (wxr/), read and planned in a worker of their own like Markdown files, with a
 * longer time limit: one file is a whole site.
 */
export class WxrParser {
  readonly #pool: TimedWorkerPool<{ text: string; file: string }, WxrOutcome>;
  readonly #timeoutMs: number;

  constructor(options: ArchiveParserOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? WXR_PARSE_TIME_LIMIT_MS;
    this.#pool = new TimedWorkerPool({
      // The worker lives in wxr/; any file there with this file's extension (.ts in tests, .js built) locates it.
      worker: { name: 'wxr.worker', besideUrl: new URL(`./wxr/plan${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href },
      timeoutMs: this.#timeoutMs,
      queueTimeoutMs: options.queueTimeoutMs ?? 60_000,
      minThreads: 0,
      maxThreads: 1,
    });
  }

  async plan(text: string, file: string): Promise<WxrPlan> {
    let outcome: WxrOutcome;
    try {
      outcome = await this.#pool.run({ text, file });
    } catch (error) {
      if (!(error instanceof WorkerLimitError)) throw error;
      throw new ArchiveFormatError(file, 1, error.reason === 'timeout' ? `reading the file took longer than ${this.#timeoutMs / 1000} s; export the site in parts (Tools → Export by date)` : 'the file is too large or too deeply nested to read');
    }
    if (!outcome.ok) throw new ArchiveFormatError(file, outcome.line, outcome.message);
    return outcome.plan;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}
