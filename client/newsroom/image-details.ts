import type { Upload } from '../../contract/index.js';
import { element } from './dom.js';

/**
 * After an upload, the composer asks what the image shows (alt text, required unless the person
 * marks it decorative) and for an optional caption and credit, then writes them as the Markdown
 * readers' pages are made from (server/render/images.ts):
 *
 *     ![Alt text](/uploads/…)
 *     *Caption — Photo: Credit*
 *
 * The dialog is a real <dialog> (focus moves into it and back, Esc cancels); cancelling inserts
 * nothing (the upload is collected later if nothing uses it). `missingAlt` is the check the
 * composer runs before publishing, the same rule the server enforces with a 422.
 */
export type ImageDetails = { alt: string; decorative: boolean; caption: string; credit: string };

/** Markdown for an uploaded image with its details. */
export function imageMarkdown(url: string, details: ImageDetails): string {
  const alt = details.decorative ? '' : oneLine(details.alt).replace(/[\\[\]]/g, '\\$&');
  const image = details.decorative ? `![](${url} "decorative")` : `![${alt}](${url})`;
  const caption = oneLine(details.caption).replace(/[\\*_]/g, '\\$&');
  let credit = oneLine(details.credit).replace(/[\\*_]/g, '\\$&');
  // A credit is "Label: name"; a bare name is a photo credit.
  if (credit && !/^[\p{L}][\p{L}\p{M}\p{N} .’'-]{0,30}:/u.test(credit)) credit = `Photo: ${credit}`;
  const line = [caption, credit ? `— ${credit}` : ''].filter(Boolean).join(' ');
  return line ? `${image}\n*${line}*` : image;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Uploaded images in `body` with neither alt text nor the decorative mark. */
export function missingAlt(body: string): string[] {
  return [...body.matchAll(/!\[\s*\]\(\s*<?((?:https?:\/\/[^/\s)]+)?\/uploads\/[^\s)>]+)>?(\s+["']decorative["'])?\s*\)/g)].filter((match) => !match[2]).map((match) => match[1]!);
}

/** Shows the dialog for `upload`; resolves with the details, or null when the person cancels. */
export function askImageDetails(upload: Pick<Upload, 'url' | 'width' | 'height'>, fileName: string): Promise<ImageDetails | null> {
  const alt = element('textarea', { id: 'image-alt', rows: 2, required: true, maxLength: 500 });
  const decorative = element('input', { type: 'checkbox', id: 'image-decorative' });
  const caption = element('input', { type: 'text', id: 'image-caption', maxLength: 500 });
  const credit = element('input', { type: 'text', id: 'image-credit', maxLength: 200, placeholder: 'Jane Doe/AP' });
  const error = element('p', { className: 'error', id: 'image-alt-error', role: 'alert', hidden: true }, 'Describe the image, or mark it decorative.');
  const preview = element('img', { src: upload.url, alt: '', className: 'image-details-preview' });
  if (upload.width && upload.height) Object.assign(preview, { width: upload.width, height: upload.height });
  const insert = element('button', { type: 'submit', value: 'insert', id: 'image-insert' }, 'Insert image');
  const cancel = element('button', { type: 'button', value: 'cancel' }, 'Cancel');
  const form = element(
    'form',
    { method: 'dialog', noValidate: true },
    element('h2', { id: 'image-details-title' }, 'Describe this image'),
    element('p', { className: 'hint' }, fileName),
    preview,
    element('label', { htmlFor: 'image-alt' }, 'Alt text (what the image shows, for readers who cannot see it)'),
    alt,
    element('label', { className: 'check' }, decorative, ' Decorative: readers lose nothing without it (no alt text)'),
    error,
    element('label', { htmlFor: 'image-caption' }, 'Caption (optional)'),
    caption,
    element('label', { htmlFor: 'image-credit' }, 'Credit (optional)'),
    credit,
    element('div', { className: 'actions' }, insert, cancel),
  );
  const dialog = element('dialog', { id: 'image-details', className: 'image-details' }, form);
  dialog.setAttribute('aria-labelledby', 'image-details-title');
  document.body.append(dialog);
  decorative.addEventListener('change', () => {
    alt.disabled = decorative.checked;
    alt.required = !decorative.checked;
    if (decorative.checked) error.hidden = true;
  });
  return new Promise((resolve) => {
    let result: ImageDetails | null = null;
    form.addEventListener('submit', (event) => {
      if (!decorative.checked && !alt.value.trim()) {
        event.preventDefault();
        error.hidden = false;
        alt.setAttribute('aria-invalid', 'true');
        alt.setAttribute('aria-describedby', 'image-alt-error');
        alt.focus();
        return;
      }
      result = { alt: alt.value, decorative: decorative.checked, caption: caption.value, credit: credit.value };
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    dialog.showModal();
    alt.focus();
  });
}
