import type { Poll, PostPolls } from '../../contract/index.js';
import { api, ApiError, read } from '../http.js';
import { element } from './dom.js';

/**
 * The composer's poll form (issue 19): a question, 2–6 options, and when voting closes (by hand,
 * or in 5 minutes to an hour). Publishing creates an entry holding the poll (POST
 * /api/posts/:slug/polls), which readers see at once. Below it, the post's polls with their
 * totals and a "Close poll" button for each open one.
 */

const MIN_OPTIONS = 2;
const MAX_OPTIONS = 6;
const CLOSES = [
  ['', 'When I close it'],
  ['5', 'In 5 minutes'],
  ['15', 'In 15 minutes'],
  ['30', 'In 30 minutes'],
  ['60', 'In 1 hour'],
] as const;

export function setupPollComposer(root: HTMLElement, slug: () => string): void {
  const write = root.querySelector<HTMLElement>('section.write');
  if (!write) return;
  const question = element('input', { id: 'poll-question', type: 'text', maxLength: 200, required: true });
  const options = element('ol', { className: 'poll-option-inputs', id: 'poll-options' });
  const addOption = element('button', { type: 'button', id: 'poll-add-option' }, 'Add an option');
  const closes = element('select', { id: 'poll-closes' }, ...CLOSES.map(([value, label]) => element('option', { value }, label)));
  const keyEvent = element('input', { type: 'checkbox', id: 'poll-key-event' });
  const publish = element('button', { type: 'submit', id: 'poll-publish' }, 'Publish poll');
  const message = element('p', { id: 'poll-message', className: 'participation-message' });
  message.setAttribute('role', 'status');
  const list = element('ul', { id: 'poll-list', className: 'poll-list' });

  const optionInput = (n: number) => {
    const input = element('input', { type: 'text', maxLength: 100, className: 'poll-option-input' });
    input.setAttribute('aria-label', `Option ${n}`);
    return element('li', {}, input);
  };
  const renumber = () => {
    [...options.querySelectorAll('input')].forEach((input, index) => input.setAttribute('aria-label', `Option ${index + 1}`));
    addOption.disabled = options.children.length >= MAX_OPTIONS;
  };
  for (let n = 1; n <= MIN_OPTIONS; n++) options.append(optionInput(n));
  addOption.addEventListener('click', () => {
    if (options.children.length >= MAX_OPTIONS) return;
    const item = optionInput(options.children.length + 1);
    options.append(item);
    item.querySelector('input')!.focus();
    renumber();
  });

  const form = element(
    'form',
    { id: 'poll-form', className: 'stack' },
    element('label', { htmlFor: 'poll-question' }, 'Question'),
    question,
    element('fieldset', {}, element('legend', {}, `Options (${MIN_OPTIONS} to ${MAX_OPTIONS})`), options, addOption),
    element('label', { htmlFor: 'poll-closes' }, 'Voting closes'),
    closes,
    element('label', { className: 'inline-check' }, keyEvent, ' The poll is a key moment'),
    element('div', {}, publish),
    message,
  );
  const details = element('details', { className: 'poll-composer', id: 'poll-composer' }, element('summary', {}, 'Add a poll'), form, element('h3', {}, 'Polls in this post'), list);
  write.after(details);

  const refresh = async () => {
    try {
      const { polls } = await read<PostPolls>(`/api/posts/${encodeURIComponent(slug())}/polls`);
      list.replaceChildren(...polls.map((poll) => pollItem(poll, refresh)));
      if (polls.length === 0) list.append(element('li', { className: 'muted' }, 'No polls yet.'));
    } catch {
      // Offline: the list stays as it was.
    }
  };
  details.addEventListener('toggle', () => {
    if (details.open) void refresh();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const labels = [...options.querySelectorAll<HTMLInputElement>('input')].map((input) => input.value.trim()).filter(Boolean);
    if (!question.value.trim() || labels.length < MIN_OPTIONS) {
      message.textContent = `A poll needs a question and at least ${MIN_OPTIONS} options.`;
      return;
    }
    const minutes = Number(closes.value);
    publish.disabled = true;
    try {
      await api('POST', `/api/posts/${encodeURIComponent(slug())}/polls`, {
        json: { question: question.value.trim(), options: labels, ...(minutes ? { closesAt: new Date(Date.now() + minutes * 60_000).toISOString() } : {}), ...(keyEvent.checked ? { keyEvent: true } : {}) },
      });
      message.textContent = 'Poll published.';
      question.value = '';
      options.replaceChildren(optionInput(1), optionInput(2));
      renumber();
      closes.value = '';
      keyEvent.checked = false;
      await refresh();
    } catch (error) {
      message.textContent = error instanceof ApiError ? `Not published: ${error.message}` : 'Not published: the server could not be reached; try again.';
    } finally {
      publish.disabled = false;
    }
  });
}

function pollItem(poll: Poll, refresh: () => Promise<void>): HTMLLIElement {
  const summary = `${poll.question} — ${poll.options.map((option) => `${option.label} ${option.votes}`).join(', ')} (${poll.total} ${poll.total === 1 ? 'vote' : 'votes'})`;
  const item = element('li', { dataset: { pollId: String(poll.id) } }, summary, ' ');
  if (poll.closed) item.append(element('span', { className: 'muted' }, 'Closed'));
  else {
    const close = element('button', { type: 'button', className: 'poll-close' }, 'Close poll');
    close.addEventListener('click', async () => {
      close.disabled = true;
      try {
        await api('POST', `/api/polls/${poll.id}/close`);
      } finally {
        await refresh();
      }
    });
    item.append(close);
  }
  return item;
}
