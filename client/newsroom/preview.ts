import { preview } from '../api-client.js';
import { ApiError } from '../http.js';
import { element } from './dom.js';

/**
 * The draft's preview, rendered by the server's own pipeline so it is exactly what readers will
 * see. Typing is debounced; an answer that arrives after a newer request started is dropped.
 */
export function livePreview(source: HTMLTextAreaElement, target: HTMLElement): { refresh(): void; clear(): void } {
  let timer: number | undefined;
  let seq = 0;
  const refresh = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const mine = ++seq;
      const body = source.value;
      if (!body.trim()) return void (target.innerHTML = '');
      try {
        const { html } = await preview({ body });
        if (mine === seq) target.innerHTML = html; // sanitized by the server
      } catch (error) {
        if (mine === seq) target.replaceChildren(element('p', { className: 'muted' }, error instanceof ApiError ? `Preview: ${error.message}` : 'Preview unavailable offline'));
      }
    }, 250);
  };
  return { refresh, clear: () => void (target.innerHTML = '') };
}
