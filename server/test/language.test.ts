import { afterEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Issue 15, "Language and brand": a post's language (BCP 47, default DEFAULT_LANGUAGE) is what
 * its page, embed, feed and JSON-LD speak, and it survives export and import.
 */
let t: TestApp | undefined;
let other: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  await other?.close();
  t = other = undefined;
});

const jsonLdOf = (page: string) => JSON.parse(/<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s.exec(page)![1]!) as Record<string, unknown>;
const readerStrings = (page: string) => JSON.parse(/<script type="application\/json" id="reader-strings">(.*?)<\/script>/s.exec(page)![1]!) as Record<string, unknown>;

describe('a post’s language', () => {
  it('defaults to DEFAULT_LANGUAGE and follows it, until the post gets its own', async () => {
    t = await createTestApp({ DEFAULT_LANGUAGE: 'de' });
    const { slug } = await createPost(t, { title: 'Parteitag', status: 'live' });
    const read = async () => (await t!.app.inject(`/api/posts/${slug}`)).json().post as { language: string; languageIsDefault: boolean; version: number };
    expect(await read()).toMatchObject({ language: 'de', languageIsDefault: true });
    const patch = (version: number, payload: Record<string, unknown>) =>
      t!.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...t!.auth('editor'), 'if-match': String(version) }, payload });
    expect((await patch((await read()).version, { language: 'FR-ca' })).json()).toMatchObject({ language: 'fr-CA', languageIsDefault: false });
    expect((await patch((await read()).version, { language: null })).json()).toMatchObject({ language: 'de', languageIsDefault: true });
  });

  it('is refused with a problem naming the field when it is not a BCP 47 tag', async () => {
    t = await createTestApp();
    for (const language of ['english', 'de_DE', 'x', 'de--at', 42]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/posts', headers: t.auth('editor'), payload: { title: `Bad ${String(language)}`, language } });
      expect(response.statusCode, String(language)).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json().errors).toEqual([expect.objectContaining({ field: 'body.language' })]);
    }
    const created = await t.app.inject({ method: 'POST', url: '/api/posts', headers: t.auth('editor'), payload: { title: 'Good', language: 'pt-br' } });
    expect(created.json()).toMatchObject({ language: 'pt-BR', languageIsDefault: false });
  });

  it('sets lang, the interface strings, dates and JSON-LD inLanguage of the page and the embed', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t, { title: 'Bundestag live', status: 'ended', language: 'de', timezone: 'Europe/Berlin', startsAt: '2026-03-14T08:00:00Z' });
    await postEntry(t, slug, 'Die Sitzung beginnt. Erste Rede folgt gleich.');
    const page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toMatch(/^<!doctype html>\n<html lang="de">/);
    // Ended: "Beendet um 14:49 MEZ am Dienstag, 1. Dezember 2026", in the event's zone (the script switches it to the reader's).
    expect(page).toMatch(/<span id="post-status-text">Beendet um \d\d:\d\d MEZ am \S+, \d+\. \S+ \d{4}<\/span>/);
    expect(page).toContain('Dieser Liveblog ist beendet.');
    expect(page).toContain('Zeitzone der Veranstaltung: Europe/Berlin');
    expect(page).toContain('>Zum Inhalt springen</a>');
    expect(page).toContain('Samstag, 14. März 2026 um 09:00 MEZ');
    // The orientation controls (issue 15), in German too.
    expect(page).toContain('<h2 id="pinned-title">Angeheftet</h2>');
    expect(page).toContain('>Neueste</a>');
    expect(page).toContain('>Älteste</a>');
    expect(page).toContain('>Nur Schlüsselmomente</a>');
    expect(page).toContain('aria-label="Darstellung der Einträge"');
    expect(page).not.toMatch(/>(Newest|Oldest|Key moments only|Jump to latest|Show more|Show less|Updated)</);
    expect(jsonLdOf(page)).toMatchObject({ inLanguage: 'de' });
    // The script's strings, in German only.
    const strings = readerStrings(page);
    expect(strings['reader.keyMoment']).toBe('Schlüsselmoment');
    expect(Object.keys(strings).every((key) => key.startsWith('reader.'))).toBe(true);
    const embed = (await t.app.inject(`/posts/${slug}/embed`)).body;
    expect(embed).toMatch(/<html lang="de" data-theme="light">/);
    expect(embed).toMatch(/<span id="post-status-text">Beendet um /);
  });

  it('writes an Arabic post right to left', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t, { title: 'تغطية مباشرة', status: 'live', language: 'ar' });
    const page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page).toContain('<span id="post-status-text">مباشر</span>');
    expect(page).toContain('>الأحدث</a>');
    expect(page).toContain('لا توجد تحديثات بعد.');
  });

  it('gives the Atom feeds xml:lang: the post’s, and on the site feed each post’s own where it differs', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t, { title: 'Directo', status: 'live', language: 'es' });
    await createPost(t, { title: 'English one', status: 'live' });
    expect((await t.app.inject(`/posts/${slug}/feed.atom`)).body).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es">');
    const site = (await t.app.inject('/feed.atom')).body;
    expect(site).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
    expect(site).toContain('<entry xml:lang="es">');
    expect(site).toContain('<summary>En directo: Directo</summary>');
  });

  it('survives a JSON export and import, and a Jekyll export and import (as lang:)', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t, { title: 'Kansai', status: 'ended', language: 'ja' });
    await postEntry(t, slug, '開会しました。');
    const { slug: plain } = await createPost(t, { title: 'Plain', status: 'ended' });
    const archive = t.app.services.archives.exportJson(slug);
    expect(archive.post.language).toBe('ja');
    expect(t.app.services.archives.exportJson(plain).post.language).toBeNull();

    other = await createTestApp({ DEFAULT_LANGUAGE: 'nl' });
    await other.app.services.archives.importJson('kansai.json', JSON.parse(JSON.stringify(archive)));
    expect(other.app.services.posts.bySlug(slug)).toMatchObject({ language: 'ja', languageIsDefault: false });
    // A post that followed the default still does, on the new site.
    await other.app.services.archives.importJson('plain.json', JSON.parse(JSON.stringify(t.app.services.archives.exportJson(plain))));
    expect(other.app.services.posts.bySlug(plain)).toMatchObject({ language: 'nl', languageIsDefault: true });

    const markdown = (await t.app.inject(`/posts/${slug}.md`)).body;
    expect(markdown).toMatch(/\nlang: ja\n/);
    expect((await t.app.inject(`/posts/${plain}.md`)).body).not.toMatch(/\nlang:/);
    const imported = await other.app.inject({ method: 'POST', url: '/api/import?filename=kansai-copy.md', headers: { ...other.auth('editor'), 'content-type': 'text/markdown' }, payload: markdown.replace('slug: kansai', 'slug: kansai-copy').replace(/^title: Kansai$/m, 'title: Kansai copy') });
    expect(imported.statusCode).toBe(201);
    expect(other.app.services.posts.bySlug(imported.json().slug)).toMatchObject({ language: 'ja' });
  });

  it('refuses an archive whose language is not a canonical tag', async () => {
    t = await createTestApp();
    const { slug } = await createPost(t, { title: 'Tagged', status: 'ended', language: 'it' });
    const archive = JSON.parse(JSON.stringify(t.app.services.archives.exportJson(slug))) as { post: Record<string, unknown> };
    other = await createTestApp();
    await expect(other.app.services.archives.importJson('bad.json', { ...archive, post: { ...archive.post, language: 'italiano!' } })).rejects.toThrow(/post\.language/);
  });
});
