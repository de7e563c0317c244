import type { Post } from '../contract/index.js';

/**
 * "What we know" above the stream (issue 15): the editors' short summary, kept current from the
 * post.updated change. Its HTML was rendered and sanitized on the server when it was saved.
 */
export function showSummary(post: Post): void {
  const box = document.getElementById('summary');
  const body = document.getElementById('summary-body');
  if (!box || !body) return;
  // Older servers (a rolling upgrade) send posts without the field: leave the box as it is.
  if (typeof post.summaryHtml !== 'string') return;
  if (body.innerHTML !== post.summaryHtml) body.innerHTML = post.summaryHtml;
  box.hidden = post.summaryHtml === '';
}
