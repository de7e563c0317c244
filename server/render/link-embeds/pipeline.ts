import { randomBytes } from 'node:crypto';
import type { Token, Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { embedMarkup, linkCardMarkup } from './markup.js';
import { parseHttpUrl, recognise } from './recognise.js';

/**
 * Where link embeds enter the Markdown pipeline (server/render/markdown.ts), in two steps around
 * the sanitizer so that an author can never write the markup themselves:
 *
 * 1. Before: among marked's top-level tokens, a paragraph made only of bare URLs (each on its own
 *    line) and an HTML block that is one provider's `<iframe>` embed code (or the blockquote code
 *    of X, Instagram, TikTok, Threads, Bluesky, Flourish's div) are replaced by a
 *    placeholder paragraph whose text carries a random per-render key.
 * 2. The sanitizer runs as always (it knows no <figure>, no data- attributes, no iframes).
 * 3. After: each placeholder paragraph is replaced by the markup built here from the recognised
 *    URL (markup.ts). A placeholder the author typed cannot match: the key is new every render.
 *
 * Any other raw HTML, an iframe pointing anywhere else included, goes through the sanitizer
 * untouched and is refused as before.
 */

export type LinkEmbedPass = { tokens: Token[]; restore(sanitized: string): string };

/** What one lone URL becomes: a provider's embed, or a link card. */
function markupFor(text: string, title?: string): string | undefined {
  const found = recognise(text);
  if (found) return embedMarkup(title && !found.title ? { ...found, title } : found);
  const url = parseHttpUrl(text);
  return url && linkCardMarkup(url);
}

/** The URLs of a paragraph that holds nothing else (bare links whose text is their address). */
function loneUrls(paragraph: Tokens.Paragraph): string[] | undefined {
  const urls: string[] = [];
  for (const token of paragraph.tokens ?? []) {
    if (token.type === 'link') {
      const link = token as Tokens.Link;
      const text = link.text.trim();
      // <https://…> and GFM's bare URLs (www.… gets http:// from marked); a [titled](link) stays a link.
      if (text !== link.href && `http://${text}` !== link.href) return undefined;
      urls.push(link.href);
    } else if (token.type === 'br' || (token.type === 'text' && /^\s*$/.test(token.raw))) continue;
    else return undefined;
  }
  return urls.length ? urls : undefined;
}

/** Titles YouTube, Vimeo and others put in every embed code: not worth showing. */
const GENERIC_TITLES = /^(?:youtube video player|vimeo video player|spotify embed player|embedded content|iframe)$/i;

/** One provider's `<iframe>` embed code (wrappers and its loader script allowed): its src and title. */
function iframeCode(html: string): { src: string; title?: string } | undefined {
  if (html.length > 10_000 || !/<iframe\b/i.test(html)) return undefined;
  const frames = sanitizeHtml(html, {
    allowedTags: ['iframe'],
    allowedAttributes: { iframe: ['src', 'title'] },
    allowedSchemes: ['https', 'http'],
    allowProtocolRelative: false,
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title'],
  });
  const found = [...frames.matchAll(/<iframe((?: (?:src|title)="[^"]*")*)><\/iframe>/g)];
  // Exactly one frame, and little else (the wrappers and scripts go; a provider's short credit line goes too).
  if (found.length !== 1 || frames.replace(/<iframe\b[^>]*><\/iframe>/g, '').trim().length > 300) return undefined;
  const decode = (value: string) => value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const attributes = found[0]![1] ?? '';
  const src = / src="([^"]*)"/.exec(attributes)?.[1] ?? '';
  const title = / title="([^"]*)"/.exec(attributes)?.[1];
  const cleanTitle = title === undefined ? undefined : decode(title).trim();
  return { src: decode(src), ...(cleanTitle && !GENERIC_TITLES.test(cleanTitle) ? { title: cleanTitle.slice(0, 200) } : {}) };
}

/**
 * The blockquote codes X, Instagram, TikTok, Threads and Bluesky give (a quote of the post, a link
 * to it and their script), and Flourish's div: the post's URL, when the code is one of theirs.
 * The quoted text goes (the embed shows the post itself); the script never reaches the page.
 */
const BLOCKQUOTE_CODES: [marker: RegExp, provider: string][] = [
  [/<blockquote\b[^>]*class="twitter-tweet/i, 'x'],
  [/<blockquote\b[^>]*class="instagram-media/i, 'instagram'],
  [/<blockquote\b[^>]*class="tiktok-embed/i, 'tiktok'],
  [/<blockquote\b[^>]*class="text-post-media/i, 'threads'],
  [/<blockquote\b[^>]*class="bluesky-embed/i, 'bluesky'],
];

function blockquoteCode(html: string): string | undefined {
  if (html.length > 20_000) return undefined;
  const flourish = /^\s*<div class="flourish-embed[^"]*" data-src="(visualisation|story)\/(\d{1,12})[^"]*"/.exec(html);
  if (flourish) return `https://public.flourish.studio/${flourish[1]}/${flourish[2]}/`;
  const provider = BLOCKQUOTE_CODES.find(([marker]) => marker.test(html))?.[1];
  if (!provider || !/^\s*<blockquote\b/i.test(html)) return undefined;
  const decode = (value: string) => value.replace(/&amp;/g, '&');
  for (const [, value = ''] of html.matchAll(/\s(?:cite|href|data-instgrm-permalink|data-text-post-permalink)="(https:\/\/[^"\s<>]{1,2000})"/g)) {
    const found = recognise(decode(value));
    if (found?.provider === provider) return found.url;
  }
  return undefined;
}

export function linkEmbedPass(tokens: Token[]): LinkEmbedPass {
  const key = `LLEMBED${randomBytes(8).toString('hex')}N`;
  const markups: string[] = [];
  const placeholder = (markup: string[]): Tokens.HTML => {
    const text = markup.map((one) => `<p>${key}${markups.push(one) - 1}</p>\n`).join('');
    return { type: 'html', block: true, pre: false, raw: text, text };
  };
  const out = tokens.map((token): Token => {
    if (token.type === 'paragraph') {
      const urls = loneUrls(token as Tokens.Paragraph);
      const markup = urls?.map((url) => markupFor(url));
      if (markup && markup.every((one): one is string => one !== undefined)) return placeholder(markup);
    } else if (token.type === 'html' && (token as Tokens.HTML).block) {
      const code = iframeCode((token as Tokens.HTML).text);
      // Only a provider's frame: an iframe pointing anywhere else stays refused (no link card either).
      const found = code && recognise(code.src);
      if (code && found) return placeholder([embedMarkup(code.title && !found.title ? { ...found, title: code.title } : found)]);
      const quoted = code ? undefined : blockquoteCode((token as Tokens.HTML).text);
      const markup = quoted && markupFor(quoted);
      if (markup) return placeholder([markup]);
    }
    return token;
  });
  if (markups.length === 0) return { tokens, restore: (sanitized) => sanitized };
  const pattern = new RegExp(`<p>${key}(\\d+)</p>\\n?`, 'g');
  return { tokens: out, restore: (sanitized) => sanitized.replace(pattern, (_match, index: string) => markups[Number(index)] ?? '') };
}
