import { z } from 'zod';
import { LINK_EMBED_PROVIDER_IDS } from './link-embeds.js';

/**
 * The site's branding (issue 15), set by admins in the newsroom (/admin/site, `PUT /api/site`):
 * name, logo, accent colours, font stack and footer links. Pages, the embed and the newsroom apply
 * it through CSS custom properties (a generated same-origin stylesheet, /site.css) and their
 * header, footer and JSON-LD `publisher`.
 */

/**
 * Font stacks that need no web font (nothing is downloaded, nothing leaves the site): each names
 * fonts most systems have, ending in a generic family. A key, never free CSS, so nothing an admin
 * types reaches a stylesheet.
 */
export const FONT_STACKS = {
  system: { label: 'System UI (default)', css: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif' },
  humanist: { label: 'Humanist sans', css: 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif' },
  geometric: { label: 'Geometric sans', css: 'Avenir, Montserrat, Corbel, "URW Gothic", source-sans-pro, sans-serif' },
  transitional: { label: 'Transitional serif', css: 'Charter, "Bitstream Charter", "Sitka Text", Cambria, serif' },
  'old-style': { label: 'Old-style serif', css: '"Iowan Old Style", "Palatino Linotype", "URW Palladio L", P052, serif' },
  slab: { label: 'Slab serif', css: 'Rockwell, "Rockwell Nova", "Roboto Slab", "DejaVu Serif", "Sitka Small", serif' },
} as const;
export type FontKey = keyof typeof FONT_STACKS;
export const FONT_KEYS = Object.keys(FONT_STACKS) as [FontKey, ...FontKey[]];

export const hexColour = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb, such as #005a9c')
  .transform((value) => value.toLowerCase());

/** An uploaded image of this server (POST /api/uploads answers with it): the logo is never a third-party URL. */
export const UPLOAD_PATH = /^\/uploads\/[0-9a-f]{64}\.(?:png|jpe?g|gif|webp)$/;

/** A footer link: a path on this site, or an http(s) or mailto: address. */
export const footerLink = z.strictObject({
  label: z.string().trim().min(1).max(60),
  url: z
    .string()
    .trim()
    .max(500)
    .refine((url) => {
      if (url.startsWith('/')) return !url.startsWith('//') && !/[\s\\]/.test(url);
      try {
        return ['https:', 'http:', 'mailto:'].includes(new URL(url).protocol);
      } catch {
        return false;
      }
    }, 'must be a path on this site (/about) or an https://, http:// or mailto: address'),
});
export type FooterLink = z.infer<typeof footerLink>;

/**
 * Link embeds (issue 16): which providers' embeds load (on the reader's click; default all), and
 * which of those load without a click (default none: nothing third-party until a reader asks).
 */
export const linkEmbedSettings = z.strictObject({
  enabled: z.array(z.enum(LINK_EMBED_PROVIDER_IDS)).max(LINK_EMBED_PROVIDER_IDS.length * 2),
  autoload: z.array(z.enum(LINK_EMBED_PROVIDER_IDS)).max(LINK_EMBED_PROVIDER_IDS.length * 2),
});
export type LinkEmbedSettingsInput = z.infer<typeof linkEmbedSettings>;

/** `PUT /api/site` (admins, with If-Match: the version): the whole branding. */
export const siteInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  /** An upload's URL (`/uploads/<sha256>.<ext>`), or null for none: the site name then stands alone. */
  logo: z.string().regex(UPLOAD_PATH, 'must be the URL of an image uploaded here (POST /api/uploads), such as /uploads/<sha256>.png').nullable(),
  /** On the light background; null: the built-in red. Refused (422) below 4.5:1 contrast. */
  accent: hexColour.nullable(),
  /** On the dark background; null: derived from `accent` (lightened until it reads at 4.5:1). */
  accentDark: hexColour.nullable(),
  font: z.enum(FONT_KEYS),
  footerLinks: z.array(footerLink).max(10),
  /** Absent: unchanged (clients written before issue 16 send the branding alone). */
  linkEmbeds: linkEmbedSettings.optional(),
});
export type SiteInput = z.infer<typeof siteInput>;

/** `GET /api/site` and `PUT`'s answer: the branding as stored, with the colours pages actually use. */
export const siteSettings = z.object({
  name: z.string(),
  logo: z.string().nullable(),
  accent: z.string().nullable(),
  accentDark: z.string().nullable(),
  font: z.enum(FONT_KEYS),
  footerLinks: z.array(footerLink),
  linkEmbeds: linkEmbedSettings,
  /** What the pages use: the accent (or the built-in one) and the dark variant (given or derived). */
  colours: z.object({ light: z.string(), dark: z.string() }),
  version: z.number(),
  updatedAt: z.string(),
});
export type SiteSettings = z.infer<typeof siteSettings>;
