import { ar } from './ar.js';
import { de } from './de.js';
import { en, type Catalogue, type ReaderKey, type ReaderMessages } from './en.js';
import { es } from './es.js';
import { translator, type Translator } from './format.js';
import { fr } from './fr.js';
import { it } from './it.js';
import { ja } from './ja.js';
import { catalogueLanguage, formattingLocale, type SupportedLanguage } from './languages.js';
import { nl } from './nl.js';
import { pt } from './pt.js';

/**
 * Every interface catalogue, for the server. Browser code never imports this file (it would
 * carry all nine languages): the reader page ships its own language's `reader.` messages in the
 * page (readerMessages), and the browser fills them in with format.ts.
 */
export const CATALOGUES: Record<SupportedLanguage, Catalogue> = { en, de, fr, es, it, pt, nl, ja, ar };

export type { Catalogue, MessageKey, ReaderKey, ReaderMessages } from './en.js';
export * from './languages.js';
export { placeholders, translator, type Translator, type PluralForms } from './format.js';

const translators = new Map<string, Translator<Catalogue>>();

/**
 * The interface in `language` (a post's or the site's BCP 47 tag): its catalogue, plural rules
 * and number format. Kept per tag (tags are validated post fields and settings; the bound keeps
 * the map small whatever happens).
 */
export function interfaceFor(language: string): Translator<Catalogue> {
  let found = translators.get(language);
  if (!found) {
    found = translator(language, CATALOGUES[catalogueLanguage(language)], formattingLocale(language));
    if (translators.size < 500) translators.set(language, found);
  }
  return found;
}

/** The messages the reader script uses, in `language`: what the page carries for client/i18n.ts. */
export function readerMessages(language: string): ReaderMessages {
  const catalogue = CATALOGUES[catalogueLanguage(language)];
  return Object.fromEntries(Object.entries(catalogue).filter(([key]) => key.startsWith('reader.'))) as Record<ReaderKey, Catalogue[ReaderKey]> as ReaderMessages;
}
