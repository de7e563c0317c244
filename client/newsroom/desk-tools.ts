import type { Desk } from './desk.js';
import { element } from './dom.js';
import { setupFind } from './find.js';
import { setupJump } from './jump.js';

/**
 * Above the desk's timeline: find-in-post and jump-to-time, one polite status line for both (what
 * was found, what is shown), and the search results.
 */
export function setupDeskTools(timeline: HTMLElement, context: { slug: () => string; timeZone: string; desk: Pick<Desk, 'reveal' | 'newest'> }): void {
  const bar = element('div', { className: 'desk-tools-bar' });
  const line = element('p', { className: 'desk-tools-status muted', id: 'desk-tools-status' });
  line.setAttribute('role', 'status');
  const results = element('ol', { className: 'find-results', id: 'find-results' });
  const tools = element('section', { className: 'desk-tools', id: 'desk-tools' }, bar, line, results);
  tools.setAttribute('aria-label', 'Find in this post, jump to a time');
  timeline.before(tools);
  const status = (message: string) => void (line.textContent = message);
  setupFind(bar, results, { ...context, status });
  setupJump(bar, { ...context, status });
}
