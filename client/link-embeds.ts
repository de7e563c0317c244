import { LINK_EMBED_PROVIDERS, LINK_EMBED_REFERRER_POLICY, LINK_EMBED_SANDBOX, isLinkEmbedProvider, type LinkEmbedProvider } from '../contract/link-embeds.js';

/**
 * Click-to-load for link embeds (issue 16), on the reader page, the embed page and the newsroom's
 * preview and timeline. The server renders each embed as a figure holding a link to the original
 * (server/render/link-embeds/markup.ts); nothing third-party is requested until the reader clicks
 * "Load". Then the figure gets the provider's frame (sandboxed, `allow` limited to the player's
 * needs, lazy, origin-only referrer), or for X, Instagram and TikTok their blockquote and their
 * script, added to the page only then.
 *
 * Which providers may load here is the page's to say (`data-link-embeds` on the element that holds
 * the stream: the providers its CSP names); a figure of any other provider keeps its link, with
 * "reload" when the site enables that provider (an entry that arrived live after the page loaded).
 * Figures are found as they appear (a MutationObserver), so live, earlier and edited entries and
 * the preview need nothing of their own.
 */

export type LinkEmbedLabels = {
  load: string;
  /** "Loading it connects to {provider}." */
  notice: (provider: string) => string;
  reload: string;
};

export type LinkEmbedOptions = {
  /** Providers this page's CSP allows. */
  allowed: ReadonlySet<string>;
  autoload: ReadonlySet<string>;
  /** Providers the site enables (a figure of one not allowed here says "reload"). */
  enabled: ReadonlySet<string>;
  labels: LinkEmbedLabels;
};

const words = (value: string | undefined) => new Set((value ?? '').split(/\s+/).filter(Boolean));

/** The page's word on embeds, from the element carrying `data-link-embeds`. */
export function linkEmbedOptions(holder: HTMLElement | null, labels: LinkEmbedLabels): LinkEmbedOptions {
  return {
    allowed: words(holder?.dataset.linkEmbeds),
    autoload: words(holder?.dataset.linkEmbedsAutoload),
    enabled: words(holder?.dataset.linkEmbedsEnabled),
    labels,
  };
}

/** The provider frame's origin when the embed URL is one the provider uses (https, its hosts). */
function frameUrl(provider: LinkEmbedProvider, embedUrl: string): URL | undefined {
  try {
    const url = new URL(embedUrl);
    const origins: readonly string[] = LINK_EMBED_PROVIDERS[provider].frameOrigins;
    if (url.protocol !== 'https:' || (origins.length > 0 && !origins.includes(url.origin))) return undefined;
    return url;
  } catch {
    return undefined;
  }
}

const loadedScripts = new Map<string, HTMLScriptElement>();

type Widgets = {
  twttr?: { widgets?: { load(element?: Element): void } };
  instgrm?: { Embeds?: { process(): void } };
};

/** The provider's script, once per page (TikTok's scans the page when it runs: it is added again). */
function addScript(provider: LinkEmbedProvider, src: string): void {
  const widgets = window as unknown as Widgets;
  if (provider === 'x' && widgets.twttr?.widgets) return widgets.twttr.widgets.load();
  if (provider === 'instagram' && widgets.instgrm?.Embeds) return widgets.instgrm.Embeds.process();
  const previous = loadedScripts.get(provider);
  if (previous && provider !== 'tiktok') return;
  previous?.remove();
  const script = document.createElement('script');
  script.src = src;
  script.async = true;
  script.referrerPolicy = LINK_EMBED_REFERRER_POLICY;
  document.head.append(script);
  loadedScripts.set(provider, script);
}

/** The markup the provider's script turns into its widget, built with DOM calls from the figure's URL. */
function widgetFor(provider: LinkEmbedProvider, url: URL, link: HTMLAnchorElement | null): HTMLElement | undefined {
  const quote = document.createElement('blockquote');
  const anchor = document.createElement('a');
  anchor.href = url.href;
  anchor.textContent = link?.textContent ?? url.href;
  if (provider === 'x') {
    quote.className = 'twitter-tweet';
    quote.dataset.dnt = 'true';
    quote.append(anchor);
  } else if (provider === 'instagram') {
    quote.className = 'instagram-media';
    quote.dataset.instgrmPermalink = url.href;
    quote.dataset.instgrmVersion = '14';
    quote.append(anchor);
  } else if (provider === 'tiktok') {
    const id = /\/video\/(\d+)$/.exec(url.pathname)?.[1];
    if (!id) return undefined;
    quote.className = 'tiktok-embed';
    quote.setAttribute('cite', url.href);
    quote.dataset.videoId = id;
    const section = document.createElement('section');
    section.append(anchor);
    quote.append(section);
  } else return undefined;
  return quote;
}

/** Replaces the placeholder with the provider's frame or widget; the link to the original stays below it. */
export function loadLinkEmbed(figure: HTMLElement): boolean {
  const provider = figure.dataset.provider ?? '';
  if (!isLinkEmbedProvider(provider) || figure.dataset.embedState === 'loaded') return false;
  const info = LINK_EMBED_PROVIDERS[provider];
  const link = figure.querySelector<HTMLAnchorElement>('a.embed-link');
  const caption = document.createElement('figcaption');
  if (link) caption.append(link);
  if (info.load === 'iframe') {
    const src = frameUrl(provider, figure.dataset.embedUrl ?? '');
    if (!src) return false;
    const frame = document.createElement('iframe');
    frame.src = src.href;
    frame.setAttribute('sandbox', LINK_EMBED_SANDBOX);
    if (info.allow) frame.allow = info.allow;
    frame.loading = 'lazy';
    frame.referrerPolicy = LINK_EMBED_REFERRER_POLICY;
    frame.title = `${info.name}: ${figure.querySelector('.embed-title')?.textContent ?? link?.href ?? ''}`;
    if (info.allow.includes('fullscreen')) frame.allowFullscreen = true;
    frame.className = 'embed-frame';
    figure.replaceChildren(frame, caption);
  } else {
    let url: URL;
    try {
      url = new URL(figure.dataset.embedUrl ?? '');
    } catch {
      return false;
    }
    const widget = url.protocol === 'https:' ? widgetFor(provider, url, link) : undefined;
    if (!widget) return false;
    widget.classList.add('embed-widget');
    figure.replaceChildren(widget, caption);
    addScript(provider, info.script);
  }
  figure.dataset.embedState = 'loaded';
  return true;
}

/** Adds "Load" (or loads at once, or says "reload") to one figure the server rendered. */
function enhance(figure: HTMLElement, options: LinkEmbedOptions): void {
  if (figure.dataset.embedState) return;
  const provider = figure.dataset.provider ?? '';
  if (!isLinkEmbedProvider(provider)) return;
  const name = LINK_EMBED_PROVIDERS[provider].name;
  if (!options.allowed.has(provider)) {
    figure.dataset.embedState = 'link';
    if (options.enabled.has(provider)) {
      const note = document.createElement('p');
      note.className = 'embed-notice';
      note.textContent = options.labels.reload;
      figure.append(note);
    }
    return;
  }
  if (options.autoload.has(provider) && loadLinkEmbed(figure)) return;
  const controls = document.createElement('p');
  controls.className = 'embed-controls';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'embed-load';
  button.textContent = options.labels.load;
  button.setAttribute('aria-label', `${options.labels.load}: ${name}`);
  const notice = document.createElement('span');
  notice.className = 'embed-notice';
  notice.textContent = options.labels.notice(name);
  controls.append(button, ' ', notice);
  button.addEventListener('click', () => {
    // Focus would be lost with the button: it moves to the frame (or the figure) that replaces it.
    if (loadLinkEmbed(figure)) (figure.querySelector<HTMLElement>('iframe, blockquote') ?? figure).focus?.();
  });
  figure.append(controls);
  figure.dataset.embedState = 'ready';
}

export function enhanceLinkEmbeds(root: ParentNode, options: LinkEmbedOptions): void {
  for (const figure of root.querySelectorAll<HTMLElement>('figure.embed[data-provider]')) enhance(figure, options);
}

/** Enhances the figures under `root` now and whenever entries are added or replaced. */
export function watchLinkEmbeds(root: HTMLElement, options: LinkEmbedOptions): MutationObserver {
  enhanceLinkEmbeds(root, options);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        if (node.matches('figure.embed[data-provider]')) enhance(node, options);
        else enhanceLinkEmbeds(node, options);
      }
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  return observer;
}

/** Datawrapper charts say their height in a message; the frame follows, so no chart is cut off. */
export function followChartHeights(): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.origin !== 'https://datawrapper.dwcdn.net' || typeof event.data !== 'object' || event.data === null) return;
    const heights = (event.data as Record<string, unknown>)['datawrapper-height'];
    if (typeof heights !== 'object' || heights === null) return;
    for (const frame of document.querySelectorAll<HTMLIFrameElement>('figure.embed[data-provider="datawrapper"] iframe')) {
      if (frame.contentWindow !== event.source) continue;
      const height = Object.values(heights as Record<string, unknown>).find((value): value is number => typeof value === 'number');
      if (height && height > 0 && height < 5000) frame.style.height = `${Math.ceil(height)}px`;
    }
  });
}
