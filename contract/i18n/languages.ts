/**
 * Languages: which interface catalogues exist, how a post's BCP 47 tag is checked and written,
 * which catalogue and text direction it gets. This file imports nothing (no zod, no catalogue),
 * so the browser bundles may import it as a value: the newsroom's language picker uses it.
 */

/** The interface catalogues (contract/i18n/<tag>.ts), each with its name in its own language. */
export const SUPPORTED_LANGUAGES = [
  { tag: 'en', name: 'English' },
  { tag: 'de', name: 'Deutsch' },
  { tag: 'fr', name: 'Français' },
  { tag: 'es', name: 'Español' },
  { tag: 'it', name: 'Italiano' },
  { tag: 'pt', name: 'Português' },
  { tag: 'nl', name: 'Nederlands' },
  { tag: 'ja', name: '日本語' },
  { tag: 'ar', name: 'العربية' },
] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number]['tag'];

/**
 * BCP 47 tags are subtags of letters and digits joined by hyphens, led by an ISO 639 language
 * (2 or 3 letters: the 5-to-8-letter form is reserved and nothing is registered under it, so
 * "english" is refused); 35 characters is RFC 5646's advice for the longest useful tag.
 */
const TAG_SHAPE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;
export const LANGUAGE_TAG_MAX = 35;

/**
 * The canonical form of a BCP 47 tag ("EN-us" → "en-US", "iw" → "he"), or undefined when it is
 * not a well-formed tag. `Intl` knows the grammar, the same in Node and in browsers.
 */
export function canonicalLanguage(tag: string): string | undefined {
  const trimmed = tag.trim();
  if (trimmed.length > LANGUAGE_TAG_MAX || !TAG_SHAPE.test(trimmed)) return undefined;
  try {
    const [canonical] = Intl.getCanonicalLocales(trimmed);
    return canonical;
  } catch {
    return undefined;
  }
}

/** The catalogue a post's language uses: the tag itself, else its base language ("pt-BR" → pt), else English. */
export function catalogueLanguage(tag: string): SupportedLanguage {
  const base = tag.toLowerCase().split('-')[0];
  return SUPPORTED_LANGUAGES.find((language) => language.tag === base)?.tag ?? 'en';
}

/** Scripts written right to left (ISO 15924). */
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr', 'Mend', 'Yezi']);

/** `rtl` for a language written right to left (its script, explicit or the likely one: "ar" → Arab), else `ltr`. */
export function textDirection(tag: string): 'ltr' | 'rtl' {
  try {
    const script = new Intl.Locale(tag).maximize().script;
    return script && RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}

/**
 * The locale dates and numbers are formatted in. A post in plain `en` keeps the day-month order
 * and 24-hour clock its pages always had (British English); `en-US` and every other tag format
 * as that locale does.
 */
export function formattingLocale(tag: string): string {
  return tag === 'en' ? 'en-GB' : tag;
}
