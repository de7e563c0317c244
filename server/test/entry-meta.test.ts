import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../contract/index.js';
import { createPost, createTestApp, type TestApp } from './helpers.js';
import { loginAs, type Login } from './session-helpers.js';

/**
 * Issue 17's entry fields through the API: headline, co-authors, location, tags, claim label and
 * public correction, who may set which (anonymous, author, editor, admin), and what readers get.
 */
type Who = 'anonymous' | 'author' | 'editor' | 'admin';
let t: TestApp;
const people: Record<Exclude<Who, 'anonymous'>, Login> = {} as never;
let colleague: Login;

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['author', 'editor', 'admin'] as const) people[role] = await loginAs(t, role);
  colleague = await loginAs(t, 'author');
});
afterAll(async () => {
  await t.close();
});

function headers(who: Who, extra: Record<string, string> = {}) {
  return who === 'anonymous' ? extra : { ...people[who].headers, ...extra };
}

async function write(who: Who, slug: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/api/posts/${slug}/entries`, headers: headers(who), payload });
}
async function patch(who: Who, entry: Pick<Entry, 'id' | 'version'>, payload: Record<string, unknown>) {
  return t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: headers(who, { 'if-match': String(entry.version) }), payload });
}
/** An entry by the author (so "own entry" is the author's). */
async function authorsEntry(payload: Record<string, unknown> = {}): Promise<Entry> {
  const { slug } = await createPost(t, { title: `Post ${Math.random()}` });
  const response = await write('author', slug, { body: 'From the hall', ...payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('entry fields', () => {
  it('stores headline, co-authors, location and tags, and readers get them with the bylines', async () => {
    await t.app.inject({ method: 'PATCH', url: '/api/profile', headers: colleague.headers, payload: { displayName: 'Grace Hopper', jobTitle: 'Senior reporter' } });
    const { slug } = await createPost(t, { title: 'Keynote' });
    const created = await write('author', slug, {
      body: 'The new phone is **thinner**.',
      headline: '  A thinner phone  ',
      authors: [people.author.userId, colleague.userId],
      location: 'San Francisco',
      tags: ['#Keynote', 'keynote', 'Hardware News'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const entry = created.json() as Entry;
    expect(entry).toMatchObject({
      headline: 'A thinner phone',
      location: 'San Francisco',
      tags: ['keynote', 'hardware-news'],
      claim: null,
      correction: null,
      author: { id: people.author.userId, name: 'author person' },
      authors: [
        { id: people.author.userId, name: 'author person', jobTitle: null, avatar: null },
        { id: colleague.userId, name: 'Grace Hopper', jobTitle: 'Senior reporter', avatar: null },
      ],
    });
    // What readers fetch says the same, and never an email.
    const page = await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/entries` });
    expect(page.json().entries[0]).toMatchObject({ headline: 'A thinner phone', tags: ['keynote', 'hardware-news'] });
    expect(page.body).not.toContain('@example.org');
    const changes = await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/changes?since=0` });
    expect(changes.json().changes[0].entry.authors).toHaveLength(2);
  });

  it('refuses bad fields with a problem naming them', async () => {
    const { slug } = await createPost(t, { title: `Post ${Math.random()}` });
    const tooMany = await write('editor', slug, { body: 'x', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.headers['content-type']).toContain('application/problem+json');
    const blank = await write('editor', slug, { body: 'x', tags: ['###'] });
    expect(blank.statusCode).toBe(400);
    const stranger = await write('editor', slug, { body: 'x', authors: [people.editor.userId, 999_999] });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().errors[0].field).toBe('body.authors');
    const correctionOnCreate = await write('editor', slug, { body: 'x', correction: { note: 'no' } });
    expect(correctionOnCreate.statusCode).toBe(400);
  });

  it('an editor corrects an entry: readers get the note and its time; an ordinary edit is no correction', async () => {
    const entry = await authorsEntry();
    const edited = await patch('author', entry, { body: 'From the hall, edited' });
    expect(edited.json()).toMatchObject({ edited: true, correction: null });
    const corrected = await patch('editor', edited.json(), { body: 'From the main hall', correction: { note: 'The keynote was in the main hall.' } });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const body = corrected.json() as Entry;
    expect(body.correction?.note).toBe('The keynote was in the main hall.');
    expect(body.correction?.at).toBe(body.updatedAt);
    // A later ordinary edit keeps the correction readers were told about.
    const later = await patch('editor', body, { headline: 'Main hall' });
    expect(later.json().correction).toEqual(body.correction);
  });
});

describe('roles for each new action', () => {
  type Case = { name: string; expected: Record<Who, number>; run: (who: Who) => Promise<{ statusCode: number; body: string }> };
  const cases: Case[] = [
    {
      name: 'PATCH headline/location/tags of own entry (others: editors)',
      expected: { anonymous: 401, author: 200, editor: 200, admin: 200 },
      run: async (who) => patch(who, await authorsEntry(), { headline: 'H', location: 'Berlin', tags: ['a'] }),
    },
    {
      name: 'PATCH correction',
      expected: { anonymous: 401, author: 403, editor: 200, admin: 200 },
      run: async (who) => patch(who, await authorsEntry(), { body: 'Fixed', correction: { note: 'Fixed the name.' } }),
    },
    {
      name: 'PATCH claim unconfirmed',
      expected: { anonymous: 401, author: 200, editor: 200, admin: 200 },
      run: async (who) => patch(who, await authorsEntry(), { claim: 'unconfirmed' }),
    },
    {
      name: 'PATCH claim confirmed',
      expected: { anonymous: 401, author: 403, editor: 200, admin: 200 },
      run: async (who) => patch(who, await authorsEntry({ claim: 'unconfirmed' }), { claim: 'confirmed' }),
    },
    {
      name: 'POST entry with claim denied',
      expected: { anonymous: 401, author: 403, editor: 201, admin: 201 },
      run: async (who) => write(who, (await createPost(t, { title: `P ${Math.random()}` })).slug, { body: 'x', claim: 'denied' }),
    },
    {
      name: 'POST entry crediting a colleague after oneself',
      expected: { anonymous: 401, author: 201, editor: 201, admin: 201 },
      run: async (who) =>
        write(who, (await createPost(t, { title: `P ${Math.random()}` })).slug, { body: 'x', authors: [who === 'anonymous' ? 1 : people[who].userId, colleague.userId] }),
    },
    {
      name: 'POST entry with someone else as byline',
      expected: { anonymous: 401, author: 403, editor: 201, admin: 201 },
      run: async (who) => write(who, (await createPost(t, { title: `P ${Math.random()}` })).slug, { body: 'x', authors: [colleague.userId] }),
    },
    {
      name: 'GET /api/people',
      expected: { anonymous: 401, author: 200, editor: 200, admin: 200 },
      run: (who) => t.app.inject({ method: 'GET', url: '/api/people', headers: headers(who) }),
    },
    {
      name: 'PATCH /api/profile',
      expected: { anonymous: 401, author: 200, editor: 200, admin: 200 },
      run: (who) => t.app.inject({ method: 'PATCH', url: '/api/profile', headers: headers(who), payload: { jobTitle: 'Reporter' } }),
    },
  ];
  for (const testCase of cases) {
    for (const who of ['anonymous', 'author', 'editor', 'admin'] as const) {
      it(`${testCase.name}: ${who} → ${testCase.expected[who]}`, async () => {
        const response = await testCase.run(who);
        expect(response.statusCode, response.body).toBe(testCase.expected[who]);
      });
    }
  }

  it('an author cannot take back a label an editor confirmed', async () => {
    const entry = await authorsEntry({ claim: 'unconfirmed' });
    const confirmed = (await patch('editor', entry, { claim: 'confirmed' })).json() as Entry;
    expect((await patch('author', confirmed, { claim: 'unconfirmed' })).statusCode).toBe(403);
    expect((await patch('author', confirmed, { claim: null })).statusCode).toBe(403);
    expect((await patch('author', confirmed, { headline: 'Still mine' })).statusCode).toBe(200);
  });

  it('the people list names the newsroom without emails', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/people', headers: headers('author') });
    const names = (response.json().people as { name: string }[]).map((person) => person.name);
    expect(names).toContain('Grace Hopper');
    expect(response.body).not.toContain('@');
  });
});

describe('what readers see', () => {
  it('the page shows headline, bylines, location, claim, correction and tags; ?tag= filters without JavaScript; the feed follows', async () => {
    const { slug } = await createPost(t, { title: `Reader ${Math.random()}`, timezone: 'UTC' });
    const tagged = (await write('editor', slug, {
      body: 'Doors open.',
      headline: 'Doors <open>',
      authors: [people.editor.userId, colleague.userId],
      location: 'San Francisco',
      tags: ['keynote'],
      claim: 'unconfirmed',
    })).json() as Entry;
    await write('editor', slug, { body: 'Coffee break.', tags: ['break'] });
    const corrected = (await patch('editor', tagged, { claim: 'confirmed', correction: { note: 'The doors opened at nine.' } })).json() as Entry;
    const time = corrected.correction!.at.slice(11, 16);

    const page = (await t.app.inject(`/posts/${slug}`)).body;
    expect(page).toContain('<h3 class="entry-headline">Doors &lt;open&gt;</h3>');
    expect(page).toMatch(/<span class="author">editor person<\/span>.*and.*<span class="author">Grace Hopper<\/span><span class="job-title">Senior reporter<\/span>/s);
    expect(page).toContain('<span class="location">in San Francisco</span>');
    expect(page).toContain('<span class="claim claim-confirmed" data-claim="confirmed">Confirmed</span>');
    expect(page).toMatch(new RegExp(`Corrected <time datetime="${corrected.correction!.at}"[^>]*>${time}</time>:</span> <span class="correction-note">The doors opened at nine.</span>`));
    expect(page).toContain('<a href="?tag=keynote" rel="tag" data-tag="keynote">#keynote</a>');
    expect(page).not.toContain('@example.org');

    const filtered = (await t.app.inject(`/posts/${slug}?tag=%23KeyNote`)).body;
    expect(filtered).toContain('Doors open.');
    expect(filtered).not.toContain('Coffee break.');
    expect(filtered).toContain('data-filter-tag="keynote"');
    expect(filtered).toContain('Tagged #keynote');
    // A tag no entry has: the empty view, not an error.
    expect((await t.app.inject(`/posts/${slug}?tag=nothing`)).body).toContain('No entries with this tag yet.');

    const feed = (await t.app.inject(`/posts/${slug}/feed.atom`)).body;
    expect(feed).toContain('<title>Doors &lt;open&gt;</title>');
    expect(feed).toContain('<author><name>Grace Hopper</name></author>');
    expect(feed).toContain(`<updated>${corrected.updatedAt}</updated>`);
    expect(feed).toContain(`Corrected ${time}:&lt;/strong&gt; The doors opened at nine.`);
  });
});
