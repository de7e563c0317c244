import type { ParticipationSettings, QuestionBlocklist } from '../../contract/index.js';
import { api, read } from '../http.js';
import { element } from './dom.js';

/**
 * What readers may do on this post (issue 19), in the post settings (editors only: the panel is
 * not rendered for authors): reactions, questions to the desk, links in questions; and the
 * site-wide block list for questions (words and addresses). Each check box is saved at once
 * (PATCH /api/posts/:slug/participation); readers' pages follow live for reactions.
 */
export function setupParticipation(root: HTMLElement, slug: () => string): void {
  const settings = root.querySelector<HTMLDetailsElement>('#settings');
  if (!settings) return;
  const boxes = {
    reactions: element('input', { type: 'checkbox', id: 'participation-reactions' }),
    questions: element('input', { type: 'checkbox', id: 'participation-questions' }),
    questionLinks: element('input', { type: 'checkbox', id: 'participation-question-links' }),
  } satisfies Record<keyof ParticipationSettings, HTMLInputElement>;
  const message = element('span', { className: 'participation-message', id: 'participation-message' });
  message.setAttribute('role', 'status');
  const words = element('textarea', { id: 'blocked-words', rows: 3 });
  const addresses = element('textarea', { id: 'blocked-addresses', rows: 2 });
  const saveList = element('button', { type: 'button', id: 'blocklist-save' }, 'Save block list');
  const listMessage = element('span', { className: 'participation-message', id: 'blocklist-message' });
  listMessage.setAttribute('role', 'status');
  const fieldset = element(
    'fieldset',
    { id: 'participation', className: 'participation-settings stack' },
    element('legend', {}, 'Readers take part'),
    element('label', { className: 'inline-check' }, boxes.reactions, ' Reactions under each entry (👍 ❤️ 😮 😂 👏)'),
    element('label', { className: 'inline-check' }, boxes.questions, ' Readers may send questions to the desk'),
    element('label', { className: 'inline-check' }, boxes.questionLinks, ' Questions may contain links'),
    message,
    element('label', { htmlFor: 'blocked-words' }, 'Questions containing these words are dropped (one per line, every post)'),
    words,
    element('label', { htmlFor: 'blocked-addresses' }, 'Questions from these client addresses are dropped (one per line)'),
    addresses,
    element('div', {}, saveList, ' ', listMessage),
  );
  settings.append(fieldset);
  const said: Record<keyof ParticipationSettings, [string, string]> = {
    reactions: ['Reactions are on.', 'Reactions are off.'],
    questions: ['Questions are on.', 'Questions are off.'],
    questionLinks: ['Links are allowed in questions.', 'Links are refused in questions.'],
  };
  for (const box of Object.values(boxes)) box.disabled = true;
  void read<ParticipationSettings>(`/api/posts/${encodeURIComponent(slug())}/participation`).then((current) => {
    for (const [key, box] of Object.entries(boxes) as [keyof ParticipationSettings, HTMLInputElement][]) {
      box.checked = current[key];
      box.disabled = false;
    }
  });
  for (const [key, box] of Object.entries(boxes) as [keyof ParticipationSettings, HTMLInputElement][]) {
    box.addEventListener('change', async () => {
      box.disabled = true;
      try {
        const saved = await api<ParticipationSettings>('PATCH', `/api/posts/${encodeURIComponent(slug())}/participation`, { json: { [key]: box.checked } });
        box.checked = saved[key];
        message.textContent = said[key][saved[key] ? 0 : 1];
      } catch {
        box.checked = !box.checked;
        message.textContent = 'Not saved; try again.';
      } finally {
        box.disabled = false;
      }
    });
  }
  const lines = (text: string) => [...new Set(text.split('\n').map((line) => line.trim()).filter(Boolean))];
  settings.addEventListener('toggle', () => {
    if (!settings.open) return;
    void read<QuestionBlocklist>('/api/questions/blocklist').then((list) => {
      words.value = list.words.join('\n');
      addresses.value = list.addresses.join('\n');
    });
  });
  saveList.addEventListener('click', async () => {
    try {
      const saved = await api<QuestionBlocklist>('PUT', '/api/questions/blocklist', { json: { words: lines(words.value), addresses: lines(addresses.value) } });
      words.value = saved.words.join('\n');
      addresses.value = saved.addresses.join('\n');
      listMessage.textContent = 'Block list saved.';
    } catch {
      listMessage.textContent = 'Not saved; try again.';
    }
  });
}
