import { avatarSrc, entryMeta, type Byline, type Entry } from '../../contract/index.js';
import { formattingLocale, type Catalogue, type Translator } from '../../contract/i18n/index.js';
import { html, raw, type RawHtml } from './html.js';

/**
 * What an entry says about itself on the reader page (issue 17): bylines (avatar, name, role
 * title; several authors as the language lists them), the location, the claim label, the public
 * correction and the tags. client/byline.ts builds the same markup for entries that arrive live.
 */
type Ui = Translator<Catalogue>;

const lists = new Map<string, Intl.ListFormat>();
function listFormat(language: string): Intl.ListFormat {
  let format = lists.get(language);
  if (!format) {
    format = new Intl.ListFormat(formattingLocale(language), { type: 'conjunction' });
    if (lists.size < 500) lists.set(language, format);
  }
  return format;
}

function person(author: Byline): RawHtml {
  const src = avatarSrc(author.avatar);
  return html`<span class="person" data-person-id="${author.id}">${src ? html`<img class="avatar" src="${src}" alt="" width="24" height="24" loading="lazy">` : ''}<span class="author">${author.name}</span>${author.jobTitle ? html`<span class="job-title">${author.jobTitle}</span>` : ''}</span>`;
}

/** "Ada Lovelace Senior reporter and Grace Hopper in San Francisco". */
export function bylineHtml(entry: Entry, ui: Ui): RawHtml {
  const { authors, location } = entryMeta(entry);
  if (!authors.length && !location) return raw('');
  const parts = listFormat(ui.language).formatToParts(authors.map((_, index) => String(index)));
  const people = parts.map((part) => (part.type === 'element' ? person(authors[Number(part.value)]!) : html`${part.value}`));
  return html` <span class="byline">${people}${location ? html` <span class="location">${ui.t('reader.location', { place: location })}</span>` : ''}</span>`;
}

export function claimHtml(entry: Entry, ui: Ui): RawHtml {
  const { claim } = entryMeta(entry);
  return claim ? html` <span class="claim claim-${claim}" data-claim="${claim}">${ui.t(`reader.claim.${claim}`)}</span>` : raw('');
}

/** "Corrected 14:07: <note>", after the body; `time` is the correction's time as the page formats times. */
export function correctionHtml(entry: Entry, ui: Ui, time: (iso: string) => { short: string; long: string }): RawHtml {
  const { correction } = entryMeta(entry);
  if (!correction) return raw('');
  const at = time(correction.at);
  return html`<p class="correction"><span class="correction-label">${ui.t('reader.corrected')} <time datetime="${correction.at}" title="${at.long}">${at.short}</time>:</span> <span class="correction-note">${correction.note}</span></p>`;
}

/** Links to the `?tag=` view of the post (it works without JavaScript); `base` is the page's URL in an embed, else ''. */
export function tagsHtml(entry: Entry, ui: Ui, base: string): RawHtml {
  const { tags } = entryMeta(entry);
  if (!tags.length) return raw('');
  const target = base ? raw(' target="_blank"') : '';
  return html`<ul class="entry-tags" aria-label="${ui.t('reader.tags')}">${tags.map((tag) => html`<li><a href="${base}?tag=${encodeURIComponent(tag)}" rel="tag" data-tag="${tag}"${target}>#${tag}</a></li>`)}</ul>`;
}
