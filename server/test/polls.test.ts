import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, until, type TestApp } from './helpers.js';
import type { Change, Poll, PollsEvent } from '../../contract/index.js';

/** Polls (issue 19): an entry holding a poll, one vote per reader, batched live results, closing. */

let t: TestApp;
let socket: Socket | undefined;
beforeEach(async () => {
  t = await createTestApp({ READER_WRITES_PER_MINUTE: '100000' });
});
afterEach(async () => {
  socket?.close();
  await t.close();
});

const reader = (n: number) => `voter-${String(n).padStart(12, '0')}`;

async function createPoll(slug: string, payload: Record<string, unknown>, who: 'author' | 'editor' = 'author') {
  return t.app.inject({ method: 'POST', url: `/api/posts/${slug}/polls`, headers: t.auth(who), payload });
}

function vote(pollId: number, who: string, option: number) {
  return t.app.inject({ method: 'POST', url: `/api/polls/${pollId}/votes`, payload: { reader: who, option } });
}

async function follow(slug: string): Promise<{ polls: PollsEvent[]; changes: Change[] }> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  socket = connect(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  const seen = { polls: [] as PollsEvent[], changes: [] as Change[] };
  socket.on('polls', (event: PollsEvent) => seen.polls.push(event));
  socket.on('change', (change: Change) => seen.changes.push(change));
  await socket.timeout(5000).emitWithAck('subscribe', { slug });
  return seen;
}

describe('polls', () => {
  it('publishes an entry holding a poll; readers get the entry as a change and the poll as a `polls` event', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const seen = await follow(slug);
    const created = await createPoll(slug, { question: 'Which launch matters most?', options: ['The phone', 'The watch', 'The glasses'] });
    expect(created.statusCode).toBe(201);
    const { entry, poll } = created.json() as { entry: { id: number; body: string }; poll: Poll };
    expect(entry.body).toBe('**Which launch matters most?**');
    expect(poll).toMatchObject({ entryId: entry.id, question: 'Which launch matters most?', total: 0, closed: false, closesAt: null });
    expect(poll.options.map((option) => option.label)).toEqual(['The phone', 'The watch', 'The glasses']);
    await until(() => seen.changes.length === 1 && seen.polls.length === 1, 'the entry and its poll over the socket');
    expect(seen.changes[0]).toMatchObject({ type: 'entry.created', entry: { id: entry.id } });
    expect(seen.polls[0]!.polls[0]).toMatchObject({ id: poll.id, total: 0 });
    expect((await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/polls` })).json().polls).toEqual([poll]);
  });

  it('refuses a poll with 1 or 7 options, a closing time in the past, and a reader', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    expect((await createPoll(slug, { question: 'One?', options: ['Only'] })).statusCode).toBe(400);
    expect((await createPoll(slug, { question: 'Seven?', options: ['1', '2', '3', '4', '5', '6', '7'] })).statusCode).toBe(400);
    const past = await createPoll(slug, { question: 'Late?', options: ['Yes', 'No'], closesAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.statusCode).toBe(422);
    expect(past.json()).toMatchObject({ type: '/problems/closes-in-the-past' });
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/polls`, payload: { question: 'Mine?', options: ['Yes', 'No'] } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('counts one vote per reader: a second vote keeps the first; a missing option or poll is refused', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const { poll } = (await createPoll(slug, { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] })).json() as { poll: Poll };
    const first = (await vote(poll.id, reader(1), 1)).json();
    expect(first.option).toBe(1);
    expect(first.poll.options.map((option: { votes: number }) => option.votes)).toEqual([0, 1]);
    const again = (await vote(poll.id, reader(1), 0)).json();
    expect(again.option).toBe(1);
    expect(again.poll.total).toBe(1);
    expect((await vote(poll.id, reader(2), 0)).json().poll.options.map((option: { votes: number }) => option.votes)).toEqual([1, 1]);
    const missing = await vote(poll.id, reader(3), 2);
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await vote(999_999, reader(3), 0)).statusCode).toBe(404);
  });

  it('takes 600 votes at once: every one counted once, results converge over a few batched events', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const { poll } = (await createPoll(slug, { question: 'Best talk?', options: ['A', 'B', 'C'] })).json() as { poll: Poll };
    const seen = await follow(slug);
    const answers = await Promise.all(Array.from({ length: 600 }, (_, i) => vote(poll.id, reader(i), i % 3)));
    expect(answers.every((answer) => answer.statusCode === 200)).toBe(true);
    await until(() => seen.polls.at(-1)?.polls.find((p) => p.id === poll.id)?.total === 600, 'the final results over the socket');
    expect(seen.polls.at(-1)!.polls[0]!.options.map((option) => option.votes)).toEqual([200, 200, 200]);
    expect(seen.polls.length).toBeLessThan(10);
    expect(seen.changes).toEqual([]);
  });

  it('closes by hand: final results for everyone, votes refused; an author may close, a reader may not', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const { poll } = (await createPoll(slug, { question: 'Keep going?', options: ['Yes', 'No'] })).json() as { poll: Poll };
    await vote(poll.id, reader(1), 0);
    const seen = await follow(slug);
    expect((await t.app.inject({ method: 'POST', url: `/api/polls/${poll.id}/close` })).statusCode).toBe(401);
    const closed = await t.app.inject({ method: 'POST', url: `/api/polls/${poll.id}/close`, headers: t.auth('author') });
    expect(closed.json()).toMatchObject({ closed: true, total: 1 });
    await until(() => seen.polls.some((event) => event.polls.some((p) => p.id === poll.id && p.closed)), 'the closing over the socket');
    const late = await vote(poll.id, reader(2), 1);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ type: '/problems/poll-closed' });
    expect((await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/polls` })).json().polls[0]).toMatchObject({ closed: true, options: [{ votes: 1 }, { votes: 0 }] });
  });

  it('closes by itself at closesAt, and readers are told', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const seen = await follow(slug);
    const { poll } = (await createPoll(slug, { question: 'Quick one?', options: ['Yes', 'No'], closesAt: new Date(Date.now() + 1500).toISOString() })).json() as { poll: Poll };
    expect(poll.closed).toBe(false);
    expect((await vote(poll.id, reader(1), 0)).statusCode).toBe(200);
    await until(() => seen.polls.some((event) => event.polls.some((p) => p.id === poll.id && p.closed)), 'the poll closing at its time');
    expect((await vote(poll.id, reader(2), 0)).statusCode).toBe(409);
  });
});

describe('poll results in exports', () => {
  it('puts the results in the JSON archive and inside the entry of the HTML archive', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const { poll, entry } = (await createPoll(slug, { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] })).json() as { poll: Poll; entry: { id: number } };
    await vote(poll.id, reader(1), 1);
    await vote(poll.id, reader(2), 1);
    await vote(poll.id, reader(3), 0);
    await t.app.inject({ method: 'POST', url: `/api/polls/${poll.id}/close`, headers: t.auth('editor') });

    const archive = t.app.services.archives.exportJson(slug);
    expect(archive.polls).toEqual([{ id: poll.id, entry_id: entry.id, question: 'Tea or coffee?', options: [{ label: 'Tea', votes: 1 }, { label: 'Coffee', votes: 2 }], closes_at: null, closed_at: expect.any(String) }]);
    // No reader digests, no reactions: only the results.
    expect(JSON.stringify(archive)).not.toMatch(/voter-|reader/);

    const page = t.app.services.archives.exportHtml(slug);
    const article = page.slice(page.indexOf(`data-entry-id="${entry.id}"`), page.indexOf('</article>', page.indexOf(`data-entry-id="${entry.id}"`)));
    expect(article).toContain('Final results');
    expect(article).toMatch(/Coffee<\/span> <span class="poll-share">67% · 2 votes/);
  });
});
