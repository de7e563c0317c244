import { entryMeta } from '../contract/byline.js';
import { avatarSrc } from '../contract/byline.js';
import type { Byline, Entry } from '../contract/index.js';
import { locale, ui } from './i18n.js';
import type { Times } from './times.js';

/**
 * Issue 17's pieces of an entry for entries that arrive live, built as server/render/byline.ts
 * builds them: bylines and location, the claim label, "Corrected 14:07: <note>" and the tags
 * (links to the `?tag=` view). A correction or a label change arrives as entry.updated and the
 * whole article is built again, so readers see it without reloading.
 */
const list = new Intl.ListFormat(locale, { type: 'conjunction' });

function span(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

function person(author: Byline): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = 'person';
  element.dataset.personId = String(author.id);
  const src = avatarSrc(author.avatar);
  if (src) {
    const image = document.createElement('img');
    image.className = 'avatar';
    image.src = src;
    image.alt = '';
    image.width = 24;
    image.height = 24;
    image.loading = 'lazy';
    element.append(image);
  }
  element.append(span('author', author.name));
  if (author.jobTitle) element.append(span('job-title', author.jobTitle));
  return element;
}

/** The byline span, or null when the entry names nobody and nowhere. */
export function bylineElement(entry: Entry): HTMLSpanElement | null {
  const { authors, location } = entryMeta(entry);
  if (!authors.length && !location) return null;
  const byline = document.createElement('span');
  byline.className = 'byline';
  for (const part of list.formatToParts(authors.map((_, index) => String(index)))) {
    byline.append(part.type === 'element' ? person(authors[Number(part.value)]!) : part.value);
  }
  if (location) byline.append(' ', span('location', ui.t('reader.location', { place: location })));
  return byline;
}

export function claimElement(entry: Entry): HTMLSpanElement | null {
  const { claim } = entryMeta(entry);
  if (!claim) return null;
  const label = span(`claim claim-${claim}`, ui.t(`reader.claim.${claim}`));
  label.dataset.claim = claim;
  return label;
}

/** Below the body: the correction and the tags. `base` is the page's URL in an embed, else ''. */
export function entryFooter(entry: Entry, times: Times, base: string): HTMLElement[] {
  const { correction, tags } = entryMeta(entry);
  const parts: HTMLElement[] = [];
  if (correction) {
    const paragraph = document.createElement('p');
    paragraph.className = 'correction';
    const label = span('correction-label', `${ui.t('reader.corrected')} `);
    const time = document.createElement('time');
    time.dateTime = correction.at;
    times.decorate(time, false);
    label.append(time, ':');
    paragraph.append(label, ' ', span('correction-note', correction.note));
    parts.push(paragraph);
  }
  if (tags.length) {
    const items = document.createElement('ul');
    items.className = 'entry-tags';
    items.setAttribute('aria-label', ui.t('reader.tags'));
    for (const tag of tags) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `${base}?tag=${encodeURIComponent(tag)}`;
      link.rel = 'tag';
      link.dataset.tag = tag;
      if (base) link.target = '_blank';
      link.textContent = `#${tag}`;
      item.append(link);
      items.append(item);
    }
    parts.push(items);
  }
  return parts;
}
