import { afterEach, beforeEach, expect, it } from 'vitest';
import { createPost, createTestApp, type TestApp } from './helpers.js';

/**
 * Issue 17's fields survive a JSON export → import into an empty database: headline, co-authors
 * (and their byline profiles), location, tags, claim label and correction, in the rows, through
 * the API and in the page's JSON-LD.
 */
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
const rows = (t: TestApp, sql: string) => t.app.stores.db.prepare(sql).all() as Row[];

it('export json → import keeps headline, co-authors, location, tags, claim and correction', async () => {
  const people = (await source.app.inject({ method: 'GET', url: '/api/people', headers: source.auth('editor') })).json().people as { id: number; name: string }[];
  const id = (name: string) => people.find((person) => person.name === name)!.id;
  source.app.stores.profiles.save({ id: id('Bob Author'), displayName: 'Bob Builder', jobTitle: 'Photographer', avatar: null }, new Date().toISOString());
  const { slug } = await createPost(source, { title: 'Launch' });
  const created = await source.app.inject({
    method: 'POST',
    url: `/api/posts/${slug}/entries`,
    headers: source.auth('editor'),
    payload: { body: 'It ships in May.', headline: 'Ships in May', authors: [id('Eve Editor'), id('Bob Author')], location: 'Cupertino', tags: ['launch'], claim: 'unconfirmed' },
  });
  expect(created.statusCode, created.body).toBe(201);
  const corrected = await source.app.inject({
    method: 'PATCH',
    url: `/api/entries/${created.json().id}`,
    headers: { ...source.auth('editor'), 'if-match': '1' },
    payload: { body: 'It ships in June.', claim: 'confirmed', correction: { note: 'It ships in June, not May.' } },
  });
  expect(corrected.statusCode, corrected.body).toBe(200);

  const archive = JSON.parse(JSON.stringify(source.app.services.archives.exportJson(slug))) as { users: Row[]; profiles: Row[] };
  expect(archive.profiles).toEqual([expect.objectContaining({ display_name: 'Bob Builder', job_title: 'Photographer' })]);
  target.app.stores.db.exec('DELETE FROM api_tokens; DELETE FROM users;');
  await target.app.services.archives.importJson(`${slug}.json`, archive);

  expect(rows(target, 'SELECT * FROM entries')).toEqual(rows(source, 'SELECT * FROM entries'));
  expect(rows(target, 'SELECT * FROM user_profiles')).toEqual(rows(source, 'SELECT * FROM user_profiles'));
  const restored = (await target.app.inject(`/api/posts/${slug}/entries`)).json().entries[0];
  expect(restored).toEqual((await source.app.inject(`/api/posts/${slug}/entries`)).json().entries[0]);
  expect(restored).toMatchObject({
    headline: 'Ships in May',
    location: 'Cupertino',
    tags: ['launch'],
    claim: 'confirmed',
    correction: { note: 'It ships in June, not May.' },
    authors: [{ name: 'Eve Editor' }, { name: 'Bob Builder', jobTitle: 'Photographer' }],
  });
  const page = (await target.app.inject(`/posts/${slug}`)).body;
  const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!) as { liveBlogUpdate: Row[] };
  expect(jsonLd.liveBlogUpdate[0]).toMatchObject({
    headline: 'Ships in May',
    author: [{ '@type': 'Person', name: 'Eve Editor' }, { '@type': 'Person', name: 'Bob Builder', jobTitle: 'Photographer' }],
    correction: { '@type': 'CorrectionComment', text: 'It ships in June, not May.' },
  });
});

it('refuses an archive whose co-author is not among its users', async () => {
  const { slug } = await createPost(source, { title: 'Launch' });
  await source.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: source.auth('editor'), payload: { body: 'x' } });
  const archive = JSON.parse(JSON.stringify(source.app.services.archives.exportJson(slug))) as { entries: Row[] };
  archive.entries[0]!.co_authors = '[424242]';
  target.app.stores.db.exec('DELETE FROM api_tokens; DELETE FROM users;');
  await expect(target.app.services.archives.importJson('bad.json', archive)).rejects.toThrow(/co-author/);
});
