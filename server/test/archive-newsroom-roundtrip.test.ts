/**
 * Issue 18's bug: a post written in the newsroom (18 entries, 3 key moments, a pin, entries of
 * several blocks, a summary, a language) exported as Jekyll and imported into a fresh database
 * came back as 23 entries and no key moments. Every field a reader or editor sees must survive.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, type TestApp } from './helpers.js';

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

const MULTI = [
  'The minister arrives.\n\nShe takes questions from the floor:\n\n- on the budget\n- on the strike',
  '> "We will not back down."\n\nThat was the union\'s answer, read out in full.',
  'The config they showed:\n\n```yaml\nreplicas: 3\n**10:00**\n{: .entry}\n```\n\nNote the marker-looking line inside the code.',
  '## Second session\n\n1. Opening\n2. Votes\n\nAll of it *live*.',
];

/** What a reader and an editor see of a post: every field but ids and the wall-clock time of the import. */
async function snapshot(t: TestApp, slug: string) {
  const { post, entries } = (await t.app.inject(`/api/posts/${slug}?limit=200`)).json() as { post: Record<string, unknown>; entries: Record<string, unknown>[] };
  const { id: _id, version: _version, lastSeq: _lastSeq, createdAt: _createdAt, updatedAt: _updatedAt, ...postFields } = post;
  return {
    post: postFields,
    entries: entries.map(({ id: _i, postId: _p, version: _v, updatedAt: _u, edited: _e, author, ...rest }): Record<string, unknown> => ({ ...rest, author: (author as { name: string } | null)?.name ?? null })),
  };
}

async function newsroomPost(t: TestApp, { withStart = true } = {}): Promise<string> {
  const { slug } = await createPost(t, {
    title: 'Budget night',
    description: 'The vote, live.',
    summary: '- The vote is at **22:00**\n- The union says no',
    status: 'live',
    ...(withStart ? { startsAt: '2026-03-14T08:00:00.000Z' } : {}),
    timezone: 'Europe/Berlin',
    language: 'de',
    tags: ['Budget', 'Parliament'],
    categories: ['Politics'],
  });
  const ids: number[] = [];
  const base = Date.parse('2026-03-14T08:05:00.000Z');
  for (let i = 0; i < 18; i += 1) {
    const body = i < MULTI.length ? MULTI[i]! : `Update number ${i + 1}: nothing new on the floor.`;
    // Milliseconds (what the composer sends), and the last two entries on the next days.
    const createdAt = new Date(base + i * 7 * 60_000 + i * 137 + (i >= 16 ? (i - 15) * 26 * 3600_000 : 0)).toISOString();
    // Three bylines; authors post at the time they type (now), editors set the shown time.
    const who = i % 3 === 0 ? 'author' : i % 3 === 1 ? 'author2' : 'editor';
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/posts/${slug}/entries`,
      headers: t.auth(who),
      payload: { body, ...(who === 'editor' ? { createdAt } : {}), keyEvent: [1, 5, 12].includes(i) },
    });
    expect(response.statusCode, response.body).toBe(201);
    ids.push(response.json().id as number);
  }
  const pin = await t.app.inject({ method: 'PUT', url: `/api/entries/${ids[7]}/pin`, headers: t.auth('editor') });
  expect(pin.statusCode, pin.body).toBe(200);
  return slug;
}

describe('the newsroom post of issue 18', () => {
  it('round-trips through a Jekyll export exactly: entries whole, times, key moments, pin, summary, language', async () => {
    const slug = await newsroomPost(source);
    const before = await snapshot(source, slug);
    expect(before.entries).toHaveLength(18);
    expect(before.entries.filter((entry) => entry.keyEvent)).toHaveLength(3);

    const exported = (await source.app.inject(`/posts/${slug}.md`)).body;
    const imported = await target.app.services.archives.importFile(`${slug}.md`, exported, null);
    expect(imported).toMatchObject({ slug, action: 'created', entries: 18 });
    const after = await snapshot(target, slug);
    expect(after.entries.filter((entry) => entry.keyEvent)).toHaveLength(3);
    expect(after.entries.filter((entry) => entry.pinned)).toHaveLength(1);
    expect(after).toEqual(before);
    // A fixed point: the copy exports to the same text, and importing it again changes nothing.
    expect((await target.app.inject(`/posts/${slug}.md`)).body).toBe(exported);
    expect((await target.app.services.archives.importFile(`${slug}.md`, exported, null)).action).toBe('unchanged');
  });

  it('an ended post keeps the time it ended, and a post without a start time keeps none', async () => {
    const slug = await newsroomPost(source, { withStart: false });
    const ended = await source.app.inject({ method: 'PATCH', url: `/api/posts/${slug}`, headers: { ...source.auth('editor'), 'if-match': '1' }, payload: { status: 'ended' } });
    expect(ended.statusCode, ended.body).toBe(200);
    const exported = (await source.app.inject(`/posts/${slug}.md`)).body;
    await target.app.services.archives.importFile(`${slug}.md`, exported, null);
    const copy = await snapshot(target, slug);
    expect(copy.post).toMatchObject({ status: 'ended', startsAt: null, endedAt: expect.any(String) });
    expect(copy).toEqual(await snapshot(source, slug));
    expect((await target.app.inject(`/posts/${slug}.md`)).body).toBe(exported);
  });
});
