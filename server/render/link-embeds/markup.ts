import { LINK_EMBED_PROVIDERS } from '../../../contract/link-embeds.js';
import { escapeHtml } from '../html.js';
import type { Recognised } from './recognise.js';

/**
 * The stored markup of a link embed and of a link card. It is stable (themes, tests and the reader
 * script read it) and inert: a link to the original, nothing that loads anything. The reader
 * script adds the "Load" button and, after the click, the frame or the provider's script
 * (client/link-embeds.ts); feeds, archives and pages without JavaScript keep the link.
 *
 *   <figure class="embed" data-provider="youtube" data-shape="video" data-embed-url="…" data-url="…">
 *     <a class="embed-link" href="…">provider · title · short URL</a>
 *   </figure>
 *   <figure class="link-card" data-url="…"><a class="link-card-link" href="…">host · short URL</a></figure>
 *
 * The spans are separated by a space so that the entry's text (search, excerpts) reads "YouTube
 * youtube.com/…". Every value is escaped here; the URLs were rebuilt by recognise() or normalised by `new URL`.
 */

const LINK_REL = 'noopener noreferrer nofollow';

/** `youtube.com/watch?v=…`: what a reader recognises, shortened. */
export function displayUrl(url: URL): string {
  const text = `${url.hostname.replace(/^www\./, '')}${url.pathname === '/' ? '' : url.pathname}${url.search}`;
  return text.length > 72 ? `${text.slice(0, 71)}…` : text;
}

export function embedMarkup(embed: Recognised): string {
  const provider = LINK_EMBED_PROVIDERS[embed.provider];
  const url = new URL(embed.url);
  const title = embed.title?.trim();
  return (
    `<figure class="embed" data-provider="${embed.provider}" data-shape="${embed.shape}" data-embed-url="${escapeHtml(embed.embedUrl)}" data-url="${escapeHtml(url.href)}">` +
    `<a class="embed-link" href="${escapeHtml(url.href)}" rel="${LINK_REL}" target="_blank">` +
    `<span class="embed-provider">${escapeHtml(provider.name)}</span> ` +
    (title ? `<span class="embed-title">${escapeHtml(title)}</span> ` : '') +
    `<span class="embed-url">${escapeHtml(displayUrl(url))}</span>` +
    `</a></figure>\n`
  );
}

export function linkCardMarkup(url: URL, title?: string): string {
  return (
    `<figure class="link-card" data-url="${escapeHtml(url.href)}">` +
    `<a class="link-card-link" href="${escapeHtml(url.href)}" rel="${LINK_REL}" target="_blank">` +
    `<span class="link-card-host">${escapeHtml(url.hostname.replace(/^www\./, ''))}</span> ` +
    (title?.trim() ? `<span class="link-card-title">${escapeHtml(title.trim())}</span> ` : '') +
    `<span class="link-card-url">${escapeHtml(displayUrl(url))}</span>` +
    `</a></figure>\n`
  );
}
