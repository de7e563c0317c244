import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveFormatError } from '../archive/errors.js';
import { createPost, createTestApp, postEntry, type TestApp } from './helpers.js';
import type { Change } from '../../contract/index.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
const read = (name: string) => readFileSync(FIXTURES + name, 'utf8');
const KEYNOTE = '2011-03-14-storage-summit-opening-keynote.md';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** Imports every fixture the way `liveline import DIR` does: bad files are reported, the rest go in. */
async function importAll(): Promise<{ ok: string[]; failed: string[] }> {
  const ok: string[] = [];
  const failed: string[] = [];
  for (const name of readdirSync(FIXTURES).sort()) {
    try {
      ok.push((await t.app.services.archives.importFile(name, read(name), null)).slug);
    } catch (error) {
      if (!(error instanceof ArchiveFormatError)) throw error;
      failed.push(error.location);
    }
  }
  return { ok, failed };
}

async function page(slug: string) {
  const response = await t.app.inject(`/api/posts/${slug}`);
  expect(response.statusCode).toBe(200);
  return response.json() as { post: Record<string, unknown>; entries: { id: number; body: string; html: string; createdAt: string }[]; lastSeq: number };
}

async function changes(slug: string): Promise<Change[]> {
  return (await t.app.inject(`/api/posts/${slug}/changes?since=0`)).json().changes;
}

describe('import', () => {
  it('imports the good files of a batch and reports the bad ones by file and line', async () => {
    const { ok, failed } = await importAll();
    expect(ok).toEqual(['storage-summit-opening-keynote', 'quiet-launch', 'vcloud-keynote-cloud-fur-alle']);
    expect(failed).toEqual(['broken-yaml.md:5', 'missing-title.md:1', 'no-front-matter.md:1']);

    const keynote = await page('storage-summit-opening-keynote');
    expect(keynote.post).toMatchObject({ title: 'Storage Summit Opening Keynote', status: 'ended', startsAt: '2011-03-14T09:02:44.000Z', categories: ['Liveblog'], tags: ['Storage', 'Keynote'] });
    expect(keynote.entries).toHaveLength(8);
    expect(keynote.entries[1]).toMatchObject({ createdAt: '2011-03-14T09:40:00.000Z', html: '<p>The demo shows a <strong>live</strong> migration between two arrays.</p>\n' });
    expect(keynote.entries[2]!.html).toContain('<a href="https://example.com/press" rel="noopener noreferrer nofollow" target="_blank">the press release</a>');
    expect(keynote.entries[3]!.html).toContain('<li>10 TB starter kit</li>');
    expect(keynote.entries[4]!.html).toContain('<blockquote>');
    expect(keynote.entries[6]!.html).toContain('<code class="language-yaml">');

    const vcloud = await page('vcloud-keynote-cloud-fur-alle');
    expect(vcloud.post.title).toBe('vCloud Keynote: Cloud für alle ☁️');
    expect(vcloud.entries[0]!.body).toContain('日本語のスライドも。');

    // Like any other write: one change per entry, seq contiguous from 1.
    const log = await changes('storage-summit-opening-keynote');
    expect(log.map((change) => change.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(log.every((change) => change.type === 'entry.created')).toBe(true);
    expect(keynote.lastSeq).toBe(8);
  });

  it('re-importing the same file changes nothing; an edited file updates the post in place', async () => {
    const first = await t.app.services.archives.importFile(KEYNOTE, read(KEYNOTE), null);
    expect(first).toMatchObject({ action: 'created', entries: 8 });
    const again = await t.app.services.archives.importFile(KEYNOTE, read(KEYNOTE), null);
    expect(again.action).toBe('unchanged');
    expect((await page(first.slug)).lastSeq).toBe(8);

    // Same wordpress_id, new title, one entry edited, the last one removed.
    const edited = read(KEYNOTE)
      .replace('title: Storage Summit Opening Keynote', 'title: Storage Summit Keynote (updated)')
      .replace('between two arrays', 'between two racks')
      .replace("That's a wrap. Thanks for following along!", '');
    const update = await t.app.services.archives.importFile('renamed.md', edited, null);
    expect(update).toMatchObject({ slug: first.slug, action: 'updated', entries: 7 });
    const after = await page(first.slug);
    expect(after.post.title).toBe('Storage Summit Keynote (updated)');
    expect(after.entries).toHaveLength(7);
    expect(after.entries[1]!.body).toBe('The demo shows a **live** migration between two racks.');
    const log = await changes(first.slug);
    expect(log.slice(8).map((change) => [change.seq, change.type])).toEqual([
      [9, 'post.updated'],
      [10, 'entry.updated'],
      [11, 'entry.deleted'],
    ]);
    const postCount = t.app.stores.db.prepare('SELECT count(*) AS n FROM posts').get() as { n: number };
    expect(postCount.n).toBe(1);
  });

  it('keys by slug without a wordpress_id, and refuses a file whose slug another post owns', async () => {
    // Imported twice: the second import updates the post the first one created.
    expect(await t.app.services.archives.importFile('2012-06-01-no-markers.md', read('2012-06-01-no-markers.md'), null)).toMatchObject({ slug: 'quiet-launch', action: 'created' });
    expect(await t.app.services.archives.importFile('2012-06-01-no-markers.md', read('2012-06-01-no-markers.md'), null)).toMatchObject({ slug: 'quiet-launch', action: 'unchanged' });
    await createPost(t, { title: 'Taken' });
    const clash = '---\ntitle: Other\nslug: taken\nwordpress_id: 7\ndate: 2011-01-01\n---\n\nx\n';
    await expect(t.app.services.archives.importFile('clash.md', clash, null)).rejects.toThrow(/slug "taken" is taken/);
  });

  it('never rewrites a newsroom post whose title or slug a Markdown file shares (M6)', async () => {
    await createPost(t, { title: 'Quiet Launch', status: 'live' });
    const live = (await postEntry(t, 'quiet-launch', 'Written live')).json() as { id: number };
    const before = await page('quiet-launch');
    // An editor uploads a file whose title gives the same slug: 409, and the live post is untouched.
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/import?filename=2012-06-01-no-markers.md',
      headers: { ...t.auth('editor'), 'content-type': 'text/markdown' },
      payload: read('2012-06-01-no-markers.md'),
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ type: '/problems/slug-taken', slug: 'quiet-launch' });
    const after = await page('quiet-launch');
    expect(after).toEqual(before);
    expect(t.app.stores.entries.byId(live.id)!.body).toBe('Written live');
    expect(t.app.stores.posts.bySlug('quiet-launch')!.status).toBe('live');
  });
});

describe('POST /api/import and GET /posts/:slug.md', () => {
  it('imports an uploaded file for editors, with a 422 naming the line of a bad one', async () => {
    const upload = (payload: string, who: 'editor' | 'author' = 'editor', filename = 'keynote.md') =>
      t.app.inject({ method: 'POST', url: `/api/import?filename=${filename}`, headers: { ...t.auth(who), 'content-type': 'text/markdown' }, payload });
    expect((await upload(read(KEYNOTE), 'author')).statusCode).toBe(403);
    const created = await upload(read(KEYNOTE));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ slug: 'storage-summit-opening-keynote', action: 'created', entries: 8 });
    expect((await upload(read(KEYNOTE))).json().action).toBe('unchanged');

    // JSON archives restore rows as they are: editors may not, admins may.
    const json = await t.app.inject({ method: 'POST', url: '/api/import?filename=a.json', headers: t.auth('editor'), payload: { format: 'liveline-archive' } });
    expect(json.statusCode).toBe(403);
    const invalid = await t.app.inject({ method: 'POST', url: '/api/import?filename=a.json', headers: t.auth('admin'), payload: { format: 'liveline-archive' } });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().detail).toMatch(/not a Liveline JSON archive/);

    const bad = await upload(read('missing-title.md'), 'editor', 'missing-title.md');
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.json()).toMatchObject({ file: 'missing-title.md', line: 1, detail: expect.stringMatching(/^missing-title\.md:1: title is required/) });
  });

  it('serves the Jekyll export at /posts/:slug.md while /posts/:slug stays the reader page', async () => {
    await t.app.services.archives.importFile(KEYNOTE, read(KEYNOTE), null);
    const markdown = await t.app.inject('/posts/storage-summit-opening-keynote.md');
    expect(markdown.statusCode).toBe(200);
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(markdown.body).toMatch(/^---\nauthor: jdoe\ncomments: true\ndate: 2011-03-14 09:02:44\+00:00\nlayout: post\n/);
    expect(markdown.body).toContain('wordpress_id: 2210');
    expect(markdown.body).toContain('**09:40**\n{: .entry}\n\nThe demo shows a **live** migration between two arrays.');

    const reader = await t.app.inject('/posts/storage-summit-opening-keynote');
    expect(reader.headers['content-type']).toMatch(/text\/html/);
    expect(reader.body).toContain('data-entry-id=');
    expect((await t.app.inject('/posts/nope.md')).statusCode).toBe(404);
  });
});
