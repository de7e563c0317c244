import type { SearchHit } from '../../contract/index.js';
import { searchPost } from '../api-client.js';
import type { Desk } from './desk.js';
import { element } from './dom.js';
import { clockElement, timeText } from './clock.js';
import { spotlight } from './reveal.js';

/**
 * Find-in-post on the desk: a search box over the post's entries, answered by the server
 * (GET /api/posts/:slug/search), so it works on a long post without loading it. Each result is a
 * button with the entry's time and an excerpt, the matched words marked (built from text nodes:
 * the excerpt is the entry's text, never HTML); choosing one reveals the entry on the desk.
 * Enter searches at once; typing searches after a short pause, the last word as a prefix.
 */

const RESULTS = 20;
const TYPING_PAUSE_MS = 300;
/** Searching while typing starts at two letters (one would match nearly everything). */
const TYPING_MIN_LETTERS = 2;

export type FindContext = { slug: () => string; timeZone: string; desk: Pick<Desk, 'reveal'>; status: (message: string) => void };

/** The search box goes into `bar`, the results into `results`. */
export function setupFind(bar: HTMLElement, results: HTMLOListElement, { slug, timeZone, desk, status }: FindContext): void {
  const input = element('input', { type: 'search', id: 'find-query', name: 'q', maxLength: 200, autocomplete: 'off', placeholder: 'Words in the entries' });
  const form = element(
    'form',
    { className: 'find', id: 'find' },
    element('label', { htmlFor: 'find-query' }, 'Find in this post'),
    ' ',
    input,
    ' ',
    element('button', { type: 'submit' }, 'Find'),
  );
  form.setAttribute('role', 'search');
  results.setAttribute('aria-label', 'Matching entries');
  results.hidden = true;
  bar.append(form);

  let searched = '';
  let pending: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;

  const run = async (q: string) => {
    clearTimeout(pending);
    if (q === searched) return;
    searched = q;
    inFlight?.abort();
    if (!/[\p{L}\p{N}]/u.test(q)) {
      results.replaceChildren();
      results.hidden = true;
      return status(q.trim() ? 'Type a word (letters or digits) to find.' : '');
    }
    const controller = (inFlight = new AbortController());
    try {
      const answer = await searchPost(slug(), q, RESULTS, controller.signal);
      if (controller.signal.aborted) return;
      results.replaceChildren(...answer.hits.map((hit) => element('li', {}, resultButton(hit))));
      results.hidden = answer.hits.length === 0;
      const count = answer.hits.length === 1 ? '1 entry matches' : `${answer.hits.length}${answer.more ? '+' : ''} entries match`;
      status(answer.hits.length === 0 ? `No entry matches “${q.trim()}”.` : `${count} “${q.trim()}”${answer.more ? ' (the newest are shown; add a word to narrow it down)' : ''}.`);
    } catch (error) {
      if (controller.signal.aborted) return;
      searched = '';
      status(`Search failed: ${error instanceof Error ? error.message : String(error)}. Try again.`);
    }
  };

  const resultButton = (hit: SearchHit): HTMLButtonElement => {
    const excerpt = element('span', { className: 'excerpt' }, ...hit.excerpt.map((part) => (part.match ? element('mark', {}, part.text) : part.text)));
    const button = element('button', { type: 'button', className: 'find-hit' }, clockElement(hit.createdAt, 'seconds'), ' ', excerpt);
    button.addEventListener('click', () => void show(hit));
    return button;
  };

  const show = async (hit: SearchHit) => {
    status('Loading the entry…');
    try {
      const node = await desk.reveal(hit);
      if (!node) return status('That entry is no longer on the post (deleted, or just moved).');
      spotlight(node);
      status(`Showing the entry of ${timeText(hit.createdAt, timeZone, { seconds: true })}.`);
    } catch (error) {
      status(`Could not load the entry: ${error instanceof Error ? error.message : String(error)}.`);
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    searched = '';
    void run(input.value);
  });
  input.addEventListener('input', () => {
    clearTimeout(pending);
    const letters = input.value.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
    if (letters === 0) return void run('');
    if (letters >= TYPING_MIN_LETTERS) pending = setTimeout(() => void run(input.value), TYPING_PAUSE_MS);
  });
}
