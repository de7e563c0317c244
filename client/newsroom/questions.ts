import type { ReaderQuestion } from '../../contract/index.js';
import { api, ApiError } from '../http.js';
import { element } from './dom.js';
import type { Viewer } from './timeline.js';

/**
 * Readers' questions on the desk (issue 19): the post's moderation queue, live over an event
 * stream only logged-in people can open (GET /api/posts/:slug/questions/events: a snapshot, then
 * each new or removed question). Editors answer one (it is published quoted in a new entry with
 * the answer), delete it, or block its sender's address. Everything here is text, never HTML.
 */
export function setupQuestions(root: HTMLElement, slug: () => string, viewer: Viewer): void {
  const timeline = root.querySelector<HTMLElement>('#timeline');
  if (!timeline) return;
  const editor = viewer.role !== 'author';
  const count = element('span', { className: 'questions-count', id: 'questions-count' }, '0');
  const list = element('ol', { className: 'questions-list', id: 'questions-list' });
  const empty = element('p', { className: 'muted', id: 'questions-empty' }, 'No questions waiting.');
  const section = element('section', { className: 'questions-queue', id: 'questions' }, element('h2', {}, 'Questions from readers ', count), empty, list);
  section.setAttribute('aria-label', 'Questions from readers');
  timeline.before(section);

  const update = () => {
    count.textContent = String(list.children.length);
    empty.hidden = list.children.length > 0;
  };
  const add = (question: ReaderQuestion) => {
    if (list.querySelector(`[data-question-id="${question.id}"]`)) return;
    list.append(item(question, editor));
    update();
  };
  const remove = (id: number) => {
    list.querySelector(`[data-question-id="${id}"]`)?.remove();
    update();
  };

  const events = new EventSource(`/api/posts/${encodeURIComponent(slug())}/questions/events`);
  events.addEventListener('snapshot', (event) => {
    const { questions } = JSON.parse((event as MessageEvent<string>).data) as { questions: ReaderQuestion[] };
    list.replaceChildren();
    questions.forEach(add);
    update();
  });
  events.addEventListener('question', (event) => add(JSON.parse((event as MessageEvent<string>).data) as ReaderQuestion));
  events.addEventListener('removed', (event) => remove((JSON.parse((event as MessageEvent<string>).data) as { id: number }).id));
  section.addEventListener('question-gone', (event) => remove((event as CustomEvent<number>).detail));
}

function item(question: ReaderQuestion, editor: boolean): HTMLLIElement {
  const received = new Date(question.receivedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const meta = element('p', { className: 'question-meta' }, element('strong', {}, question.name ?? 'Anonymous'), ` · ${received} · `, element('span', { className: 'question-address' }, question.address));
  const text = element('blockquote', { className: 'question-text' }, question.question);
  const li = element('li', { className: 'question', dataset: { questionId: String(question.id) } }, meta, text);
  if (!editor) return li;
  const message = element('p', { className: 'participation-message' });
  message.setAttribute('role', 'status');
  const gone = () => li.closest('section')?.dispatchEvent(new CustomEvent('question-gone', { detail: question.id }));
  const answer = element('button', { type: 'button', className: 'question-answer' }, 'Answer and publish');
  const remove = element('button', { type: 'button', className: 'question-delete' }, 'Delete');
  const block = element('button', { type: 'button', className: 'question-block' }, 'Block this address');
  answer.setAttribute('aria-label', `Answer and publish the question from ${question.name ?? 'an anonymous reader'}`);
  remove.setAttribute('aria-label', `Delete the question from ${question.name ?? 'an anonymous reader'}`);
  const actions = element('div', { className: 'question-actions' }, answer, remove, block);
  li.append(actions, message);

  answer.addEventListener('click', () => {
    if (li.querySelector('form')) return;
    const box = element('textarea', { rows: 3, className: 'question-answer-text', id: `answer-${question.id}` });
    const form = element(
      'form',
      { className: 'question-answer-form stack' },
      element('label', { htmlFor: box.id }, 'Your answer (Markdown)'),
      box,
      element('div', {}, element('button', { type: 'submit' }, 'Publish'), ' ', element('button', { type: 'button', className: 'question-cancel' }, 'Cancel')),
    );
    form.querySelector('.question-cancel')!.addEventListener('click', () => form.remove());
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!box.value.trim()) return;
      try {
        await api('POST', `/api/questions/${question.id}/publish`, { json: { answer: box.value } });
        gone();
      } catch (error) {
        message.textContent = error instanceof ApiError ? `Not published: ${error.message}` : 'Not published: the server could not be reached; try again.';
      }
    });
    actions.after(form);
    box.focus();
  });
  remove.addEventListener('click', async () => {
    try {
      await api('DELETE', `/api/questions/${question.id}`);
      gone();
    } catch {
      message.textContent = 'Not deleted; try again.';
    }
  });
  block.addEventListener('click', async () => {
    try {
      const list = await api<{ words: string[]; addresses: string[] }>('GET', '/api/questions/blocklist');
      if (!list.addresses.includes(question.address)) await api('PUT', '/api/questions/blocklist', { json: { ...list, addresses: [...list.addresses, question.address] } });
      await api('DELETE', `/api/questions/${question.id}`);
      gone();
    } catch {
      message.textContent = 'Not blocked; try again.';
    }
  });
  return li;
}
