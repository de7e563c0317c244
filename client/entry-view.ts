import { entryMeta, showsUpdated } from '../contract/byline.js';
import type { Entry } from '../contract/index.js';
import { bylineElement, claimElement, entryFooter } from './byline.js';
import { ui } from './i18n.js';
import type { Times } from './times.js';

/**
 * An entry's markup, built as the server's entryArticle() builds it (server/render/pages.ts), for
 * entries that arrive live: header (time as permalink, byline, badge, "Updated 10:45"), optional
 * headline, body; or, for the pinned entry in the stream, a note that it is pinned above.
 */

/** An entry's own headline (issue 17), '' when it has none. */
export function headlineOf(entry: Entry): string {
  return entryMeta(entry).headline;
}

export function entryHeader(entry: Entry, times: Times, permalinkBase: string, withAgo: boolean): HTMLElement {
  const header = document.createElement('header');
  const link = document.createElement('a');
  link.className = 'permalink';
  link.href = `${permalinkBase}#entry-${entry.id}`;
  if (permalinkBase) link.target = '_blank';
  const time = timeElement(entry.createdAt);
  link.append(time);
  header.append(link);
  const byline = bylineElement(entry);
  if (byline) header.append(' ', byline);
  if (entry.keyEvent) header.append(' ', span('badge', ui.t('reader.keyMoment')));
  const claim = claimElement(entry);
  if (claim) header.append(' ', claim);
  let updated: HTMLTimeElement | undefined;
  if (showsUpdated(entry)) {
    updated = timeElement(entry.updatedAt);
    const edited = span('edited', `${ui.t('reader.updated')} `);
    edited.append(updated);
    header.append(' ', edited);
  }
  // Decorated once in the header, so the relative "3 min ago" lands beside the entry's own time.
  times.decorate(time, withAgo);
  if (updated) times.decorate(updated, false);
  return header;
}

/** Headline, body (sanitized on the server at write time), correction and tags. */
export function entryContent(entry: Entry, times?: Times, permalinkBase = ''): HTMLElement[] {
  const parts: HTMLElement[] = [];
  const headline = headlineOf(entry);
  if (headline) {
    const heading = document.createElement('h3');
    heading.className = 'entry-headline';
    heading.textContent = headline;
    parts.push(heading);
  }
  const body = document.createElement('div');
  body.className = 'entry-body';
  body.innerHTML = entry.html;
  parts.push(body);
  if (times) parts.push(...entryFooter(entry, times, permalinkBase));
  return parts;
}

export function entryArticle(entry: Entry, times: Times, permalinkBase: string): HTMLElement {
  const article = document.createElement('article');
  const stub = entry.pinned && document.getElementById('pinned') !== null;
  article.className = `entry${entry.keyEvent ? ' key-event' : ''}${stub ? ' pinned-stub' : ''}`;
  article.id = `entry-${entry.id}`;
  article.dataset.entryId = String(entry.id);
  article.dataset.version = String(entry.version);
  article.dataset.createdAt = entry.createdAt;
  article.append(entryHeader(entry, times, permalinkBase, true));
  if (stub) {
    const [headline] = entryContent(entry).filter((part) => part.tagName === 'H3');
    if (headline) article.append(headline);
    const note = document.createElement('p');
    note.className = 'pinned-note';
    const link = document.createElement('a');
    link.href = '#pinned';
    link.textContent = ui.t('reader.readPinned');
    note.append(`${ui.t('reader.pinnedAbove')} `, link);
    article.append(note);
  } else {
    article.append(...entryContent(entry, times, permalinkBase));
  }
  return article;
}

function timeElement(iso: string): HTMLTimeElement {
  const time = document.createElement('time');
  time.dateTime = iso;
  return time;
}

function span(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}
