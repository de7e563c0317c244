import { describe, expect, it } from 'vitest';
import { CATALOGUES, interfaceFor, placeholders, readerMessages, SUPPORTED_LANGUAGES, textDirection, type Catalogue } from '../../contract/i18n/index.js';
import { en } from '../../contract/i18n/en.js';
import type { Message, PluralForms } from '../../contract/i18n/format.js';

/**
 * The interface catalogues (contract/i18n/<tag>.ts): each has exactly the English keys, each plural
 * message has a form for every plural category its language uses (and none it never uses), and
 * every translation keeps the English placeholders. TypeScript checks the keys too, but a catalogue
 * cast or built another way would slip past it; this test does not.
 */

/** What is wrong with a catalogue for `tag`, one line per problem; empty when it is complete. */
function catalogueProblems(tag: string, catalogue: Record<string, Message>): string[] {
  const problems: string[] = [];
  const reference = en as Record<string, Message>;
  const categories = new Intl.PluralRules(tag).resolvedOptions().pluralCategories as (keyof PluralForms)[];
  for (const key of Object.keys(reference)) if (!(key in catalogue)) problems.push(`${tag}: misses "${key}"`);
  for (const [key, message] of Object.entries(catalogue)) {
    const english = reference[key];
    if (english === undefined) {
      problems.push(`${tag}: has "${key}", which en.ts does not`);
      continue;
    }
    if (typeof english === 'string') {
      if (typeof message !== 'string') problems.push(`${tag}: "${key}" must be a plain text, as in English`);
      else if (message.trim() === '') problems.push(`${tag}: "${key}" is empty`);
      else if (placeholders(message).join() !== placeholders(english).join()) problems.push(`${tag}: "${key}" must use {${placeholders(english).join('}, {')}}`);
      continue;
    }
    if (typeof message === 'string') {
      problems.push(`${tag}: "${key}" must have plural forms (${categories.join(', ')})`);
      continue;
    }
    for (const category of categories) if (!message[category]?.trim()) problems.push(`${tag}: "${key}" misses its "${category}" form`);
    for (const category of Object.keys(message)) if (!categories.includes(category as keyof PluralForms)) problems.push(`${tag}: "${key}" has a "${category}" form, which ${tag} never uses`);
    if (!message.other.includes('{count}')) problems.push(`${tag}: "${key}" must say {count} in its "other" form`);
    const others = placeholders(message).filter((name) => name !== 'count');
    const expected = placeholders(english).filter((name) => name !== 'count');
    if (others.join() !== expected.join()) problems.push(`${tag}: "${key}" must use the placeholders of en.ts`);
  }
  return problems;
}

describe('interface catalogues', () => {
  it('exist for every supported language, English, German, French, Spanish, Italian, Portuguese, Dutch, Japanese and Arabic', () => {
    expect(SUPPORTED_LANGUAGES.map((language) => language.tag).sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'it', 'ja', 'nl', 'pt']);
    expect(Object.keys(CATALOGUES).sort()).toEqual(SUPPORTED_LANGUAGES.map((language) => language.tag).sort());
  });

  it.each(SUPPORTED_LANGUAGES.map((language) => language.tag))('%s has every key, plural form and placeholder, and nothing more', (tag) => {
    expect(catalogueProblems(tag, CATALOGUES[tag])).toEqual([]);
  });

  it('the check fails on a catalogue that misses a key, has an extra one, or lacks a plural form', () => {
    const { ['reader.updated']: _missing, ...rest } = CATALOGUES.de;
    expect(catalogueProblems('de', rest)).toEqual(['de: misses "reader.updated"']);
    expect(catalogueProblems('de', { ...CATALOGUES.de, 'reader.extra': 'x' })).toEqual(['de: has "reader.extra", which en.ts does not']);
    const arabic: Catalogue = { ...CATALOGUES.ar, 'home.entries': { one: 'تحديث واحد', other: '{count} تحديث' } };
    expect(catalogueProblems('ar', arabic)).toEqual(expect.arrayContaining(['ar: "home.entries" misses its "two" form', 'ar: "home.entries" misses its "few" form']));
    expect(catalogueProblems('fr', { ...CATALOGUES.fr, 'page.eventZone': 'Fuseau' })).toEqual(['fr: "page.eventZone" must use {zone}']);
  });
});

describe('translating', () => {
  it('fills placeholders and picks plural forms by the language’s rules', () => {
    expect(interfaceFor('de').t('page.eventZone', { zone: 'Europe/Berlin' })).toBe('Zeitzone der Veranstaltung: Europe/Berlin');
    expect(interfaceFor('en').plural('reader.newEntries', 1)).toBe('1 new entry');
    expect(interfaceFor('en').plural('reader.newEntries', 2)).toBe('2 new entries');
    expect(interfaceFor('de-DE').plural('home.entries', 1200)).toBe('1.200 Einträge');
    const arabic = interfaceFor('ar');
    expect([0, 1, 2, 3, 11, 100].map((count) => arabic.plural('home.entries', count))).toEqual(['لا تحديثات', 'تحديث واحد', 'تحديثان', '3 تحديثات', '11 تحديثًا', '100 تحديث']);
    expect(interfaceFor('ja').plural('reader.newEntries', 5)).toBe('新しい投稿 5件');
  });

  it('falls back to the base language, then English, for a tag without a catalogue of its own', () => {
    expect(interfaceFor('pt-BR').t('reader.status.live')).toBe('Ao vivo');
    expect(interfaceFor('sv').t('reader.status.live')).toBe('Live');
    expect(interfaceFor('sv').language).toBe('sv');
  });

  it('ships only the reader script’s messages, in the page’s language', () => {
    const messages = readerMessages('fr-CA');
    expect(Object.keys(messages).every((key) => key.startsWith('reader.'))).toBe(true);
    expect(messages['reader.status.ended']).toBe('Terminé');
    expect(Object.keys(messages)).toHaveLength(Object.keys(en).filter((key) => key.startsWith('reader.')).length);
  });

  it('knows which languages are written right to left', () => {
    expect(['ar', 'ar-EG', 'he', 'fa', 'ur', 'az-Arab'].map(textDirection)).toEqual(['rtl', 'rtl', 'rtl', 'rtl', 'rtl', 'rtl']);
    expect(['en', 'de', 'ja', 'az', 'tr'].map(textDirection)).toEqual(['ltr', 'ltr', 'ltr', 'ltr', 'ltr']);
  });
});
