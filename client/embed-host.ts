/**
 * embed.js: runs on the partner's page that embeds a Liveline post (the snippet from the composer
 * or the oEmbed answer: an <iframe> of /posts/:slug/embed plus this script). It sizes each such
 * iframe to its content, so the live post never scrolls inside the partner's page, up to a cap
 * (`data-max-height` on the iframe, 800 px by default) with a "Show more" button below that lifts it.
 *
 * The protocol (postMessage, objects tagged `liveline`): the embed page sends
 * `{liveline: 'height', height}` whenever its content height changes; this script answers
 * `{liveline: 'host'}` once, after which the embed page hides its own scrollbar. Only messages
 * from the script's own origin, and from the window of one of the page's iframes, are heeded.
 * No cookies, no third-party requests, nothing but sizes crosses.
 */

type HeightMessage = { liveline: 'height'; height: number; more?: { text?: unknown; lang?: unknown } };
const DEFAULT_CAP_PX = 800;

const script = document.currentScript as HTMLScriptElement | null;
const origin = script ? new URL(script.src, location.href).origin : location.origin;
const state = new WeakMap<HTMLIFrameElement, { cap: number; height: number; more?: HTMLButtonElement; label: { text: string; lang: string } }>();

function isHeight(data: unknown): data is HeightMessage {
  return typeof data === 'object' && data !== null && (data as { liveline?: unknown }).liveline === 'height' && typeof (data as { height?: unknown }).height === 'number';
}

/** The embed's words for "Show more" (the post's language), else English; plain text, kept short. */
function showMoreLabel(data: HeightMessage): { text: string; lang: string } {
  const text = typeof data.more?.text === 'string' && data.more.text.trim() ? data.more.text.trim().slice(0, 60) : 'Show more';
  const lang = typeof data.more?.lang === 'string' && /^[A-Za-z0-9-]{2,35}$/.test(data.more.lang) ? data.more.lang : '';
  return { text, lang };
}

function frameOf(source: MessageEventSource | null): HTMLIFrameElement | undefined {
  return [...document.querySelectorAll('iframe')].find((frame) => frame.contentWindow === source);
}

function apply(frame: HTMLIFrameElement): void {
  const sized = state.get(frame)!;
  const capped = sized.height > sized.cap;
  frame.style.height = `${Math.ceil(Math.min(sized.height, sized.cap))}px`;
  if (capped && !sized.more) {
    sized.more = document.createElement('button');
    sized.more.type = 'button';
    sized.more.className = 'liveline-show-more';
    sized.more.textContent = sized.label.text;
    if (sized.label.lang) sized.more.lang = sized.label.lang;
    sized.more.style.cssText = 'display:block;margin:.5rem auto;font:inherit;padding:.4rem 1rem;cursor:pointer';
    sized.more.addEventListener('click', () => {
      sized.cap = Number.POSITIVE_INFINITY;
      apply(frame);
    });
    frame.insertAdjacentElement('afterend', sized.more);
  }
  // Not `hidden`: the button's own display:block would override it.
  if (sized.more) sized.more.style.display = capped ? 'block' : 'none';
}

window.addEventListener('message', (event) => {
  if (event.origin !== origin || !isHeight(event.data)) return;
  const frame = frameOf(event.source);
  if (!frame) return;
  let sized = state.get(frame);
  if (!sized) {
    const cap = Number(frame.dataset.maxHeight);
    sized = { cap: Number.isFinite(cap) && cap > 0 ? cap : DEFAULT_CAP_PX, height: 0, label: showMoreLabel(event.data) };
    state.set(frame, sized);
    frame.setAttribute('scrolling', 'no');
    frame.contentWindow?.postMessage({ liveline: 'host' }, origin);
  }
  sized.label = showMoreLabel(event.data);
  sized.height = Math.max(0, Math.min(event.data.height, 1_000_000));
  apply(frame);
});
