import { entryMeta } from '../../contract/byline.js';
import type { Claim, Entry, EntryPatch } from '../../contract/index.js';
import { normalizeTag } from '../../contract/tags.js';
import { element } from './dom.js';
import type { Viewer } from './timeline.js';

/**
 * The issue-17 fields of an entry in the desk's editor: headline, location, tags, the claim
 * label and, for editors, "this edit is a correction" with its public note. Only what changed
 * goes into the PATCH. The server decides who may do what (domain/entry-meta.ts); the form only
 * leaves out what this role could not do (an author sees no correction, no confirmed/denied).
 */
export type MetaFields = { element: HTMLElement; patch(): Partial<EntryPatch> };

const CLAIM_LABELS: Record<Claim | '', string> = { '': 'No label', unconfirmed: 'Unconfirmed', confirmed: 'Confirmed', denied: 'Denied' };

export function entryMetaFields(entry: Entry, viewer: Viewer): MetaFields {
  const meta = entryMeta(entry);
  const editor = viewer.role === 'editor' || viewer.role === 'admin';
  const headline = element('input', { className: 'edit-headline', value: meta.headline, maxLength: 200 });
  const place = element('input', { className: 'edit-location', value: meta.location, maxLength: 80 });
  const tags = element('input', { className: 'edit-tags', value: meta.tags.map((tag) => `#${tag}`).join(' ') });
  const claims: (Claim | '')[] = editor || meta.claim === null || meta.claim === 'unconfirmed' ? ['', 'unconfirmed', ...(editor ? (['confirmed', 'denied'] as const) : [])] : [meta.claim];
  const claim = element('select', { className: 'edit-claim' }, ...claims.map((value) => element('option', { value, selected: value === (meta.claim ?? '') }, CLAIM_LABELS[value])));
  const fields = element(
    'fieldset',
    { className: 'edit-meta' },
    element('legend', { className: 'visually-hidden' }, 'Headline, location, tags and label'),
    element('label', {}, 'Headline ', headline),
    element('label', {}, 'Location ', place),
    element('label', {}, 'Tags ', tags),
    element('label', {}, 'Label ', claim),
  );
  const isCorrection = element('input', { type: 'checkbox', className: 'edit-is-correction' });
  const note = element('input', { className: 'edit-correction-note', maxLength: 280, placeholder: 'What was wrong, for readers', disabled: true });
  note.setAttribute('aria-label', 'Correction note (public)');
  isCorrection.addEventListener('change', () => {
    note.disabled = !isCorrection.checked;
    if (isCorrection.checked) note.focus();
  });
  if (editor) {
    fields.append(element('p', { className: 'edit-correction' }, element('label', {}, isCorrection, ' This edit is a correction'), ' ', note));
  }

  const tagList = () => [...new Set(tags.value.split(/[\s,]+/).map(normalizeTag).filter(Boolean))];
  return {
    element: fields,
    patch() {
      const patch: Partial<EntryPatch> = {};
      if (headline.value.trim() !== meta.headline) patch.headline = headline.value.trim() || null;
      if (place.value.trim() !== meta.location) patch.location = place.value.trim() || null;
      const nextTags = tagList();
      if (nextTags.join(' ') !== meta.tags.join(' ')) patch.tags = nextTags;
      const nextClaim = (claim.value || null) as Claim | null;
      if (nextClaim !== meta.claim) patch.claim = nextClaim;
      if (editor && isCorrection.checked && note.value.trim()) patch.correction = { note: note.value.trim() };
      return patch;
    },
  };
}

/** On the desk, under an entry's header: its headline, co-authors, location, label, tags and correction (nothing when none). */
export function deskMetaLines(entry: Entry): HTMLElement[] {
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
