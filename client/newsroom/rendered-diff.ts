import { diffArrays } from 'diff';
import { element } from './dom.js';

/**
 * A readable diff of what readers see (issue 14). Diffing the Markdown made `**$3,499**` →
 * `$2,999` read as `**$32,499**999`: the syntax is noise, and a word diff that splits at
 * punctuation interleaves the halves of a changed number. So: the rendered HTML's text (parsed in
 * an inert document, never put into the page), compared whole word by whole word, shown with
 * text nodes only. A change of formatting alone says so instead of showing an empty diff.
 */

const BLOCKS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'BLOCKQUOTE', 'PRE', 'TABLE', 'TR', 'UL', 'OL', 'HR', 'DIV', 'FIGURE', 'FIGCAPTION']);

export type ReadersView = {
  /** The text readers read: one line per block, spaces collapsed, images as "[image: alt]". */
  text: string;
  /** The markup without its text (tags, links, image sources): what "formatting" means here. */
  shape: string;
};

/** What a reader sees of sanitized `html`. A DOMParser document runs nothing and loads nothing. */
export function readersView(html: string): ReadersView {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  const text: string[] = [];
  const shape: string[] = [];
  const walk = (node: Node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        text.push((child as Text).data.replace(/\s+/g, ' '));
        continue;
      }
      if (!(child instanceof Element)) continue;
      const tag = child.tagName;
      shape.push(`<${tag}${child.getAttribute('href') ?? ''}${child.getAttribute('src') ?? ''}>`);
      if (tag === 'BR') text.push('\n');
      else if (tag === 'IMG') text.push(`[image${child.getAttribute('alt') ? `: ${child.getAttribute('alt')}` : ''}]`);
      else {
        const block = BLOCKS.has(tag);
        if (block) text.push('\n');
        walk(child);
        if (block) text.push('\n');
      }
      shape.push(`</${tag}>`);
    }
  };
  walk(body);
  return { text: text.join('').replace(/ *\n[\n ]*/g, '\n').trim(), shape: shape.join('') };
}

/** Markdown as a fallback view, when the server could not render a version. */
export function sourceView(markdown: string): ReadersView {
  return { text: markdown.trim(), shape: '' };
}

/** Words and the white space between them, so a changed word is replaced whole. */
const tokens = (text: string) => text.split(/(\s+)/).filter(Boolean);

const hidden = (text: string) => element('span', { className: 'visually-hidden' }, text);

/**
 * `before` → `after` as a <div class="diff">: the text with <del> and <ins> marks (each announced
 * as "removed:"/"added:"), and a note when only the formatting changed, or the formatting too.
 */
export function renderTextDiff(before: ReadersView, after: ReadersView): HTMLElement {
  const box = element('div', { className: 'diff-view' });
  const formatting = before.shape !== after.shape && before.shape !== '' && after.shape !== '';
  if (before.text === after.text) {
    box.append(element('p', { className: 'diff-note' }, formatting ? 'Formatting only: the text readers see is unchanged.' : 'No change to the text.'));
    return box;
  }
  const pre = element('pre', { className: 'diff' });
  let last: 'added' | 'removed' | 'same' = 'same';
  for (const part of diffArrays(tokens(before.text), tokens(after.text))) {
    const value = part.value.join('');
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    // A replaced word reads "old new", not "oldnew".
    if (kind !== 'same' && last !== 'same' && kind !== last) pre.append(' ');
    if (kind === 'added') pre.append(element('ins', {}, hidden('added: '), value));
    else if (kind === 'removed') pre.append(element('del', {}, hidden('removed: '), value));
    else pre.append(value);
    last = kind;
  }
  box.append(pre);
  if (formatting) box.append(element('p', { className: 'diff-note' }, 'The formatting changed too.'));
  return box;
}

/** The text of `view` without marks (a first version has nothing to compare with). */
export function renderText(view: ReadersView): HTMLElement {
  return element('pre', { className: 'diff' }, view.text);
}
