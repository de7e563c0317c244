import { entryMeta, type EntryMetaFields } from '../../contract/byline.js';
import type { Claim, EntryPatch } from '../../contract/index.js';
import { attachCommands } from './commands.js';
import { element } from './dom.js';
import type { Viewer } from './timeline.js';

/**
 * The issue-17 fields of an entry in the desk's editor: headline, location, tags, the claim
 * label and, for editors, "this edit is a correction" with its public note. Only what changed
 * goes into the PATCH. The edit box has the composer's commands too (`/headline`, `/location`,
 * `#tag`, `@name`, `:emoji:`; commands.ts), its tags and co-authors as chips under it. The server decides who may do what (domain/entry-meta.ts); the form only
 * leaves out what this role could not do (an author sees no correction, no confirmed/denied).
 */
export type MetaFields = { element: HTMLElement; belowBody: HTMLElement[]; patch(body: string): Partial<EntryPatch> & { body: string } };

const CLAIM_LABELS: Record<Claim | '', string> = { '': 'No label', unconfirmed: 'Unconfirmed', confirmed: 'Confirmed', denied: 'Denied' };

/** What the fields are for: an entry (the default) or a draft (drafts-panel.ts: no correction, ids of their own). */
export type MetaFieldsFor = { kind: 'entry' | 'draft' };

export function entryMetaFields(entry: EntryMetaFields & { id: number; postId: number }, viewer: Viewer, box: HTMLTextAreaElement, { kind }: MetaFieldsFor = { kind: 'entry' }): MetaFields {
  const meta = entryMeta(entry);
  const editor = viewer.role === 'editor' || viewer.role === 'admin';
  // A draft was never public: nothing to correct (the server refuses it too).
  const corrects = editor && kind === 'entry';
  const headline = element('input', { className: 'edit-headline', value: meta.headline, maxLength: 200 });
  const place = element('input', { className: 'edit-location', value: meta.location, maxLength: 80 });
  const claims: (Claim | '')[] = editor || meta.claim === null || meta.claim === 'unconfirmed' ? ['', 'unconfirmed', ...(editor ? (['confirmed', 'denied'] as const) : [])] : [meta.claim];
  const claim = element('select', { className: 'edit-claim' }, ...claims.map((value) => element('option', { value, selected: value === (meta.claim ?? '') }, CLAIM_LABELS[value])));
  const fields = element(
    'fieldset',
    { className: 'edit-meta' },
    element('legend', { className: 'visually-hidden' }, 'Headline, location and label'),
    element('label', {}, 'Headline ', headline),
    element('label', {}, 'Location ', place),
    element('label', {}, 'Label ', claim),
  );
  const isCorrection = element('input', { type: 'checkbox', className: 'edit-is-correction' });
  const note = element('input', { className: 'edit-correction-note', maxLength: 280, placeholder: 'What was wrong, for readers', disabled: true });
  note.setAttribute('aria-label', 'Correction note (public)');
  isCorrection.addEventListener('change', () => {
    note.disabled = !isCorrection.checked;
    if (isCorrection.checked) note.focus();
  });
  if (corrects) {
    fields.append(element('p', { className: 'edit-correction' }, element('label', {}, isCorrection, ' This edit is a correction'), ' ', note));
  }

  const listId = `edit-commands-${kind === 'draft' ? 'draft-' : ''}${entry.id}`;
  const list = element('ul', { className: 'command-list', id: listId, hidden: true });
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Suggestions');
  box.setAttribute('aria-autocomplete', 'list');
  box.setAttribute('aria-controls', listId);
  const status = element('p', { className: 'visually-hidden' });
  status.setAttribute('role', 'status');
  const chips = element('ul', { className: 'entry-chips' });
  chips.setAttribute('aria-label', "This entry's tags and co-authors");
  const bylineId = meta.authors[0]?.id ?? viewer.id;
  const commands = attachCommands({ box, list, status, chips, headline, place }, { postId: entry.postId, bylineId, initial: { tags: meta.tags, coAuthors: meta.authors.slice(1) } });
  const sameIds = (a: number[], b: number[]) => a.join(' ') === b.join(' ');
  return {
    element: fields,
    belowBody: [list, status, chips],
    patch(body) {
      // The body as typed: lines of an existing entry are its text, never read as commands here.
      const { tags: nextTags, coAuthors } = commands.chosen();
      const patch: Partial<EntryPatch> & { body: string } = { body };
      if (headline.value.trim() !== meta.headline) patch.headline = headline.value.trim() || null;
      if (place.value.trim() !== meta.location) patch.location = place.value.trim() || null;
      if (nextTags.join(' ') !== meta.tags.join(' ')) patch.tags = nextTags;
      // Only a change of co-authors sends `authors`; the byline stays whoever it is.
      const coAuthorIds = coAuthors.map((person) => person.id);
      if (!sameIds(coAuthorIds, meta.authors.slice(1).map((person) => person.id))) patch.authors = [bylineId, ...coAuthorIds];
      const nextClaim = (claim.value || null) as Claim | null;
      if (nextClaim !== meta.claim) patch.claim = nextClaim;
      if (corrects && isCorrection.checked && note.value.trim()) patch.correction = { note: note.value.trim() };
      return patch;
    },
  };
}

/** On the desk, under an entry's header: its headline, co-authors, location, label, tags and correction (nothing when none). */
export function deskMetaLines(entry: EntryMetaFields): HTMLElement[] {
  const meta = entryMeta(entry);
  const lines: HTMLElement[] = [];
  if (meta.headline) lines.push(element('p', { className: 'desk-headline' }, element('strong', {}, meta.headline)));
  const facts = [
    meta.authors.length > 1 ? `with ${meta.authors.slice(1).map((person) => person.name).join(', ')}` : '',
    meta.location ? `in ${meta.location}` : '',
    meta.claim ? CLAIM_LABELS[meta.claim] : '',
    meta.tags.map((tag) => `#${tag}`).join(' '),
  ].filter(Boolean);
  if (facts.length) lines.push(element('p', { className: 'desk-meta muted' }, facts.join(' · ')));
  if (meta.correction) lines.push(element('p', { className: 'desk-correction' }, `Corrected: ${meta.correction.note}`));
  return lines;
}
