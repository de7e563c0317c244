import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry as postEntryOnce, type TestApp } from './helpers.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const GOOD = ['2011-03-14-storage-summit-opening-keynote.md', 'vcloud-keynote.md', '2012-06-01-no-markers.md'];

let source: TestApp;
let target: TestApp;
beforeEach(async () => {
  source = await createTestApp();
  target = await createTestApp();
});
afterEach(async () => {
  await source.close();
  await target.close();
});

type Row = Record<string, unknown>;
const rows = (t: TestApp, sql: string, ...params: unknown[]) => t.app.stores.db.prepare(sql).all(...params) as Row[];

/** What an import decides: everything but row ids and the wall-clock time of the import itself. */
function content(t: TestApp, slug: string) {
  const [post] = rows(t, `SELECT slug, title, description, status, starts_at, ended_at, timezone, tags, categories, front_matter, import_key FROM posts WHERE slug = ?`, slug);
  const entries = rows(t, `SELECT e.body, e.html, e.created_at, e.key_event FROM entries e JOIN posts p ON p.id = e.post_id WHERE p.slug = ? AND e.deleted_at IS NULL ORDER BY e.created_at, e.id`, slug);
  return { post, entries };
}

describe('round trips', () => {
  it.each(GOOD)('import → export jekyll → import gives the same post (%s)', async (name) => {
    const first = await source.app.services.archives.importFile(name, readFileSync(FIXTURES + name, 'utf8'), null);
    const exported = (await source.app.inject(`/posts/${first.slug}.md`)).body;
    const second = await target.app.services.archives.importFile('exported.md', exported, null);
    expect(second.slug).toBe(first.slug);
    expect(content(target, second.slug)).toEqual(content(source, first.slug));
    // And the export of the copy is the same text: a fixed point.
    expect((await target.app.inject(`/posts/${second.slug}.md`)).body).toBe(exported);
    // Importing the export back into the original changes nothing.
    expect((await source.app.services.archives.importFile('exported.md', exported, null)).action).toBe('unchanged');
  });

  it('export json → import into an empty database gives identical rows', async () => {
    // A post with history: entries by two authors, an edit, a deletion, a post update, plus an imported post.
    const { slug } = await createPost(source, { title: 'Live Keynote', tags: ['Cloud'], timezone: 'Europe/Berlin' });
    const first = (await postEntry(source, slug, 'Doors open')).json();
    await postEntry(source, slug, 'Second **entry**', 'author2');
    const third = (await postEntry(source, slug, 'Typo hre')).json();
    await source.app.inject({ method: 'PATCH', url: `/api/entries/${third.id}`, headers: { ...source.auth('author'), 'if-match': '1' }, payload: { body: 'Typo here' } });
    await source.app.inject({ method: 'DELETE', url: `/api/entries/${first.id}`, headers: { ...source.auth('editor'), 'if-match': '1' } });
    await source.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...source.auth('editor'), 'if-match': '1' }, payload: { status: 'ended', summary: '- Doors at **nine**\n- Keynote at ten' } });
    const imported = await source.app.services.archives.importFile(GOOD[0]!, readFileSync(FIXTURES + GOOD[0]!, 'utf8'), null);

    // The target is an empty database (no users or tokens either).
    target.app.stores.db.exec('DELETE FROM api_tokens; DELETE FROM users;');
    const liveArchive = await runExportJson(source, slug);
    expect((await target.app.services.archives.importJson(`${slug}.json`, liveArchive)).slug).toBe(slug);
    // The other one goes through the HTTP upload (an admin token made directly in the empty target).
    const { token } = target.app.stores.tokens.create('Restorer', 'admin', new Date().toISOString());
    const uploaded = await target.app.inject({
      method: 'POST',
      url: `/api/import?filename=${imported.slug}.json`,
      headers: { authorization: `Bearer ${token}` },
      payload: (await runExportJson(source, imported.slug)) as Record<string, unknown>,
    });
    expect(uploaded.statusCode).toBe(201);
    expect(uploaded.json()).toMatchObject({ slug: imported.slug, action: 'created', entries: 8 });
    target.app.stores.db.exec("DELETE FROM api_tokens; DELETE FROM users WHERE name = 'Restorer';");
    for (const table of ['posts', 'entries', 'entry_revisions', 'changes']) {
      const order = table === 'changes' ? 'post_id, seq' : 'id';
      expect(rows(target, `SELECT * FROM ${table} ORDER BY ${order}`), table).toEqual(rows(source, `SELECT * FROM ${table} ORDER BY ${order}`));
    }
    const referenced = rows(target, 'SELECT id, name, role FROM users ORDER BY id');
    expect(referenced.map((user) => user.name)).toEqual(['Ada Author', 'Bob Author', 'Eve Editor']);
    // The restored post reads like the original through the API.
    expect((await target.app.inject(`/api/posts/${slug}/changes?since=0`)).json()).toEqual((await source.app.inject(`/api/posts/${slug}/changes?since=0`)).json());

    // A second import of the same archive is refused rather than duplicated.
    const again = await runExportJson(source, slug);
    await expect(target.app.services.archives.importJson('again.json', again)).rejects.toThrow(/already exists/);
  });

  it('a JSON archive never brings its own HTML: entries and change payloads are rendered again', async () => {
    const { slug } = await createPost(source, { title: 'Tampered' });
    await postEntry(source, slug, 'Harmless **text**');
    await source.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...source.auth('editor'), 'if-match': '1' }, payload: { summary: '- What we **know**' } });
    const archive = (await runExportJson(source, slug)) as { post: { summary: string; summary_html: string }; entries: { html: string }[]; changes: { payload: string }[] };
    expect(archive.post.summary).toBe('- What we **know**');
    const evil = '<img src=x onerror=alert(1)>';
    archive.entries[0]!.html = evil;
    const payload = JSON.parse(archive.changes[0]!.payload) as { entry: { html: string } };
    payload.entry.html = evil;
    archive.changes[0]!.payload = JSON.stringify(payload);
    // The summary too ("What we know"): its HTML in the post row and in the post.updated change.
    archive.post.summary_html = evil;
    const postChange = JSON.parse(archive.changes[1]!.payload) as { post: { summaryHtml: string } };
    postChange.post.summaryHtml = evil;
    archive.changes[1]!.payload = JSON.stringify(postChange);
    target.app.stores.db.exec('DELETE FROM api_tokens; DELETE FROM users;');
    await target.app.services.archives.importJson('tampered.json', archive);
    const page = (await target.app.inject(`/api/posts/${slug}`)).json();
    expect(page.entries[0].html).toBe('<p>Harmless <strong>text</strong></p>\n');
    const changes = (await target.app.inject(`/api/posts/${slug}/changes?since=0`)).json().changes;
    expect(changes[0].entry.html).toBe('<p>Harmless <strong>text</strong></p>\n');
    expect(changes[1].post.summaryHtml).toBe('<ul>\n<li>What we <strong>know</strong></li>\n</ul>\n');
    expect(page.post.summaryHtml).toBe('<ul>\n<li>What we <strong>know</strong></li>\n</ul>\n');
    expect((await target.app.inject(`/posts/${slug}`)).body).not.toContain('onerror');
  });
});

/** Posts an entry; a render timeout on a loaded machine (422, nothing written) is retried. */
async function postEntry(t: TestApp, slug: string, body: string, who: 'author' | 'author2' = 'author') {
  for (let attempt = 1; ; attempt += 1) {
    const response = await postEntryOnce(t, slug, body, who);
    if (response.statusCode === 201 || attempt === 5 || response.statusCode !== 422) {
      expect(response.statusCode).toBe(201);
      return response;
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

async function runExportJson(t: TestApp, slug: string): Promise<unknown> {
  return JSON.parse(JSON.stringify(t.app.services.archives.exportJson(slug)));
}
