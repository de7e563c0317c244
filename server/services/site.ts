import { BUILT_IN_ACCENT, deriveDarkAccent, formatRatio, MIN_CONTRAST, worstContrast, type Theme } from '../../contract/contrast.js';
import { errors, type FieldError } from '../domain/errors.js';
import { hasRole } from '../domain/roles.js';
import type { StoredSite } from '../store/site.js';
import type { Stores } from './context.js';
import { requireVersion } from './versions.js';
import type { Actor, SiteInput, SiteSettings } from '../../contract/index.js';

/**
 * The site's branding: read by every page (name, logo, colours, font, footer links), changed by
 * admins. An accent that does not read at 4.5:1 on its background is refused with a 422 that
 * says the measured ratio, so no branding can make the live status or a button unreadable.
 */
export class SiteService {
  /** Every page asks: kept in memory, replaced when an admin saves (this process is the only writer). */
  private current: SiteSettings | undefined;

  constructor(private readonly stores: Stores) {}

  get(): SiteSettings {
    this.current ??= present(this.stores.site.get());
    return this.current;
  }

  update(actor: Actor, ifMatch: number | undefined, input: SiteInput): SiteSettings {
    if (!hasRole(actor, 'admin')) throw errors.forbidden('Only admins may change the site’s branding.');
    const version = requireVersion(ifMatch);
    refuseUnreadable(input);
    const { db, site, uploads, audit } = this.stores;
    const saved = db.transaction(() => {
      if (input.logo !== null && !uploads.byFileName(input.logo.slice('/uploads/'.length))) {
        throw errors.unprocessable('logo-not-uploaded', `There is no uploaded image at ${input.logo}; upload the logo first (POST /api/uploads) and send the URL it answers with.`, {
          errors: [{ field: 'logo', message: 'must be an image uploaded to this server' }],
        });
      }
      const current = site.get();
      const { linkEmbeds = current.linkEmbeds, ...branding } = input;
      const updated = site.update({ ...branding, linkEmbeds }, version, actor.id, new Date().toISOString());
      if (!updated) throw errors.preconditionFailed(`The branding is at version ${current.version}, not ${version}.`, { site: present(current) });
      audit.record(actor.id, 'site.updated', null, { name: updated.name, version: updated.version });
      return present(updated);
    })();
    this.current = saved;
    return saved;
  }
}

/** The colours pages use: the accent (or the built-in one) and its dark-background variant. */
export function siteColours(site: Pick<StoredSite, 'accent' | 'accentDark'>): { light: string; dark: string } {
  if (site.accent === null) return { light: BUILT_IN_ACCENT.light, dark: site.accentDark ?? BUILT_IN_ACCENT.dark };
  return { light: site.accent, dark: site.accentDark ?? deriveDarkAccent(site.accent) };
}

function present(site: StoredSite): SiteSettings {
  return { ...site, colours: siteColours(site) };
}

/** 422 `accent-contrast` naming each colour that fails, with its ratio and the background it was measured on. */
function refuseUnreadable(input: SiteInput): void {
  const failures: (FieldError & { colour: string; background: string; ratio: number })[] = [];
  const check = (field: 'accent' | 'accentDark', colour: string | null, theme: Theme) => {
    if (colour === null) return;
    const { ratio, surface } = worstContrast(colour, theme);
    if (ratio >= MIN_CONTRAST) return;
    failures.push({
      field,
      colour,
      background: surface,
      ratio: Math.floor(ratio * 100) / 100,
      message: `${colour} has a contrast of ${formatRatio(ratio)} against the ${theme} background ${surface}; it needs at least ${MIN_CONTRAST}:1 (${theme === 'light' ? 'a darker' : 'a lighter'} shade passes)`,
    });
  };
  check('accent', input.accent, 'light');
  check('accentDark', input.accentDark, 'dark');
  if (failures.length === 0) return;
  throw errors.unprocessable('accent-contrast', `The accent colour would be hard to read: ${failures.map((failure) => failure.message).join('; ')}.`, {
    errors: failures.map(({ field, message }) => ({ field, message })),
    required: MIN_CONTRAST,
    measured: failures.map(({ field, colour, background, ratio }) => ({ field, colour, background, ratio })),
  });
}
