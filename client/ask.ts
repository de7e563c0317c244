import type { ParticipationSettings } from '../contract/index.js';
import { ui } from './i18n.js';

/**
 * "Ask the desk" (issue 19): a reader sends a question or comment to the editors. A button in the
 * page's corner (fixed, so nothing in the stream moves when it appears) opens a dialog with an
 * optional name and the message. Opening it fetches a ticket (the server's time-to-submit check);
 * a field people never see is the honeypot. Nothing is shown to other readers: the message goes
 * to the desk's moderation queue.
 */
export class Ask {
  private ticket: Promise<string | undefined> | undefined;

  constructor(private readonly slug: string) {}

  /** Adds the button when the post takes questions. */
  async start(): Promise<void> {
    try {
      const response = await fetch(`/api/posts/${encodeURIComponent(this.slug)}/participation`, { headers: { accept: 'application/json' } });
      if (!response.ok || !((await response.json()) as ParticipationSettings).questions) return;
    } catch {
      return;
    }
    const { dialog, form } = this.build();
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'ask-open';
    open.id = 'ask-open';
    open.textContent = ui.t('reader.ask.open');
    open.setAttribute('aria-haspopup', 'dialog');
    open.addEventListener('click', () => {
      this.ticket = this.fetchTicket();
      dialog.showModal();
      form.querySelector<HTMLTextAreaElement>('textarea')!.focus();
    });
    document.body.append(open, dialog);
  }

  private build(): { dialog: HTMLDialogElement; form: HTMLFormElement } {
    const dialog = document.createElement('dialog');
    dialog.className = 'ask-dialog';
    dialog.id = 'ask-dialog';
    dialog.setAttribute('aria-labelledby', 'ask-title');
    const title = document.createElement('h2');
    title.id = 'ask-title';
    title.textContent = ui.t('reader.ask.title');
    const note = document.createElement('p');
    note.className = 'ask-note';
    note.textContent = ui.t('reader.ask.note');

    const form = document.createElement('form');
    form.className = 'ask-form';
    const name = field('input', 'ask-name', ui.t('reader.ask.name'));
    (name.control as HTMLInputElement).maxLength = 60;
    name.control.setAttribute('autocomplete', 'nickname');
    const question = field('textarea', 'ask-question', ui.t('reader.ask.question'));
    const text = question.control as HTMLTextAreaElement;
    text.maxLength = 1000;
    text.rows = 4;
    text.required = true;
    // The honeypot: out of sight and out of the accessibility tree; people leave it empty.
    const trap = field('input', 'ask-website', ui.t('reader.ask.honeypot'));
    trap.wrapper.className = 'ask-trap';
    trap.wrapper.setAttribute('aria-hidden', 'true');
    const trapInput = trap.control as HTMLInputElement;
    trapInput.name = 'website';
    trapInput.tabIndex = -1;
    trapInput.autocomplete = 'off';

    const status = document.createElement('p');
    status.className = 'ask-status';
    status.setAttribute('role', 'status');
    const send = document.createElement('button');
    send.type = 'submit';
    send.textContent = ui.t('reader.ask.send');
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'ask-close';
    close.textContent = ui.t('reader.ask.close');
    close.addEventListener('click', () => dialog.close());
    const actions = document.createElement('div');
    actions.className = 'ask-actions';
    actions.append(send, close);
    form.append(name.wrapper, question.wrapper, trap.wrapper, actions, status);
    dialog.append(title, note, form);

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!text.value.trim()) return;
      send.disabled = true;
      status.textContent = '';
      try {
        const ticket = (await this.ticket) ?? (await (this.ticket = this.fetchTicket()));
        const response = await fetch(`/api/posts/${encodeURIComponent(this.slug)}/questions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ question: text.value, ticket: ticket ?? '', ...((name.control as HTMLInputElement).value.trim() ? { name: (name.control as HTMLInputElement).value } : {}), ...(trapInput.value ? { website: trapInput.value } : {}) }),
        });
        if (response.status === 202) {
          status.textContent = ui.t('reader.ask.sent');
          text.value = '';
          this.ticket = this.fetchTicket();
          return;
        }
        const problem = (await response.json().catch(() => ({}))) as { type?: string };
        if (problem.type === '/problems/too-fast') status.textContent = ui.t('reader.ask.tooFast');
        else if (problem.type === '/problems/links-not-allowed') status.textContent = ui.t('reader.ask.noLinks');
        else {
          if (problem.type === '/problems/ticket-expired') this.ticket = this.fetchTicket();
          status.textContent = ui.t('reader.ask.failed');
        }
      } catch {
        status.textContent = ui.t('reader.ask.failed');
      } finally {
        send.disabled = false;
      }
    });
    return { dialog, form };
  }

  private async fetchTicket(): Promise<string | undefined> {
    try {
      const response = await fetch(`/api/posts/${encodeURIComponent(this.slug)}/questions/ticket`, { cache: 'no-store' });
      return response.ok ? ((await response.json()) as { ticket: string }).ticket : undefined;
    } catch {
      return undefined;
    }
  }
}

function field(tag: 'input' | 'textarea', id: string, label: string): { wrapper: HTMLElement; control: HTMLInputElement | HTMLTextAreaElement } {
  const wrapper = document.createElement('p');
  const labelElement = document.createElement('label');
  labelElement.htmlFor = id;
  labelElement.textContent = label;
  const control = document.createElement(tag);
  control.id = id;
  wrapper.append(labelElement, control);
  return { wrapper, control };
}
