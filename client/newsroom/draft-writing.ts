import type { Draft, Post } from '../../contract/index.js';
import { eventZone, fromEventInput, nextFullHourInput } from './clock.js';
import { saveDraft } from './drafts-api.js';
import { element } from './dom.js';
import type { EntryBox } from './entry-box.js';
import { errorText } from './notices.js';
import type { Viewer } from './timeline.js';

/**
 * The box's other ways out (issue 17), beside Publish: Save draft (shared with the desk),
 * Submit for review (contributors, whose Publish is not there and whose Ctrl+Enter submits), and
 * Schedule at a time in the event's zone (authors and above). The box is read as Publish reads
 * it: `/headline`, `/location`, `#tag` and `@name` become the draft's fields (a `/pin` waits for
 * the entry: a draft cannot be pinned). A saved text leaves the box as a published one does.
 */
export function setupDraftWriting(root: HTMLElement, viewer: Viewer, post: () => Post, saved: (draft: Draft) => void, box: EntryBox): void {
  const textarea = root.querySelector<HTMLTextAreaElement>('#entry-body')!;
  const publish = root.querySelector<HTMLButtonElement>('#publish')!;
  const status = element('span', { className: 'error', id: 'draft-status', role: 'alert' });
  const contributor = viewer.role === 'contributor';

  const send = async (state: 'draft' | 'submitted' | 'scheduled', publishAt?: string) => {
    const collected = box.collect();
    if (!collected) return;
    const { pin: _pin, ...fields } = collected.meta;
    status.textContent = '';
    try {
      saved(await saveDraft(post().slug, { body: collected.body, keyEvent: collected.keyEvent, state, ...(publishAt ? { publishAt } : {}), ...fields }));
      box.clear();
    } catch (error) {
      status.textContent = errorText(error);
    }
  };

  const saveButton = element('button', { type: 'button', id: 'save-draft' }, 'Save draft');
  saveButton.addEventListener('click', () => void send('draft'));
  const controls: (Node | string)[] = [' ', saveButton];
  if (contributor) {
    textarea.placeholder = 'What is happening? Markdown works. Ctrl+Enter submits it for review.';
    // Uploads are for those who publish; a contributor's images come through an editor.
    root.querySelector<HTMLElement>('label[for="image-picker"]')?.setAttribute('hidden', '');
    const submit = element('button', { type: 'button', id: 'submit-review' }, 'Submit for review');
    submit.addEventListener('click', () => void send('submitted'));
    controls.push(' ', submit, ' ', element('kbd', {}, 'Ctrl'), '+', element('kbd', {}, 'Enter'));
    // Ctrl+Enter publishes for everyone else; a contributor's submits (caught before the box's own handler).
    root.addEventListener(
      'keydown',
      (event) => {
        if (event.target !== textarea || event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
        event.preventDefault();
        event.stopPropagation();
        void send('submitted');
      },
      true,
    );
  } else {
    const at = element('input', { type: 'datetime-local', id: 'schedule-at', step: '1', value: nextFullHourInput(eventZone()) });
    const schedule = element('button', { type: 'button', id: 'schedule' }, 'Schedule');
    schedule.addEventListener('click', () => {
      const publishAt = fromEventInput(at.value, eventZone());
      if (!publishAt) return void (status.textContent = 'Choose when to publish it.');
      void send('scheduled', publishAt);
    });
    controls.push(' ', element('label', { className: 'schedule' }, 'or publish at ', at), ' ', schedule);
  }
  (publish.parentElement!.querySelector('kbd:last-of-type') ?? publish).after(...controls, ' ', status);
}
