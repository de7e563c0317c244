import type { MarkedExtension, Token, Tokens } from 'marked';
import type sanitizeHtml from 'sanitize-html';

/**
 * Images in entries: figures with captions and credits, galleries, and responsive `<img>`s.
 *
 * Markdown stays the source of truth, in a syntax that reads well as plain text and survives any
 * Markdown tool (Jekyll included) as an image and an emphasised line:
 *
 *     ![Crowds outside parliament before dawn](/uploads/<sha256>.jpg)
 *     *Thousands gathered before the vote. — Photo: Jane Doe/AP*
 *
 * An image alone in its paragraph is a figure; a line wholly in `*…*` (or `_…_`) right under it is
 * its caption; within that, the part after an em or en dash followed by a label and a colon
 * (`— Photo: …`, `– Foto: …`, `— Credit: …`) is the credit, in its own `<small class="credit">`. An image
 * whose alt is empty and whose title is `decorative` (`![](/uploads/x.jpg "decorative")`) is
 * marked decorative (alt="" and role="presentation", for screen readers to skip); any other image
 * needs its alt text to be published (imagesLackingAlt). Two or more figures in a row (one per line or one per
 * paragraph) are a gallery.
 *
 * The HTML comes out in two steps, both in the render worker and both pure: this module's marked
 * extension builds figure/gallery markup around marked's own `<img>`, and its sanitizer transform
 * (imageTransform), run on every `<img>` whoever wrote it, rebuilds the attributes from scratch.
 * Only an image whose `src` is an upload the main thread looked up for this render (the
 * ImageCatalog: our own /uploads, nothing an author can name) gets `width`/`height`, `srcset` and
 * `sizes`; an author's own `srcset`, `sizes` or `loading` never survives, so a hand-written
 * `<img srcset="javascript:…">` or a srcset pointing elsewhere stays inert.
 *
 * WebP is offered through `srcset` on the `<img>` itself, with `src` in the original's format,
 * rather than through `<picture><source type="image/webp">`: every browser that reads `srcset`
 * width descriptors today reads WebP too (the last exception, Safari 13, is long out of support),
 * while feed readers, partner sites and archives that read only `src` get the JPEG or PNG; and it
 * keeps `<picture>`/`<source>` (and their own srcset) out of the sanitizer's allowlist.
 */

/** What the renderer knows of an uploaded image, keyed by its `/uploads/…` URL in ImageCatalog. */
export type ImageInfo = {
  width: number;
  height: number;
  renditions: { url: string; width: number; height: number; mimeType: string }[];
};

/** The uploads a body mentions, looked up on the main thread and sent with the render request. */
export type ImageCatalog = Record<string, ImageInfo>;

/** The title that marks an image with an empty alt as decorative. */
export const DECORATIVE_TITLE = 'decorative';

/** The widest copy `src` points at: a browser without `srcset` should not fetch a 6,000 px original. */
const SRC_MAX_WIDTH = 1600;

/** How wide an image is shown (client/styles.css: main is 44rem at most; a gallery's tiles half of it on desktop, 85% of a phone's width). */
const SIZES = {
  single: '(min-width: 46rem) 42rem, calc(100vw - 2rem)',
  gallery: '(min-width: 46rem) 21rem, 85vw',
} as const;

/** Set on the gallery's images by the extension, read (and dropped) by imageTransform. */
const LAYOUT_ATTRIBUTE = 'data-layout';

type Figure = { image: Tokens.Image; caption?: Token[] | undefined; credit?: Token[] | undefined };
type FiguresToken = { type: 'figures'; raw: string; figures: Figure[] };

/** The credit's separator: a dash between spaces, then a short label and a colon (`— Photo:`). */
const CREDIT = /(?:^|\s+)[—–]\s+(?=[\p{L}][\p{L}\p{M}\p{N} .’'-]{0,30}:)/u;

const isBlank = (token: Token) => token.type === 'text' && token.raw.trim() === '';

/** Splits a paragraph's inline tokens into lines at the newlines between them. */
function lines(tokens: Token[]): Token[][] | undefined {
  const out: Token[][] = [[]];
  for (const token of tokens) {
    // A hard line break (two trailing spaces, or a backslash) ends a line as a newline does.
    if (token.type === 'br') out.push([]);
    else if (token.type === 'text' && token.raw.trim() === '' && token.raw.includes('\n')) {
      if ((token.raw.match(/\n/g)?.length ?? 0) > 1) return undefined;
      out.push([]);
    } else if (!isBlank(token)) out[out.length - 1]!.push(token);
  }
  return out;
}

/** A caption's tokens, split at the credit separator of its last text with one. */
function splitCredit(tokens: Token[]): Pick<Figure, 'caption' | 'credit'> {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.type !== 'text' || !('text' in token)) continue;
    const match = CREDIT.exec(token.text);
    if (!match) continue;
    const before = token.text.slice(0, match.index);
    const after = token.text.slice(match.index + match[0].length);
    const text = (value: string): Token => ({ type: 'text', raw: value, text: value, escaped: false });
    const caption = [...tokens.slice(0, i), ...(before ? [text(before)] : [])];
    return { caption: caption.length ? caption : undefined, credit: [text(after), ...tokens.slice(i + 1)] };
  }
  return { caption: tokens };
}

/** The figures a paragraph is made of, or undefined when it holds anything else. */
function figuresOf(paragraph: Tokens.Paragraph): Figure[] | undefined {
  const split = lines(paragraph.tokens);
  if (!split) return undefined;
  const figures: Figure[] = [];
  for (const line of split) {
    const [only, ...rest] = line;
    if (!only || rest.length) return undefined;
    if (only.type === 'image') figures.push({ image: only as Tokens.Image });
    else if (only.type === 'em' && figures.length && !figures[figures.length - 1]!.caption && !figures[figures.length - 1]!.credit) {
      Object.assign(figures[figures.length - 1]!, splitCredit((only as Tokens.Em).tokens));
    } else return undefined;
  }
  return figures.length ? figures : undefined;
}

/** Replaces figure paragraphs with `figures` tokens, merging neighbours (blank lines between) into one gallery. */
export function groupFigures(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let pendingSpace: Token | undefined;
  for (const token of tokens) {
    if (token.type === 'space') {
      pendingSpace = token;
      continue;
    }
    const figures = token.type === 'paragraph' ? figuresOf(token as Tokens.Paragraph) : undefined;
    const last = out[out.length - 1] as FiguresToken | undefined;
    if (figures && last?.type === 'figures') {
      last.figures.push(...figures);
      last.raw += (pendingSpace?.raw ?? '') + token.raw;
    } else {
      if (pendingSpace) out.push(pendingSpace);
      out.push(figures ? ({ type: 'figures', raw: token.raw, figures } satisfies FiguresToken as unknown as Token) : token);
    }
    pendingSpace = undefined;
  }
  if (pendingSpace) out.push(pendingSpace);
  return out;
}

/** The marked extension: figures, captions, credits and galleries. */
export const imageFigures: MarkedExtension = {
  hooks: {
    processAllTokens: (tokens) => groupFigures(tokens as Token[]),
  },
  extensions: [
    {
      name: 'figures',
      renderer(generic) {
        const { figures } = generic as unknown as FiguresToken;
        const gallery = figures.length > 1;
        const figure = ({ image, caption, credit }: Figure) => {
          let img = this.parser.parseInline([image]);
          if (gallery) img = img.replace(/^<img /, `<img ${LAYOUT_ATTRIBUTE}="gallery" `);
          const parts = [caption ? this.parser.parseInline(caption) : '', credit ? `<small class="credit">${this.parser.parseInline(credit)}</small>` : ''].filter(Boolean);
          return `<figure class="figure">${img}${parts.length ? `<figcaption>${parts.join(' ')}</figcaption>` : ''}</figure>`;
        };
        const html = figures.map(figure).join('');
        return gallery ? `<figure class="gallery">${html}</figure>\n` : `${html}\n`;
      },
    },
  ],
};

/**
 * The sanitizer's transform for every `<img>`: keeps src/alt/title, drops whatever else the
 * author wrote, and adds what the catalog knows of an upload. Every image loads lazily and
 * decodes off the main thread; the page makes its first image eager (eagerFirstImage).
 */
export function imageTransform(catalog: ImageCatalog): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const src = attribs.src ?? '';
    const out: sanitizeHtml.Attributes = { src };
    if (attribs.alt !== undefined) out.alt = attribs.alt;
    if (attribs.title === DECORATIVE_TITLE && !attribs.alt?.trim()) Object.assign(out, { alt: '', role: 'presentation' });
    else if (attribs.title) out.title = attribs.title;
    const info = Object.hasOwn(catalog, src) ? catalog[src] : undefined;
    if (info) Object.assign(out, responsive(src, info, attribs[LAYOUT_ATTRIBUTE] === 'gallery' ? 'gallery' : 'single'));
    else {
      // Dimensions an author typed stay (they only reserve room); nothing else of theirs does.
      if (attribs.width && /^\d{1,5}$/.test(attribs.width)) out.width = attribs.width;
      if (attribs.height && /^\d{1,5}$/.test(attribs.height)) out.height = attribs.height;
    }
    out.loading = 'lazy';
    out.decoding = 'async';
    return { tagName, attribs: out };
  };
}

function responsive(original: string, info: ImageInfo, layout: keyof typeof SIZES): sanitizeHtml.Attributes {
  const webp = info.renditions.filter((rendition) => rendition.mimeType === 'image/webp').sort((a, b) => a.width - b.width);
  // The original when it is small enough, else its widest rendition in the same format (WebP for a WebP).
  const extension = (url: string) => /\.(\w+)$/.exec(url)?.[1];
  const own = (renditions: ImageInfo['renditions']) => renditions.filter((rendition) => rendition.width <= SRC_MAX_WIDTH && extension(rendition.url) === extension(original));
  const src = info.width <= SRC_MAX_WIDTH ? undefined : own(info.renditions).sort((a, b) => b.width - a.width)[0];
  const out: sanitizeHtml.Attributes = {
    width: String(src?.width ?? info.width),
    height: String(src?.height ?? info.height),
  };
  if (src) out.src = src.url;
  if (webp.length) {
    out.srcset = webp.map((rendition) => `${rendition.url} ${rendition.width}w`).join(', ');
    out.sizes = SIZES[layout];
  }
  return out;
}

/** The sanitizer's allowlist additions for figures, galleries and responsive images. */
export const IMAGE_SANITIZE: { tags: string[]; imgAttributes: string[]; classes: Record<string, string[]> } = {
  tags: ['figure', 'figcaption', 'small'],
  imgAttributes: ['srcset', 'sizes', 'loading', 'decoding', 'role'],
  classes: { figure: ['figure', 'gallery'], small: ['credit'] },
};

/**
 * The `src` of every uploaded image (one served from /uploads, which is what the composer
 * inserts and asks alt text for) in sanitized entry HTML that has no alt text and is not marked
 * decorative. Images hot-linked from elsewhere are the author's own business, as before. The HTML is the sanitizer's output (every attribute double-quoted, `<` and `>`
 * escaped inside values), so a tag is exactly `<img …>`, and `role="presentation"` on it can only
 * be imageTransform's: a decorative image.
 */
export function imagesLackingAlt(html: string): string[] {
  const lacking: string[] = [];
  for (const [tag] of html.matchAll(/<img\b[^>]*>/g)) {
    const alt = /\salt="([^"]*)"/.exec(tag)?.[1];
    if ((alt !== undefined && alt.trim() !== '') || /\srole="presentation"/.test(tag)) continue;
    const src = decode(/\ssrc="([^"]*)"/.exec(tag)?.[1] ?? '');
    if (/^(?:https?:\/\/[^/]+)?\/uploads\//i.test(src)) lacking.push(src);
  }
  return lacking;
}

function decode(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
}

/**
 * The page's first image loads at once (it is likely above the fold, the largest paint); every
 * other stays lazy. Applied to the page's own sanitized entry HTML, where `loading="lazy"` is
 * always imageTransform's.
 */
export function eagerFirstImage(html: string): string {
  return html.replace(/(<img\b[^>]*?)\sloading="lazy"/, '$1 loading="eager" fetchpriority="high"');
}
