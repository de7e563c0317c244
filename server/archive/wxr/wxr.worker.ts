/**
 * Piscina worker of WxrParser: reads and plans one WordPress export off the main thread, within
 * its time limit (parse-pool.ts). A file it cannot read at all is an answer, not a thrown error,
 * so its line survives the trip back (see jekyll.worker.ts).
 */
import { ArchiveFormatError } from '../errors.js';
import { startClock, type Clocked } from '../../render/worker-pool.js';
import { parseWxr } from './parse.js';
import { planWxr, type WxrPlan } from './plan.js';

export type WxrTask = Clocked<{ text: string; file: string }>;
export type WxrOutcome = { ok: true; plan: WxrPlan } | { ok: false; line: number; message: string };

export default function planInWorker({ text, file, started }: WxrTask): WxrOutcome {
  startClock(started);
  try {
    return { ok: true, plan: planWxr(parseWxr(text, file), file) };
  } catch (error) {
    if (error instanceof ArchiveFormatError) return { ok: false, line: error.line, message: error.message };
    throw error;
  }
}
