/**
 * Piscina worker: runs the synchronous pipeline off the main thread so a
 * pathological body can be killed by terminating this worker.
 */
import { renderMarkdownSync, type RenderTask } from './markdown.js';
import { startClock } from './worker-pool.js';

export default function renderInWorker({ body, images, started }: RenderTask): string {
  // Tell the main thread the clock starts now: time spent queued is not the body's fault.
  startClock(started);
  return renderMarkdownSync(body, images);
}
