/**
 * Piscina worker of ArchiveParser: reads one imported file off the main thread, so a file that
 * takes too long can be stopped by terminating this worker. A file it cannot import is an answer
 * (ParseOutcome), not a thrown error: an ArchiveFormatError would lose its class and its line
 * on the way back to the main thread.
 */
import { ArchiveFormatError } from './errors.js';
import { parseJekyll } from './jekyll.js';
import type { ParseOutcome, ParseTask } from './parse-pool.js';
import { startClock } from '../render/worker-pool.js';

export default function parseInWorker({ text, file, started }: ParseTask): ParseOutcome {
  // The time limit counts from now: time spent queued behind another import is not this file's fault.
  startClock(started);
  try {
    return { ok: true, post: parseJekyll(text, file) };
  } catch (error) {
    if (error instanceof ArchiveFormatError) return { ok: false, line: error.line, message: error.message };
    throw error;
  }
}
