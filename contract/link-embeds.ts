/**
 * Link embeds (issue 16): the providers a lone URL in an entry can be embedded from, and what
 * loading each one takes. One table for the server (recognition in the render workers, the page's
 * Content-Security-Policy, the site setting) and the reader script (what a click adds). This file
 * imports nothing, so the browser bundles may import its values (server/test/import-graph.test.ts).
 *
 * Not to be confused with contract/oembed.ts and server/render/embed.ts: those put a Liveline post
 * on *other* sites.
 */

export type LinkEmbedLoad = 'iframe' | 'script';

/** How much room the placeholder (and then the frame) takes: CSS reads it (`data-shape`). */
export type LinkEmbedShape = 'video' | 'vertical' | 'audio' | 'playlist' | 'post' | 'chart' | 'map';

export type LinkEmbedProviderInfo = {
  /** The provider's name as readers know it. */
  name: string;
  /** `iframe`: the embed URL is the frame's `src`; `script`: the provider's script turns a link into its widget. */
  load: LinkEmbedLoad;
  /**
   * The origins an embed's frame may come from. The page's CSP names the ones its embeds use.
   * Empty: the embed URL's own https origin (Mastodon: any instance).
   */
  frameOrigins: readonly string[];
  /** For `script` providers: the script, added to the page only after the reader's click. */
  script?: string;
  /** The `allow` list of the frame: only what the provider's player needs. */
  allow: string;
};

const VIDEO_ALLOW = 'autoplay; encrypted-media; fullscreen; picture-in-picture';

export const LINK_EMBED_PROVIDERS = {
  youtube: { name: 'YouTube', load: 'iframe', frameOrigins: ['https://www.youtube-nocookie.com'], allow: VIDEO_ALLOW },
  vimeo: { name: 'Vimeo', load: 'iframe', frameOrigins: ['https://player.vimeo.com'], allow: VIDEO_ALLOW },
  x: { name: 'X', load: 'script', frameOrigins: ['https://platform.twitter.com'], script: 'https://platform.twitter.com/widgets.js', allow: '' },
  instagram: { name: 'Instagram', load: 'script', frameOrigins: ['https://www.instagram.com'], script: 'https://www.instagram.com/embed.js', allow: '' },
  bluesky: { name: 'Bluesky', load: 'iframe', frameOrigins: ['https://embed.bsky.app'], allow: '' },
  mastodon: { name: 'Mastodon', load: 'iframe', frameOrigins: [], allow: '' },
  tiktok: { name: 'TikTok', load: 'script', frameOrigins: ['https://www.tiktok.com'], script: 'https://www.tiktok.com/embed.js', allow: '' },
  facebook: { name: 'Facebook', load: 'iframe', frameOrigins: ['https://www.facebook.com'], allow: VIDEO_ALLOW },
  threads: { name: 'Threads', load: 'iframe', frameOrigins: ['https://www.threads.net', 'https://www.threads.com'], allow: '' },
  spotify: { name: 'Spotify', load: 'iframe', frameOrigins: ['https://open.spotify.com'], allow: 'autoplay; encrypted-media; fullscreen; picture-in-picture' },
  soundcloud: { name: 'SoundCloud', load: 'iframe', frameOrigins: ['https://w.soundcloud.com'], allow: 'autoplay; encrypted-media' },
  applepodcasts: { name: 'Apple Podcasts', load: 'iframe', frameOrigins: ['https://embed.podcasts.apple.com'], allow: 'autoplay; encrypted-media' },
  datawrapper: { name: 'Datawrapper', load: 'iframe', frameOrigins: ['https://datawrapper.dwcdn.net'], allow: 'fullscreen' },
  flourish: { name: 'Flourish', load: 'iframe', frameOrigins: ['https://flo.uri.sh'], allow: 'fullscreen' },
  googlemaps: { name: 'Google Maps', load: 'iframe', frameOrigins: ['https://www.google.com'], allow: 'fullscreen' },
} as const satisfies Record<string, LinkEmbedProviderInfo>;

export type LinkEmbedProvider = keyof typeof LINK_EMBED_PROVIDERS;
export const LINK_EMBED_PROVIDER_IDS = Object.keys(LINK_EMBED_PROVIDERS) as [LinkEmbedProvider, ...LinkEmbedProvider[]];

export function isLinkEmbedProvider(value: string): value is LinkEmbedProvider {
  return Object.hasOwn(LINK_EMBED_PROVIDERS, value);
}

/**
 * The sandbox of every provider frame: the player's own scripts in its own origin, its links
 * opening in a new tab, fullscreen video. Never top navigation, forms, downloads or modals.
 * (allow-scripts with allow-same-origin is only a risk for same-origin frames; these are all
 * third-party origins, which the CSP pins.)
 */
export const LINK_EMBED_SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation';

/** Only the origin goes to the provider (YouTube refuses to play without one). */
export const LINK_EMBED_REFERRER_POLICY = 'strict-origin-when-cross-origin';
