import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry, EntryRevisions, Revision } from '../../contract/index.js';
import { metaChanges, restorePatch } from '../../client/newsroom/revision-meta.js';
import { createPost, createTestApp, type TestApp } from './helpers.js';

/**
 * Revisions keep an entry's headline, authors, location, tags, claim and correction (migration
 * 0018): an edit of only the headline is a revision, the history says what changed, and the
 * history's "Restore this version" (client/newsroom/revision-meta.ts, run here as the desk runs
 * it) brings the old headline back as a new revision.
 */

let t: TestApp;
let colleague: number;
beforeAll(async () => {
  t = await createTestApp();
  colleague = t.app.stores.tokens.create('Grace Photographer', 'author', new Date().toISOString()).userId;
});
afterAll(async () => {
  await t.close();
});

const editor = { id: 0, role: 'editor' as const };
const author = { id: 0, role: 'author' as const };

async function history(id: number): Promise<EntryRevisions> {
  const response = await t.app.inject({ url: `/api/entries/${id}/revisions`, headers: t.auth('editor') });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
async function patch(entry: Pick<Entry, 'id' | 'version'>, payload: Record<string, unknown>, who: 'author' | 'editor' = 'editor') {
  const response = await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth(who), 'if-match': String(entry.version) }, payload });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Entry>();
}

describe('revisions track the entry fields', () => {
  it('a headline-only edit is a revision; the history says "Headline: old → new"; restore brings the old one back', async () => {
    const { slug } = await createPost(t, { title: `Revisions ${Math.random()}` });
    const created = (await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('author'), payload: { body: 'The phone ships in March.', headline: 'Phone in March', tags: ['keynote'] } })).json<Entry>();
    const edited = await patch(created, { headline: 'Phone in April' });
    expect(edited).toMatchObject({ version: 2, headline: 'Phone in April', body: 'The phone ships in March.', edited: false });

    const { entry, revisions } = await history(created.id);
    expect(revisions.map((revision) => [revision.version, revision.action, revision.headline])).toEqual([
      [1, 'created', 'Phone in March'],
      [2, 'updated', 'Phone in April'],
    ]);
    expect(revisions[0]).toMatchObject({ tags: ['keynote'], location: null, claim: null, correction: null, authors: [{ name: 'Ada Author' }] });
    expect(metaChanges(revisions[1]!, revisions[0])).toEqual(['Headline: “Phone in March” → “Phone in April”']);

    // "Restore this version" on version 1, as the history view sends it.
    const restore = restorePatch(revisions[0]!, entry, editor);
    expect(restore).toEqual({ body: 'The phone ships in March.', headline: 'Phone in March' });
    const restored = await patch(entry, restore);
    expect(restored).toMatchObject({ version: 3, headline: 'Phone in March' });
    const after = await history(created.id);
    expect(after.revisions.map((revision) => revision.headline)).toEqual(['Phone in March', 'Phone in April', 'Phone in March']);
    expect(metaChanges(after.revisions[2]!, after.revisions[1])).toEqual(['Headline: “Phone in April” → “Phone in March”']);
  });

  it('says what else changed (authors, location, tags, label, correction), and restores them all', async () => {
    const { slug } = await createPost(t, { title: `Revisions ${Math.random()}` });
    const created = (await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('editor'), payload: { body: 'Doors open.' } })).json<Entry>();
    const me = created.author!.id;
    const edited = await patch(created, { authors: [me, colleague], location: 'Cupertino', tags: ['doors', 'live'], claim: 'confirmed', correction: { note: 'It was nine.' } });
    const { entry, revisions } = await history(created.id);
    expect(metaChanges(revisions[1]!, revisions[0])).toEqual([
      'Authors: Eve Editor → Eve Editor, Grace Photographer',
      'Location: none → “Cupertino”',
      'Tags: none → #doors #live',
      'Label: no label → Confirmed',
      'Correction: “It was nine.”',
    ]);
    expect(entry.version).toBe(edited.version);
    const restore = restorePatch(revisions[0]!, entry, editor);
    expect(restore).toEqual({ body: 'Doors open.', location: null, tags: [], claim: null, authors: [me] });
    const restored = await patch(entry, restore);
    expect(restored).toMatchObject({ location: null, tags: [], claim: null, authors: [{ id: me }] });
    // The public correction stays: readers were told.
    expect(restored.correction?.note).toBe('It was nine.');
  });

  it('an author\u2019s restore leaves what only an editor may change (a confirmed label, the byline) as it is', async () => {
    const { slug } = await createPost(t, { title: `Revisions ${Math.random()}` });
    const created = (await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: t.auth('author'), payload: { body: 'Rumour.', claim: 'unconfirmed', headline: 'Rumour' } })).json<Entry>();
    const confirmed = await patch(created, { claim: 'confirmed', headline: 'Fact' });
    const { entry, revisions } = await history(confirmed.id);
    const restore = restorePatch(revisions[0]!, entry, author);
    expect(restore).toEqual({ body: 'Rumour.', headline: 'Rumour' });
    expect((await patch(entry, restore, 'author')).claim).toBe('confirmed');
  });

  it('revisions saved before migration 0018 carry no fields, and the history says nothing of them', () => {
    const before: Revision = { version: 1, action: 'created' as const, body: 'x', html: null, keyEvent: false, shownAt: null, actor: null, createdAt: '2026-01-01T00:00:00.000Z' };
    const after: Revision = { ...before, version: 2, headline: 'New', tags: [], authors: [], location: null, claim: null, correction: null };
    expect(metaChanges(after, before)).toEqual([]);
  });
});
