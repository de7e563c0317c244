import { setupCommands, type EntryMetaDraft } from './commands.js';
import { missingAlt } from './image-details.js';
import { setupImageDrop } from './image-drop.js';
import { livePreview } from './preview.js';

/**
 * The box an author writes the next entry in: the draft survives a reload (localStorage, per
 * user and post, so the next person on this browser does not find it), the preview follows the typing, and Publish or Ctrl/Cmd+Enter hands the text and the
 * key-event mark to `publish` (the outbox), then clears the box for the next entry. While the
 * outbox cannot send (offline, the server out of reach, the session ended), the button reads
 * "Queue": that is what it does then.
 */
export type EntryBox = {
  setQueueing(queueing: boolean): void;
  /**
   * What the box holds, read as Publish reads it (the commands' fields out of the text), for the
   * box's other ways out (Save draft, Submit, Schedule: draft-writing.ts); undefined when empty.
   */
  collect(): { body: string; keyEvent: boolean; meta: EntryMetaDraft } | undefined;
  /** Empties the box after one of those saved it, as after Publish. */
  clear(): void;
};

export function setupEntryBox(root: HTMLElement, userId: number, postId: number, publish: (body: string, keyEvent: boolean, meta: EntryMetaDraft) => void): EntryBox {
  const textarea = root.querySelector<HTMLTextAreaElement>('#entry-body')!;
  const keyEvent = root.querySelector<HTMLInputElement>('#entry-key-event')!;
  const preview = livePreview(textarea, root.querySelector<HTMLElement>('#preview')!);
  // `/key`, `#tag`, `@name`…: parsed into fields here, so the body sent is clean Markdown (commands.ts).
  const commands = setupCommands(root, userId, postId);

  const draftKey = `liveline:draft:${userId}:${postId}`;
  const saveDraft = () => (textarea.value ? localStorage.setItem(draftKey, textarea.value) : localStorage.removeItem(draftKey));
  // The box has autofocus: on a slow load, typing starts before this runs. What was typed wins.
  if (textarea.value) saveDraft();
  else textarea.value = localStorage.getItem(draftKey) ?? '';
  textarea.addEventListener('input', () => {
    saveDraft();
    preview.refresh();
  });
  if (textarea.value) preview.refresh();
  // A draft restored on dead Wi-Fi has no preview yet ("unavailable offline"): render it once the network is back.
  window.addEventListener('online', () => textarea.value && preview.refresh());

  const uploadStatus = root.querySelector<HTMLElement>('#upload-status')!;
  const clear = () => {
    textarea.value = '';
    keyEvent.checked = false;
    commands.reset();
    saveDraft();
    preview.clear();
    textarea.focus();
  };
  const send = () => {
    const { body, keyEvent: keyMoment, meta } = commands.collect(textarea.value, keyEvent.checked);
    if (!body.trim()) return;
    // The server refuses it too (422); saying so here keeps the entry in the box rather than failing in the outbox.
    if (missingAlt(body).length) {
      uploadStatus.textContent = 'An image has no alt text: describe it inside ![…], or mark it decorative: ![](url "decorative").';
      uploadStatus.className = 'error';
      textarea.focus();
      return;
    }
    publish(body, keyMoment, meta);
    clear();
  };
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  });
  const button = root.querySelector<HTMLButtonElement>('#publish')!;
  button.addEventListener('click', send);

  setupImageDrop(textarea, uploadStatus, () => {
    saveDraft();
    preview.refresh();
  });

  return {
    setQueueing(queueing) {
      button.textContent = queueing ? 'Queue' : 'Publish';
      button.dataset.mode = queueing ? 'queue' : 'publish';
    },
    collect() {
      const collected = commands.collect(textarea.value, keyEvent.checked);
      return collected.body.trim() ? collected : undefined;
    },
    clear,
  };
}
