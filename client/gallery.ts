import { ui } from './i18n.js';

/**
 * Galleries in entries (server/render/images.ts: `<figure class="gallery">` of figures): a grid
 * on a desktop, a row to swipe through on a phone (client/styles.css), and here, a lightbox.
 * Each gallery image becomes a keyboard-reachable button (Enter or Space opens it); the lightbox
 * is a modal <dialog> (focus moves into it, Esc closes it, focus returns to the image that opened
 * it), the arrow keys and two buttons move between the gallery's images, and the position is
 * announced. Entries that arrive live are enhanced as they are added (a MutationObserver), and
 * clicks are delegated, so no listener is tied to an entry that may be replaced.
 */
const GALLERY_IMAGE = 'figure.gallery > figure > img';

export function setupGalleries(): void {
  enhance(document);
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) enhance(node);
  }).observe(document.body, { childList: true, subtree: true });
  document.addEventListener('click', (event) => {
    const image = event.target instanceof Element ? event.target.closest<HTMLImageElement>(GALLERY_IMAGE) : null;
    if (image) open(image);
  });
  document.addEventListener('keydown', (event) => {
    if ((event.key === 'Enter' || event.key === ' ') && event.target instanceof HTMLImageElement && event.target.matches(GALLERY_IMAGE)) {
      event.preventDefault();
      open(event.target);
    }
  });
}

function enhance(root: ParentNode & Partial<Pick<Element, 'matches'>>): void {
  const images = root.matches?.(GALLERY_IMAGE) ? [root as HTMLImageElement] : [...root.querySelectorAll<HTMLImageElement>(GALLERY_IMAGE)];
  for (const image of images) {
    if (image.hasAttribute('tabindex')) continue;
    image.tabIndex = 0;
    image.setAttribute('role', 'button');
    image.setAttribute('aria-haspopup', 'dialog');
    // A decorative image (alt="") becomes a button too: it needs a name, its place in the gallery.
    if (!image.alt.trim()) {
      const all = [...(image.closest('figure.gallery')?.querySelectorAll(':scope > figure > img') ?? [])];
      image.setAttribute('aria-label', ui.t('reader.gallery.position', { position: String(all.indexOf(image) + 1), total: String(all.length) }));
    }
  }
}

type Lightbox = { dialog: HTMLDialogElement; image: HTMLImageElement; caption: HTMLElement; position: HTMLElement; previous: HTMLButtonElement; next: HTMLButtonElement };
let lightbox: Lightbox | undefined;
let shown: { images: HTMLImageElement[]; index: number; opener: HTMLImageElement } | undefined;

function button(className: string, label: string, text: string): HTMLButtonElement {
  const node = document.createElement('button');
  node.type = 'button';
  node.className = className;
  node.setAttribute('aria-label', label);
  node.textContent = text;
  return node;
}

function build(): Lightbox {
  const dialog = document.createElement('dialog');
  dialog.className = 'lightbox';
  const figure = document.createElement('figure');
  const image = document.createElement('img');
  image.decoding = 'async';
  const caption = document.createElement('figcaption');
  figure.append(image, caption);
  const position = document.createElement('p');
  position.className = 'lightbox-position';
  position.setAttribute('aria-live', 'polite');
  const previous = button('lightbox-previous', ui.t('reader.gallery.previous'), '‹');
  const next = button('lightbox-next', ui.t('reader.gallery.next'), '›');
  const close = button('lightbox-close', ui.t('reader.gallery.close'), '×');
  dialog.append(close, figure, previous, next, position);
  document.body.append(dialog);
  previous.addEventListener('click', () => move(-1));
  next.addEventListener('click', () => move(1));
  close.addEventListener('click', () => dialog.close());
  // A click on the backdrop (the dialog itself, outside its content) closes it.
  dialog.addEventListener('click', (event) => event.target === dialog && dialog.close());
  dialog.addEventListener('keydown', (event) => {
    const forward = document.documentElement.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = forward === 'ArrowRight' ? 'ArrowLeft' : 'ArrowRight';
    if (event.key === forward) move(1);
    else if (event.key === back) move(-1);
    else return;
    event.preventDefault();
  });
  dialog.addEventListener('close', () => {
    const opener = shown?.opener;
    shown = undefined;
    opener?.focus();
  });
  return { dialog, image, caption, position, previous, next };
}

function open(opener: HTMLImageElement): void {
  const gallery = opener.closest('figure.gallery');
  if (!gallery) return;
  const images = [...gallery.querySelectorAll<HTMLImageElement>(':scope > figure > img')];
  lightbox ??= build();
  shown = { images, index: Math.max(0, images.indexOf(opener)), opener };
  show();
  if (!lightbox.dialog.open) lightbox.dialog.showModal();
  lightbox.next.focus();
}

function move(by: number): void {
  if (!shown) return;
  shown.index = (shown.index + by + shown.images.length) % shown.images.length;
  show();
}

function show(): void {
  if (!lightbox || !shown) return;
  const source = shown.images[shown.index]!;
  const { image, caption, position, dialog } = lightbox;
  // The largest rendition the screen needs: the same srcset, sized to the viewport.
  image.removeAttribute('srcset');
  image.src = source.getAttribute('src') ?? '';
  if (source.srcset) {
    image.srcset = source.srcset;
    image.sizes = '100vw';
  }
  image.alt = source.alt;
  for (const name of ['width', 'height']) {
    const value = source.getAttribute(name);
    if (value) image.setAttribute(name, value);
    else image.removeAttribute(name);
  }
  // The caption is the entry's own (sanitized) markup, copied node by node.
  const own = source.parentElement?.querySelector(':scope > figcaption');
  caption.replaceChildren(...(own ? [...own.childNodes].map((node) => node.cloneNode(true)) : []));
  caption.hidden = !own;
  const text = ui.t('reader.gallery.position', { position: String(shown.index + 1), total: String(shown.images.length) });
  position.textContent = text;
  dialog.setAttribute('aria-label', source.alt ? `${source.alt} (${text})` : text);
}
