import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPost, createTestApp, type TestApp } from './helpers.js';

/**
 * An entry typed offline keeps the time it was typed (issue 14): the composer's outbox sends that
 * time as `createdAt` when the entry goes out late, and the server takes it from the entry's own
 * author only as a typed time, within the last 24 hours and never in the future (2 minutes of
 * clock difference allowed). Editors keep their right to set any shown time.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function send(slug: string, payload: Record<string, unknown>, who: 'author' | 'editor' = 'author', key?: string) {
  return t.app.inject({
    method: 'POST',
    url: `/api/posts/${slug}/entries`,
    headers: { ...t.auth(who), ...(key ? { 'idempotency-key': key } : {}) },
    payload,
  });
}

async function timeline(slug: string): Promise<{ body: string; createdAt: string }[]> {
  return (await t.app.inject(`/api/posts/${slug}`)).json().entries;
}

describe("an author's typed time", () => {
  it('is the time readers see, and places the entry where it was typed', async () => {
    const { slug } = await createPost(t);
    expect((await send(slug, { body: 'Published on time' })).statusCode).toBe(201);
    const typedAt = ago(10 * MINUTE);
    const late = await send(slug, { body: 'Typed on dead Wi-Fi', createdAt: typedAt }, 'author', 'typed-1');
    expect(late.statusCode).toBe(201);
    expect(late.json()).toMatchObject({ createdAt: typedAt, author: { name: 'Ada Author' } });
    // Saved now, shown as typed ten minutes ago: before the entry that went out in between.
    expect(Date.parse(late.json().updatedAt) - Date.parse(typedAt)).toBeGreaterThanOrEqual(10 * MINUTE);
    expect((await timeline(slug)).map((entry) => entry.body)).toEqual(['Typed on dead Wi-Fi', 'Published on time']);
  });

  it('may be up to 24 hours old and up to 2 minutes ahead of the server', async () => {
    const { slug } = await createPost(t);
    for (const createdAt of [ago(24 * 60 * MINUTE - MINUTE), ago(-1 * MINUTE)]) {
      const response = await send(slug, { body: `Typed at ${createdAt}`, createdAt });
      expect(response.statusCode).toBe(201);
      expect(response.json().createdAt).toBe(createdAt);
    }
  });

  it('is refused with 422 problem+json outside those bounds, and nothing is published', async () => {
    const { slug } = await createPost(t);
    for (const createdAt of [ago(24 * 60 * MINUTE + MINUTE), ago(-3 * MINUTE), '2020-01-01T00:00:00.000Z']) {
      const response = await send(slug, { body: 'Back-dated or from the future', createdAt });
      expect(response.statusCode).toBe(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = response.json();
      expect(problem).toMatchObject({ type: '/problems/typed-time-out-of-range', status: 422, errors: [{ field: 'body.createdAt' }] });
      expect(Date.parse(problem.latest) - Date.parse(problem.earliest)).toBe(24 * 60 * MINUTE + 2 * MINUTE);
    }
    expect(t.app.stores.posts.bySlug(slug)!.lastSeq).toBe(0);
  });

  it('leaves editors their right to set any shown time', async () => {
    const { slug } = await createPost(t);
    for (const createdAt of ['2020-01-01T00:00:00.000Z', ago(-60 * MINUTE)]) {
      expect((await send(slug, { body: 'Corrected by the desk', createdAt }, 'editor')).json()).toMatchObject({ createdAt });
    }
  });

  it('still never publishes twice: a retry with the same key replays, even once the typed time is too old', async () => {
    const { slug } = await createPost(t);
    const typedAt = ago(24 * 60 * MINUTE - 30 * MINUTE);
    const first = await send(slug, { body: 'Sent, answer lost', createdAt: typedAt }, 'author', 'lost-answer');
    expect(first.statusCode).toBe(201);
    // The answer never arrived; the outbox retries an hour later, when the typed time is past 24 h.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60 * MINUTE });
    const retry = await send(slug, { body: 'Sent, answer lost', createdAt: typedAt }, 'author', 'lost-answer');
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
    expect((await timeline(slug)).map((entry) => entry.createdAt)).toEqual([typedAt]);
  });

  it('refused, it can go out under the same key without it, once (what the outbox does when the clocks disagree)', async () => {
    const { slug } = await createPost(t);
    expect((await send(slug, { body: 'Laptop clock fast', createdAt: ago(-10 * MINUTE) }, 'author', 'fast-clock')).statusCode).toBe(422);
    const again = await send(slug, { body: 'Laptop clock fast' }, 'author', 'fast-clock');
    expect(again.statusCode).toBe(201);
    expect((await send(slug, { body: 'Laptop clock fast' }, 'author', 'fast-clock')).statusCode).toBe(200);
    expect((await timeline(slug)).map((entry) => entry.body)).toEqual(['Laptop clock fast']);
  });

  it('is only for new entries: an author still cannot change the shown time of a published one', async () => {
    const { slug } = await createPost(t);
    const entry = (await send(slug, { body: 'Mine' })).json();
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/entries/${entry.id}`, headers: { ...t.auth('author'), 'if-match': '1' }, payload: { createdAt: ago(5 * MINUTE) } });
    expect(patch.statusCode).toBe(403);
  });
});
