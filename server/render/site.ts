import { FONT_STACKS, type SiteSettings } from '../../contract/index.js';
import { BUILT_IN_ACCENT } from '../../contract/contrast.js';
import { html, type RawHtml } from './html.js';

/**
 * The site's branding on pages: the generated stylesheet (/site.css: CSS custom properties, a
 * same-origin stylesheet, so the CSP needs no inline style and cached pages need no nonce), the
 * header's name and logo, and the footer's links. Everything in the stylesheet is a validated
 * #rrggbb colour or one of the fixed font stacks (contract/site.ts), never text an admin typed.
 */

/** What the page templates need of the branding. */
export type Brand = Pick<SiteSettings, 'name' | 'logo' | 'footerLinks' | 'font' | 'accent' | 'accentDark' | 'colours' | 'version'>;

/** The built-in branding: what a page shows before any admin changed it (and what tests render with). */
export const DEFAULT_BRAND: Brand = {
  name: 'Liveline',
  logo: null,
  footerLinks: [],
  font: 'system',
  accent: null,
  accentDark: null,
  colours: { light: BUILT_IN_ACCENT.light, dark: BUILT_IN_ACCENT.dark },
  version: 0,
};

/** Whether the branding changes any CSS (colours, font): only then do pages link /site.css (one request fewer otherwise). */
export function hasBrandStyles(brand: Brand): boolean {
  return brand.accent !== null || brand.accentDark !== null || brand.font !== 'system';
}

/** The stylesheet's URL, versioned so a browser keeps it until the branding changes. */
export function brandStylesheetUrl(brand: Brand): string | undefined {
  return hasBrandStyles(brand) ? `/site.css?v=${brand.version}` : undefined;
}

/**
 * The stylesheet itself. The selectors are client/styles.css's own theme selectors, so the dark
 * variant applies exactly where the built-in dark colours do (the system's dark mode unless the
 * page chose light, and `data-theme="dark"`); loaded after styles.css, it wins.
 */
export function brandStylesheet(brand: Brand): string {
  const { light, dark } = brand.colours;
  return `/* Site branding, version ${brand.version} (set in the newsroom: /admin/site) */
:root { --accent: ${light}; --font-body: ${FONT_STACKS[brand.font].css}; }
@media (prefers-color-scheme: dark) {
  :root:not([data-theme="light"]) { --accent: ${dark}; }
}
:root[data-theme="dark"] { --accent: ${dark}; }
`;
}

/** The header's brand link: the logo (its alt text is the site's name) or the name. */
export function brandMark(brand: Brand, href = '/', suffix = ''): RawHtml {
  return html`<a href="${href}" class="brand">${brand.logo ? html`<img class="brand-logo" src="${brand.logo}" alt="${brand.name}${suffix}" height="32">` : `${brand.name}${suffix}`}</a>`;
}

/** The footer: the site's links, when it has any. */
export function siteFooter(brand: Brand, label: string): RawHtml | '' {
  if (brand.footerLinks.length === 0) return '';
  return html`<footer class="site-footer"><nav aria-label="${label}"><ul>${brand.footerLinks.map((link) => html`<li><a href="${link.url}">${link.label}</a></li>`)}</ul></nav></footer>`;
}
