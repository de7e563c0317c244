import type { FontKey, FooterLink, SiteInput, SiteSettings } from '../../contract/index.js';
import { BUILT_IN_ACCENT, deriveDarkAccent, formatRatio, MIN_CONTRAST, SURFACES, worstContrast, type Theme } from '../../contract/contrast.js';
import type { LinkEmbedProvider } from '../../contract/link-embeds.js';
import { getSite, saveSite, stale, upload } from '../api-client.js';
import { ApiError } from '../http.js';
import { element } from './dom.js';

/**
 * /admin/site (admins): the site's branding. The accent is checked as it is typed with the same
 * rule the server refuses with (4.5:1 on every surface of its theme), the logo goes through the
 * ordinary upload, and saving sends the whole branding with If-Match; a 422 marks the fields it
 * names, a 412 shows what the other admin saved.
 */

const HEX = /^#[0-9a-fA-F]{6}$/;
const MAX_LINKS = 10;

export function startSite(): void {
  const form = document.querySelector<HTMLFormElement>('#site-form');
  const data = document.getElementById('page-data')?.textContent;
  if (!form || !data) return;
  let site = (JSON.parse(data) as { site: SiteSettings }).site;
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const name = $<HTMLInputElement>('site-name');
  const logo = $<HTMLInputElement>('site-logo');
  const logoFile = $<HTMLInputElement>('site-logo-file');
  const logoRemove = $<HTMLButtonElement>('site-logo-remove');
  const logoPreview = $<HTMLElement>('site-logo-preview');
  const accent = $<HTMLInputElement>('site-accent');
  const accentDark = $<HTMLInputElement>('site-accent-dark');
  const font = $<HTMLSelectElement>('site-font');
  const links = $<HTMLOListElement>('site-footer-links');
  const addLink = $<HTMLButtonElement>('site-footer-add');
  const message = $<HTMLElement>('site-message');

  const showLogo = (url: string) => {
    logo.value = url;
    logoPreview.replaceChildren(url ? element('img', { src: url, alt: 'Current logo', height: 48 }) : element('span', { className: 'muted' }, 'No logo: the site name stands alone.'));
    logoRemove.hidden = !url;
  };
  logoFile.addEventListener('change', async () => {
    const file = logoFile.files?.[0];
    if (!file) return;
    message.textContent = 'Uploading the logo…';
    try {
      showLogo((await upload(file)).url);
      message.textContent = 'Logo uploaded; save to use it.';
    } catch (error) {
      message.textContent = `The logo was not uploaded: ${error instanceof Error ? error.message : String(error)}`;
    }
    logoFile.value = '';
  });
  logoRemove.addEventListener('click', () => showLogo(''));

  // Footer links the admin has added, removed or edited since the form was last filled.
  let linksTouched = false;
  links.addEventListener('input', () => (linksTouched = true));
  const linkRow = (link: FooterLink = { label: '', url: '' }) => {
    const index = links.children.length + 1;
    const label = element('input', { value: link.label, maxLength: 60, required: true, className: 'footer-link-label' });
    const url = element('input', { value: link.url, maxLength: 500, required: true, placeholder: '/about or https://…', className: 'footer-link-url' });
    const remove = element('button', { type: 'button' }, 'Remove');
    const row = element('li', { className: 'footer-link' }, element('label', {}, `Link ${index} text `, label), element('label', {}, `Link ${index} address `, url), remove);
    remove.addEventListener('click', () => {
      linksTouched = true;
      row.remove();
      addLink.disabled = links.children.length >= MAX_LINKS;
    });
    links.append(row);
    addLink.disabled = links.children.length >= MAX_LINKS;
    return label;
  };
  addLink.addEventListener('click', () => {
    linksTouched = true;
    linkRow().focus();
  });

  /** The live check beside each accent field, and the two swatches as the pages will show them. */
  const check = () => {
    const light = HEX.test(accent.value.trim()) ? accent.value.trim().toLowerCase() : null;
    const dark = HEX.test(accentDark.value.trim()) ? accentDark.value.trim().toLowerCase() : null;
    const shownLight = light ?? BUILT_IN_ACCENT.light;
    const shownDark = dark ?? (light ? deriveDarkAccent(light) : BUILT_IN_ACCENT.dark);
    describe(accent, $('site-accent-check'), light, 'light');
    describe(accentDark, $('site-accent-dark-check'), dark, 'dark', light ? `Empty: derived from the light accent, ${shownDark}.` : undefined);
    paint($('swatch-light'), shownLight, SURFACES.light.background);
    paint($('swatch-dark'), shownDark, SURFACES.dark.background);
  };
  accent.addEventListener('input', check);
  accentDark.addEventListener('input', check);

  /** Shows saved settings; at start-up (`keepTyped`) a field the admin changed before the script ran keeps its value. */
  const fill = (settings: SiteSettings, keepTyped = false) => {
    site = settings;
    const set = (input: HTMLInputElement, value: string) => {
      if (!keepTyped || input.value === input.defaultValue) input.value = value;
    };
    set(name, settings.name);
    if (!keepTyped) showLogo(settings.logo ?? '');
    set(accent, settings.accent ?? '');
    set(accentDark, settings.accentDark ?? '');
    if (!keepTyped || [...font.options].every((option) => option.selected === option.defaultSelected)) font.value = settings.font;
    if (!keepTyped || !linksTouched) {
      links.replaceChildren();
      for (const link of settings.footerLinks) linkRow(link);
      linksTouched = false;
    }
    const tick = (box: HTMLInputElement, on: boolean) => {
      if (!keepTyped || box.checked === box.defaultChecked) box.checked = on;
    };
    for (const box of form.querySelectorAll<HTMLInputElement>('input.link-embed-enabled')) tick(box, settings.linkEmbeds.enabled.includes(box.value as LinkEmbedProvider));
    for (const box of form.querySelectorAll<HTMLInputElement>('input.link-embed-autoload')) tick(box, settings.linkEmbeds.autoload.includes(box.value as LinkEmbedProvider));
    check();
  };
  fill(site, true);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const input of form.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute('aria-invalid');
    const input: SiteInput = {
      name: name.value,
      logo: logo.value || null,
      accent: accent.value.trim() || null,
      accentDark: accentDark.value.trim() || null,
      font: font.value as FontKey,
      footerLinks: [...links.querySelectorAll('li.footer-link')].map((row) => ({
        label: row.querySelector<HTMLInputElement>('.footer-link-label')?.value ?? '',
        url: row.querySelector<HTMLInputElement>('.footer-link-url')?.value ?? '',
      })),
      linkEmbeds: { enabled: checkedProviders(form, 'link-embed-enabled'), autoload: checkedProviders(form, 'link-embed-autoload') },
    };
    try {
      fill(await saveSite(site.version, input));
      message.textContent = 'Saved. Readers see the new branding on their next page load.';
    } catch (error) {
      const current = stale(error)?.site;
      if (current) {
        fill(current);
        message.textContent = 'Another admin changed the branding meanwhile; the form now shows theirs. Apply your change again.';
        return;
      }
      message.textContent = `Not saved: ${error instanceof Error ? error.message : String(error)}`;
      if (error instanceof ApiError) markFields(form, error.problem.errors ?? []);
    }
  });
  // A page kept from before another admin's save: start from what is stored now, except what
  // this admin has already changed.
  void getSite().then((current) => fill(current, true), () => undefined);
}

function checkedProviders(form: HTMLFormElement, className: string): LinkEmbedProvider[] {
  return [...form.querySelectorAll<HTMLInputElement>(`input.${className}:checked`)].map((box) => box.value as LinkEmbedProvider);
}

function describe(input: HTMLInputElement, out: HTMLElement, colour: string | null, theme: Theme, whenEmpty?: string): void {
  const typed = input.value.trim();
  if (typed === '') {
    out.textContent = whenEmpty ?? 'Empty: the built-in colour.';
    out.dataset.state = 'ok';
    input.removeAttribute('aria-invalid');
    return;
  }
  if (!colour) {
    out.textContent = 'Write the colour as #rrggbb, such as #005a9c.';
    out.dataset.state = 'bad';
    input.setAttribute('aria-invalid', 'true');
    return;
  }
  const { ratio, surface } = worstContrast(colour, theme);
  const passes = ratio >= MIN_CONTRAST;
  out.textContent = passes
    ? `Contrast ${formatRatio(ratio)} on the ${theme} background: readable.`
    : `Contrast ${formatRatio(ratio)} on the ${theme} background ${surface}: too low, it needs ${MIN_CONTRAST}:1 (try a ${theme === 'light' ? 'darker' : 'lighter'} shade).`;
  out.dataset.state = passes ? 'ok' : 'bad';
  input.setAttribute('aria-invalid', String(!passes));
}

/** A swatch in the accent on its background, as the live status reads (CSSOM, which the CSP allows). */
function paint(swatch: HTMLElement, colour: string, background: string): void {
  swatch.style.color = colour;
  swatch.style.backgroundColor = background;
}

/** Marks the inputs a 422 names (`accent`, `footerLinks.2.url`…). */
function markFields(form: HTMLFormElement, fields: { field: string; message: string }[]): void {
  const ids: Record<string, string> = { name: 'site-name', logo: 'site-logo-file', accent: 'site-accent', accentDark: 'site-accent-dark', font: 'site-font' };
  for (const { field } of fields) {
    const key = field.replace(/^body\./, '');
    const link = /^footerLinks\.(\d+)\.(label|url)$/.exec(key);
    const input = link
      ? form.querySelectorAll<HTMLInputElement>(`li.footer-link .footer-link-${link[2]}`)[Number(link[1])]
      : ids[key] ? document.getElementById(ids[key]!) : null;
    input?.setAttribute('aria-invalid', 'true');
  }
}
