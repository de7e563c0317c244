/**
 * Filling in a catalogue's messages: `{name}` placeholders and plural forms chosen by
 * `Intl.PluralRules` for the language (Arabic has six forms, Japanese one). One implementation
 * for the server's templates and the reader script; it imports nothing, so the browser bundle may
 * import it as a value without carrying a single catalogue.
 */

/** A plural message: one text per CLDR plural category the language uses; `other` always. */
export type PluralForms = { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string };
export type Message = string | PluralForms;
export type Messages = Record<string, Message>;
export type Vars = Record<string, string | number>;

/** The keys of `M` whose message is a plain text, and those whose message is plural forms. */
export type TextKeys<M extends Messages> = { [K in keyof M & string]: M[K] extends string ? K : never }[keyof M & string];
export type PluralKeys<M extends Messages> = { [K in keyof M & string]: M[K] extends string ? never : K }[keyof M & string];

export type Translator<M extends Messages> = {
  /** The language's BCP 47 tag, as the page's `lang` says it. */
  readonly language: string;
  t(key: TextKeys<M>, vars?: Vars): string;
  /** The form of `key` for `count` (also `{count}` in it, formatted for the language). */
  plural(key: PluralKeys<M>, count: number, vars?: Vars): string;
  /** A number as the language writes it. */
  number(value: number): string;
};

const PLACEHOLDER = /\{(\w+)\}/g;

/** Every `{name}` in a message, for the catalogue test (translations keep the English placeholders). */
export function placeholders(message: Message): string[] {
  const texts = typeof message === 'string' ? [message] : Object.values(message).filter((text): text is string => typeof text === 'string');
  return [...new Set(texts.flatMap((text) => [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!)))].sort();
}

/**
 * A translator over `messages` for `language` (the tag used for plural rules and numbers; pass
 * the formatting locale). A key the messages lack comes out as the key itself: visible, never a crash.
 */
export function translator<M extends Messages>(language: string, messages: M, locale: string = language): Translator<M> {
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const fill = (text: string, vars: Vars = {}) =>
    text.replace(PLACEHOLDER, (match, name: string) => {
      const value = vars[name];
      if (value === undefined) return match;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  return {
    language,
    t(key, vars) {
      const message = messages[key];
      return typeof message === 'string' ? fill(message, vars) : key;
    },
    plural(key, count, vars) {
      const message = messages[key];
      if (message === undefined || typeof message === 'string') return key;
      const category = rules.select(count) as keyof PluralForms;
      return fill(message[category] ?? message.other, { count, ...vars });
    },
    number: (value) => numbers.format(value),
  };
}
