import type { Entry, EntryPatch } from '../../contract/index.js';
import { entryRevisions, stale, updateEntry } from '../api-client.js';
import { element } from './dom.js';
import { eventZone, fromEventInput, timeText, toEventInput, zoneLabel } from './clock.js';
import type { Viewer } from './timeline.js';

/**
 * Editing one entry in place on the desk. The save sends If-Match with the version the edit
 * started from, never one moved by live updates: a stale save (412) shows the other person's
 * version and lets the editor choose, save theirs over or start from it.
 */
export type EntryEditor = {
  form: HTMLFormElement;
  focus(): void;
  /** A live update of the entry arrived while it is open. */
  seen(version: number): void;
};

export function openEntryEditor(entry: Entry, viewer: Viewer, close: () => void): EntryEditor {
  let baseVersion = entry.version;
  const form = element('form', { className: 'desk-entry editing', dataset: { entryId: String(entry.id) } });
  const body = element('textarea', { className: 'edit-body', rows: 5, value: entry.body });
  body.setAttribute('aria-label', 'Entry text');
  // Typed in the event zone, as every newsroom time reads (clock.ts); the line under it says what it saves as.
  const zone = eventZone();
  const shownAt = element('input', { type: 'datetime-local', className: 'edit-time', step: '1' });
  shownAt.value = toEventInput(entry.createdAt, zone, 'seconds');
  const initialShownAt = shownAt.value;
  const shownHint = element('span', { className: 'field-hint muted', id: `shown-time-hint-${entry.id}` });
  shownAt.setAttribute('aria-describedby', shownHint.id);
  const showHint = () => {
    const at = fromEventInput(shownAt.value, zone);
    shownHint.textContent = at ? ` Saves as ${timeText(at, zone, { seconds: true })}` : '';
  };
  shownAt.addEventListener('input', showHint);
  showHint();
  const meanwhile = element('p', { className: 'meanwhile warning', role: 'status' });
  const conflict = element('div', { className: 'conflict', hidden: true });
  form.append(element('p', { className: 'muted' }, `Editing version ${entry.version}`), body);
  if (viewer.role !== 'author') form.append(element('label', {}, `Shown time (${zone}, ${zoneLabel(zone, Date.parse(entry.createdAt))}) `, shownAt), shownHint);
  form.append(meanwhile, conflict, element('button', { type: 'submit' }, 'Save'), ' ', element('button', { type: 'button', className: 'cancel', onclick: close }, 'Cancel'));

  async function save(version: number): Promise<void> {
    const patch: EntryPatch = { body: body.value };
    const time = fromEventInput(shownAt.value, zone);
    if (viewer.role !== 'author' && time && shownAt.value !== initialShownAt) patch.createdAt = time;
    try {
      await updateEntry(entry.id, version, patch);
      close();
    } catch (error) {
      const theirs = stale(error)?.entry;
      if (theirs) return showConflict(theirs);
      conflict.hidden = false;
      conflict.replaceChildren(element('p', { className: 'error' }, error instanceof Error ? error.message : String(error)));
    }
  }

  function showConflict(theirs: Entry): void {
    // Name the person: the entry's author is not necessarily who saved the newer version.
    void entryRevisions(entry.id).then(
      ({ revisions }) => {
        const latest = revisions.find((revision) => revision.version === theirs.version);
        const who = conflict.querySelector('.who-saved');
        if (latest?.actor && who) who.textContent = `${latest.actor.name} saved this entry meanwhile (version ${theirs.version}, ${timeText(latest.createdAt, zone, { seconds: true })}). Their version:`;
      },
      () => undefined,
    );
    baseVersion = theirs.version;
    const theirBody = element('div', { className: 'entry-body theirs' });
    theirBody.innerHTML = theirs.html; // sanitized by the server
    conflict.hidden = false;
    conflict.replaceChildren(
      element('p', { className: 'warning who-saved', role: 'alert' }, `Someone else saved this entry meanwhile (version ${theirs.version}). Their version:`),
      theirBody,
      element('button', { type: 'button', className: 'reapply', onclick: () => void save(theirs.version) }, 'Save mine over theirs'),
      ' ',
      element('button', { type: 'button', className: 'take-theirs', onclick: () => ((body.value = theirs.body), (conflict.hidden = true)) }, 'Start from theirs'),
    );
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save(baseVersion);
  });
  body.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
    if (event.key === 'Escape') close();
  });

  return {
    form,
    focus: () => body.focus(),
    seen: (version) => {
      if (version !== baseVersion) meanwhile.replaceChildren(`Changed by someone else meanwhile (now version ${version}); saving will show you both.`);
    },
  };
}
