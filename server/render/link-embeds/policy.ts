import { LINK_EMBED_PROVIDERS, LINK_EMBED_PROVIDER_IDS, isLinkEmbedProvider, type LinkEmbedProvider } from '../../../contract/link-embeds.js';

/**
 * What a page may load of its link embeds: the providers it shows (enabled by the site) and the
 * exact origins its Content-Security-Policy must add for them (`frame-src`, and `script-src` for
 * the providers that render with their own script). Read from the entries' stored HTML: only the
 * renderer writes `<figure class="embed">` (the sanitizer refuses figures), so every figure found
 * is one we built.
 *
 * Live entries: the policy of a page is that of the entries it was rendered with. An entry that
 * arrives later with a provider the page does not list shows its link and "reload to load"
 * (client/link-embeds.ts); the reload's policy lists it. Nothing widens for providers a page
 * does not show.
 */

export type LinkEmbedSettings = {
  /** Providers whose embeds load on click (the rest show their link only). */
  enabled: readonly LinkEmbedProvider[];
  /** Providers that load without a click. Only enabled ones count. */
  autoload: readonly LinkEmbedProvider[];
};

export const DEFAULT_LINK_EMBED_SETTINGS: LinkEmbedSettings = { enabled: LINK_EMBED_PROVIDER_IDS, autoload: [] };

export type LinkEmbedPolicy = {
  /** The enabled providers of the embeds in the page, sorted. */
  providers: LinkEmbedProvider[];
  /** Of those, the ones that load without a click. */
  autoload: LinkEmbedProvider[];
  frameSrc: string[];
  scriptSrc: string[];
};

const FIGURE = /<figure class="embed" data-provider="([a-z]+)" data-shape="[a-z]+" data-embed-url="([^"]*)"/g;

/** The embeds of some rendered HTML: provider and the origin its frame comes from. */
export function embedsIn(html: string): { provider: LinkEmbedProvider; origin: string }[] {
  if (!html.includes('<figure class="embed"')) return [];
  const found: { provider: LinkEmbedProvider; origin: string }[] = [];
  for (const [, provider = '', encoded = ''] of html.matchAll(FIGURE)) {
    if (!isLinkEmbedProvider(provider)) continue;
    const origin = frameOrigin(provider, encoded.replace(/&amp;/g, '&'));
    if (origin) found.push({ provider, origin });
  }
  return found;
}

/** The origin a provider's frame is loaded from, when the embed URL is one it may use. */
export function frameOrigin(provider: LinkEmbedProvider, embedUrl: string): string | undefined {
  const info = LINK_EMBED_PROVIDERS[provider];
  if (info.load === 'script') return info.frameOrigins[0];
  let url: URL;
  try {
    url = new URL(embedUrl);
  } catch {
    return undefined;
  }
  const origins: readonly string[] = info.frameOrigins;
  if (url.protocol !== 'https:') return undefined;
  return origins.length === 0 || origins.includes(url.origin) ? url.origin : undefined;
}

function policyOf(found: Iterable<{ provider: LinkEmbedProvider; origin: string }>, settings: LinkEmbedSettings): LinkEmbedPolicy {
  const providers = new Set<LinkEmbedProvider>();
  const frames = new Set<string>();
  const scripts = new Set<string>();
  for (const { provider, origin } of found) {
    if (!settings.enabled.includes(provider)) continue;
    providers.add(provider);
    const info = LINK_EMBED_PROVIDERS[provider];
    if (info.load === 'script') {
      for (const one of info.frameOrigins) frames.add(one);
      scripts.add(new URL(info.script).origin);
    } else frames.add(origin);
  }
  const sorted = [...providers].sort();
  return { providers: sorted, autoload: sorted.filter((provider) => settings.autoload.includes(provider)), frameSrc: [...frames].sort(), scriptSrc: [...scripts].sort() };
}

/** The policy of a page showing these entries' (or summaries') HTML. */
export function linkEmbedPolicy(htmls: Iterable<string>, settings: LinkEmbedSettings): LinkEmbedPolicy {
  const found = [];
  for (const html of htmls) found.push(...embedsIn(html));
  return policyOf(found, settings);
}

/**
 * The newsroom's composer previews whatever the author pastes, before it is saved: it lists every
 * enabled provider with a fixed origin whose embed is a frame. Never the script providers (X,
 * Instagram, TikTok): their scripts would run in the newsroom's origin, with the user's session
 * and CSRF token; their preview shows the link. (Nor Mastodon: an instance cannot be known in
 * advance.)
 */
export function newsroomLinkEmbedPolicy(settings: LinkEmbedSettings): LinkEmbedPolicy {
  const all = LINK_EMBED_PROVIDER_IDS.filter((provider) => LINK_EMBED_PROVIDERS[provider].load === 'iframe').flatMap((provider) =>
    LINK_EMBED_PROVIDERS[provider].frameOrigins.map((origin) => ({ provider, origin })),
  );
  return { ...policyOf(all, settings), autoload: [] };
}

export const NO_LINK_EMBEDS: LinkEmbedPolicy = { providers: [], autoload: [], frameSrc: [], scriptSrc: [] };

const LINKED = /<figure class="(?:embed" data-provider="[a-z]+" data-shape="[a-z]+" data-embed-url="([^"]*)" data-url="([^"]*)"|link-card" data-url="([^"]*)")/g;
const unescape = (value: string) => value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * The links an entry's embeds and cards point to, for its JSON-LD update: an embed as a
 * MediaObject (the original and the embed URL), a link card as a page it mentions.
 */
export function linkEmbedJsonLd(html: string): { associatedMedia?: Record<string, string>[]; mentions?: Record<string, string>[] } {
  if (!html.includes('<figure class="')) return {};
  const media: Record<string, string>[] = [];
  const mentions: Record<string, string>[] = [];
  for (const [, embedUrl, url, card] of html.matchAll(LINKED)) {
    if (card) mentions.push({ '@type': 'WebPage', url: unescape(card) });
    else if (url && embedUrl) media.push({ '@type': 'MediaObject', url: unescape(url), embedUrl: unescape(embedUrl) });
  }
  return { ...(media.length ? { associatedMedia: media } : {}), ...(mentions.length ? { mentions } : {}) };
}
