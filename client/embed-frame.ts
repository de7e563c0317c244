import { ui } from './i18n.js';

/**
 * The embed page's side of embed.js (embed-host.ts): reports the page's content height to the
 * partner page whenever it changes, and, once the partner's embed.js answers, lets it size the
 * iframe (no scrollbar inside). Without embed.js on the partner page nothing changes: the iframe
 * keeps its height and scrolls as before. `?accent=#RRGGBB` recolours the page when the colour
 * keeps 4.5:1 against the background (else it is ignored). The height message also carries the
 * words of the partner page's "Show more" in the post's language.
 */
export function reportSize(): void {
  // The partner page's "Show more" under a capped frame, in the post's language (embed-host.ts).
  const more = { text: ui.t('reader.showMore'), lang: document.documentElement.lang };
  if (window.parent === window) return;
  let last = -1;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ liveline: 'height', height, more }, '*');
  };
  new ResizeObserver(send).observe(document.body);
  window.addEventListener('load', send);
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent) return;
    const data = event.data as { liveline?: unknown } | null;
    if (data?.liveline === 'host') document.documentElement.classList.add('sized-by-host');
  });
  send();
}

/** Relative luminance (WCAG 2) of #rrggbb. */
function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Applies `?accent=` when it is a #rrggbb colour readable on the page's background. */
export function applyAccent(search: string): void {
  const accent = new URLSearchParams(search).get('accent');
  if (!accent || !/^#[0-9a-f]{6}$/i.test(accent)) return;
  const background = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim();
  if (!/^#[0-9a-f]{6}$/i.test(background) || contrast(accent, background) < 4.5) return;
  document.documentElement.style.setProperty('--accent', accent);
}
