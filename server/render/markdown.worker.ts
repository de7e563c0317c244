/**
 * Piscina worker: runs the synchronous pipeline off the main thread so a
 * pathological body can be killed by terminating this worker.
 */
import { renderMarkdownSync } from './markdown.js';

export default function renderInWorker(body: string): string {
  return renderMarkdownSync(body);
}
