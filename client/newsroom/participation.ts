import type { ParticipationSettings } from '../../contract/index.js';
import { api, read } from '../http.js';
import { element } from './dom.js';

/**
 * What readers may do on this post (issue 19), in the post settings (editors only: the panel is
 * not rendered for authors): reactions on or off. Saved at once (PATCH
 * /api/posts/:slug/participation); readers' pages show or drop their reaction buttons live.
 */
export function setupParticipation(root: HTMLElement, slug: () => string): void {
  const settings = root.querySelector<HTMLDetailsElement>('#settings');
  if (!settings) return;
  const reactions = element('input', { type: 'checkbox', id: 'participation-reactions' });
  const message = element('span', { className: 'settings-message', id: 'participation-message' });
  message.setAttribute('role', 'status');
  const fieldset = element(
    'fieldset',
    { id: 'participation', className: 'participation-settings' },
    element('legend', {}, 'Readers take part'),
    element('label', { className: 'inline-check' }, reactions, ' Reactions under each entry (👍 ❤️ 😮 😂 👏)'),
    ' ',
    message,
  );
  settings.append(fieldset);
  reactions.disabled = true;
  void read<ParticipationSettings>(`/api/posts/${encodeURIComponent(slug())}/participation`).then((current) => {
    reactions.checked = current.reactions;
    reactions.disabled = false;
  });
  reactions.addEventListener('change', async () => {
    reactions.disabled = true;
    try {
      const saved = await api<ParticipationSettings>('PATCH', `/api/posts/${encodeURIComponent(slug())}/participation`, { json: { reactions: reactions.checked } });
      reactions.checked = saved.reactions;
      message.textContent = saved.reactions ? 'Reactions are on.' : 'Reactions are off.';
    } catch {
      reactions.checked = !reactions.checked;
      message.textContent = 'Not saved; try again.';
    } finally {
      reactions.disabled = false;
    }
  });
}
