import type { Entry, EntryPatch } from '../../contract/index.js';
import { entryRevisions, preview, stale, updateEntry } from '../api-client.js';
import { element } from './dom.js';
import { entryMetaFields } from './entry-meta-fields.js';
import { eventZone, fromEventInput, timeText, toEventInput, zoneLabel } from './clock.js';
import { errorText, inlineError } from './notices.js';
import { readersView, renderTextDiff, sourceView, type ReadersView } from './rendered-diff.js';
import { isEditor, type Viewer } from './timeline.js';

/**
 * Editing one entry in place on the desk. The save sends If-Match with the version the edit
 * started from, never one moved by live updates: a stale save (412) shows who saved meanwhile and
 * what differs between their version and mine (the text readers see, as in the history), with
 * exactly two ways out: keep mine (saved over theirs) or take theirs (mine is dropped).
 * However it closes (Save, Cancel, Esc, either choice), the desk puts the focus back on the
 * entry's Edit button.
 */
export type EntryEditor = {
  form: HTMLFormElement;
  focus(): void;
  /** A live update of the entry arrived while it is open. */
  seen(version: number): void;
};

/** `saved`: the entry as this editor saved it (the desk shows it without waiting for the feed). */
export type CloseEditor = (saved?: Entry) => void;

export function openEntryEditor(entry: Entry, viewer: Viewer, close: CloseEditor): EntryEditor {
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
  const saveButton = element('button', { type: 'submit', className: 'save' }, 'Save');
  const cancelButton = element('button', { type: 'button', className: 'cancel', onclick: () => close() }, 'Cancel');
  const buttons = element('div', { className: 'editor-buttons' }, saveButton, ' ', cancelButton);
  // Headline, location, tags, label and (editors) correction: issue 17.
  const meta = entryMetaFields(entry, viewer, body);
  form.append(element('p', { className: 'muted' }, `Editing version ${entry.version}`), meta.element, body, ...meta.belowBody);
  if (isEditor(viewer)) form.append(element('label', {}, `Shown time (${zoneName(zone, Date.parse(entry.createdAt))}) `, shownAt), shownHint);
  form.append(meanwhile, conflict, buttons);

  let saving = false;
  async function save(version: number): Promise<void> {
    const patch: EntryPatch = meta.patch(body.value);
    const time = fromEventInput(shownAt.value, zone);
    if (isEditor(viewer) && time && shownAt.value !== initialShownAt) patch.createdAt = time;
    // Not `disabled`: disabling the focused button would drop the focus the desk gives back to Edit.
    if (saving) return;
    saving = true;
    try {
      close(await updateEntry(entry.id, version, patch));
    } catch (error) {
      const theirs = stale(error)?.entry;
      if (theirs) return showConflict(theirs);
      showConflictless(errorText(error));
    } finally {
      saving = false;
    }
  }

  /** Any other failure: said inline, above the buttons; the text stays for another try. */
  function showConflictless(message: string): void {
    buttons.hidden = false;
    conflict.hidden = false;
    conflict.replaceChildren(inlineError(`Not saved: ${message}`));
  }

  function showConflict(theirs: Entry): void {
    baseVersion = theirs.version;
    const mine = body.value;
    const who = element('p', { className: 'warning who-saved', role: 'alert' }, `Someone else saved this entry meanwhile (version ${theirs.version}). Yours is not saved yet.`);
    // Name the person: the entry's author is not necessarily who saved the newer version.
    void entryRevisions(entry.id).then(
      ({ revisions }) => {
        const latest = revisions.find((revision) => revision.version === theirs.version);
        if (latest?.actor) who.textContent = `${latest.actor.name} saved this entry meanwhile (version ${theirs.version}, ${timeText(latest.createdAt, zone, { seconds: true })}). Yours is not saved yet.`;
      },
      () => undefined,
    );
    const diff = element('div', { className: 'conflict-diff' }, element('p', { className: 'muted' }, 'Theirs → yours, as readers would see it: ', element('del', {}, 'only in theirs'), ' ', element('ins', {}, 'only in yours')));
    const showDiff = (mineView: ReadersView) => diff.append(renderTextDiff(readersView(theirs.html), mineView));
    // Mine is rendered by the same pipeline as theirs; offline, its Markdown stands in.
    void preview({ body: mine }).then(
      ({ html }) => showDiff(readersView(html)),
      () => showDiff(sourceView(mine)),
    );
    const keepMine = element('button', { type: 'button', className: 'keep-mine' }, 'Keep mine (save over theirs)');
    keepMine.addEventListener('click', () => void save(theirs.version));
    const takeTheirs = element('button', { type: 'button', className: 'take-theirs' }, 'Take theirs (drop mine)');
    takeTheirs.addEventListener('click', () => close(theirs));
    // Exactly two choices: Save and Cancel step aside until one is made (Esc still takes theirs).
    buttons.hidden = true;
    meanwhile.replaceChildren();
    conflict.hidden = false;
    conflict.replaceChildren(who, diff, element('div', { className: 'conflict-choices' }, keepMine, ' ', takeTheirs));
    keepMine.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (buttons.hidden) return;
    void save(baseVersion);
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target === body) {
      event.preventDefault();
      form.requestSubmit();
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  return {
    form,
    focus: () => body.focus(),
    seen: (version) => {
      if (version !== baseVersion) meanwhile.replaceChildren(`Changed by someone else meanwhile (now version ${version}); saving will show you both.`);
    },
  };
}

/** "America/Los_Angeles, PT"; only "UTC" when the label is the zone's name. */
function zoneName(zone: string, at: number): string {
  const label = zoneLabel(zone, at);
  return label === zone ? zone : `${zone}, ${label}`;
}
