import type { ReaderKey, ReaderMessages } from '../contract/i18n/en.js';
import { translator, type Translator } from '../contract/i18n/format.js';
import { formattingLocale } from '../contract/i18n/languages.js';

/**
 * The reader page's interface strings in the page's language. The server puts that language's
 * `reader.` messages into the page (#reader-strings, a JSON block) and says the language in
 * `<html lang>`; the bundle itself carries no catalogue, so it weighs the same in every language.
 * Use `ui.t('reader.…')` and `ui.plural('reader.…', n)`; a new string goes into every catalogue
 * in contract/i18n/ under a `reader.` key (server/render/i18n.test.ts says which ones lack it).
 */

function pageMessages(): Partial<ReaderMessages> {
  try {
    const block = document.getElementById('reader-strings');
    return block?.textContent ? (JSON.parse(block.textContent) as Partial<ReaderMessages>) : {};
  } catch {
    return {}; // a broken block: keys show as themselves rather than the page failing
  }
}

/** The page's language (BCP 47), as the server rendered it. */
export const language = document.documentElement.lang || 'en';
/** The locale dates and numbers are formatted in (plain `en` keeps the 24-hour British formats). */
export const locale = formattingLocale(language);

export const ui: Translator<ReaderMessages> = translator(language, pageMessages() as ReaderMessages, locale);

export type { ReaderKey };
