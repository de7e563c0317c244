import { raw, html, type RawHtml } from '../html.js';
import type { LinkEmbedPolicy, LinkEmbedSettings } from './policy.js';

/**
 * What the reader page tells its script about link embeds, on `<article class="post">`:
 * `data-link-embeds` the providers this page's CSP lets load (the script offers "Load" for those),
 * `data-link-embeds-autoload` those that load without a click, `data-link-embeds-enabled` every
 * provider the site enables (an entry arriving live with one the page does not list says "reload").
 */
export type { LinkEmbedPolicy };

export type PageLinkEmbeds = LinkEmbedPolicy & { enabled: LinkEmbedSettings['enabled'] };

export function linkEmbedAttributes(policy: (LinkEmbedPolicy & { enabled?: LinkEmbedSettings['enabled'] }) | undefined): RawHtml {
  if (!policy) return raw('');
  return html` data-link-embeds="${policy.providers.join(' ')}" data-link-embeds-autoload="${policy.autoload.join(' ')}"${policy.enabled ? html` data-link-embeds-enabled="${policy.enabled.join(' ')}"` : ''}`;
}
