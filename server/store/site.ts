import type { FontKey, FooterLink } from '../../contract/index.js';
import { LINK_EMBED_PROVIDER_IDS, isLinkEmbedProvider, type LinkEmbedProvider } from '../../contract/link-embeds.js';
import type { Db } from '../db/connection.js';

/** The site's branding as stored: one row of site_settings (migration 0010). */
export type StoredSite = {
  name: string;
  logo: string | null;
  accent: string | null;
  accentDark: string | null;
  font: FontKey;
  footerLinks: FooterLink[];
  /** Which link-embed providers are enabled and which load without a click (migration 0015). */
  linkEmbeds: { enabled: LinkEmbedProvider[]; autoload: LinkEmbedProvider[] };
  version: number;
  updatedAt: string;
};

type SiteRow = { name: string; logo: string | null; accent: string | null; accent_dark: string | null; font: FontKey; footer_links: string; link_embeds: string; version: number; updated_at: string };

/** SQL for the site's branding. The only place that reads or writes site_settings. */
export class SiteStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      get: db.prepare('SELECT name, logo, accent, accent_dark, font, footer_links, link_embeds, version, updated_at FROM site_settings WHERE id = 1'),
      update: db.prepare(`UPDATE site_settings SET name = @name, logo = @logo, accent = @accent, accent_dark = @accentDark, font = @font,
        footer_links = @footerLinks, link_embeds = @linkEmbeds, version = version + 1, updated_by = @updatedBy, updated_at = @now WHERE id = 1 AND version = @version
        RETURNING name, logo, accent, accent_dark, font, footer_links, link_embeds, version, updated_at`),
    };
  }

  get(): StoredSite {
    return toSite(this.statements.get.get() as SiteRow);
  }

  /** Replaces the branding when it is still at `version`; undefined when someone saved meanwhile. */
  update(site: Omit<StoredSite, 'version' | 'updatedAt'>, version: number, updatedBy: number | null, now: string): StoredSite | undefined {
    const row = this.statements.update.get({ ...site, footerLinks: JSON.stringify(site.footerLinks), linkEmbeds: storedLinkEmbeds(site.linkEmbeds), version, updatedBy, now }) as SiteRow | undefined;
    return row && toSite(row);
  }
}

function toSite(row: SiteRow): StoredSite {
  return {
    name: row.name,
    logo: row.logo,
    accent: row.accent,
    accentDark: row.accent_dark,
    font: row.font,
    footerLinks: JSON.parse(row.footer_links) as FooterLink[],
    linkEmbeds: readLinkEmbeds(row.link_embeds),
    version: row.version,
    updatedAt: row.updated_at,
  };
}

/** Kept as the disabled providers, so that a provider added later is enabled like every other. */
function storedLinkEmbeds(settings: StoredSite['linkEmbeds']): string {
  const disabled = LINK_EMBED_PROVIDER_IDS.filter((provider) => !settings.enabled.includes(provider));
  return JSON.stringify({ disabled, autoload: [...new Set(settings.autoload)] });
}

function readLinkEmbeds(json: string): StoredSite['linkEmbeds'] {
  const stored = JSON.parse(json) as { disabled?: unknown; autoload?: unknown };
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((one): one is LinkEmbedProvider => typeof one === 'string' && isLinkEmbedProvider(one)) : []);
  const disabled = list(stored.disabled);
  return { enabled: LINK_EMBED_PROVIDER_IDS.filter((provider) => !disabled.includes(provider)), autoload: list(stored.autoload) };
}
