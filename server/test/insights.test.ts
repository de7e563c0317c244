import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, until, type TestApp } from './helpers.js';
import { loginAs } from './session-helpers.js';

/** Insights (issue 19): server-drawn SVG charts from counts only, on a newsroom page. */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ READER_WRITES_PER_MINUTE: '100000', QUESTION_MIN_SECONDS: '0' });
});
afterEach(async () => {
  await t.close();
});

describe('insights', () => {
  it('draws readers over time with the peak, entries per 10 minutes, reactions per entry, polls and questions, and nothing personal', async () => {
    const { slug, id } = await createPost(t, { title: 'Keynote', status: 'live' });
    const first = (await postEntry(t, slug, 'Doors open.')).json();
    await postEntry(t, slug, 'The **keynote** starts.');
    const { poll } = (await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/polls`, headers: t.auth('author'), payload: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] } })).json();
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'POST', url: `/api/entries/${first.id}/reactions`, payload: { reader: `reader-000000000${i}`, reaction: i ? 'clap' : 'love' } });
    await t.app.inject({ method: 'POST', url: `/api/polls/${poll.id}/votes`, payload: { reader: 'reader-0000000001', option: 1 } });
    const ticket = (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/questions/ticket` })).json().ticket;
    await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/questions`, payload: { ticket, name: 'Maria Secret', question: 'A private question?' } });

    const { insights } = t.app.participation;
    const start = Date.parse('2026-12-01T10:00:00Z');
    [3, 7, 12, 9, 4].forEach((readers, i) => insights.sample(new Map([[id, readers]]), new Date(start + i * 5000)));

    const figures = (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/insights`, headers: t.auth('editor') })).json();
    expect(figures.peak).toEqual({ readers: 12, at: '2026-12-01T10:00:10.000Z' });
    expect(figures.readers.map((sample: { readers: number }) => sample.readers)).toEqual([3, 7, 12, 9, 4]);
    expect(figures.entries).toBe(3);
    expect(figures.entriesPer10Minutes.reduce((sum: number, bucket: { entries: number }) => sum + bucket.entries, 0)).toBe(3);
    expect(figures.reactions).toEqual([{ entryId: first.id, excerpt: 'Doors open.', createdAt: first.createdAt, counts: { love: 1, clap: 2 }, total: 3 }]);
    expect(figures.polls[0]).toMatchObject({ question: 'Tea or coffee?', total: 1 });
    expect(figures.questions).toEqual({ received: 1, waiting: 1 });
    expect((await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/insights` })).statusCode).toBe(401);

    // The page: logged in only; SVG drawn on the server, described for screen readers; no script needed.
    expect((await t.app.inject({ method: 'GET', url: `/admin/posts/${slug}/insights` })).statusCode).toBe(303);
    const editor = await loginAs(t, 'editor');
    const page = await t.app.inject({ method: 'GET', url: `/admin/posts/${slug}/insights`, headers: { cookie: editor.cookie } });
    expect(page.statusCode).toBe(200);
    const svgs = [...page.body.matchAll(/<svg class="insights-chart"[^>]*aria-label="([^"]*)"/g)].map((match) => match[1]);
    expect(svgs).toHaveLength(4);
    expect(svgs[0]).toMatch(/^Readers over time, from 10:00 to 10:00; peak 12 at 10:00\.$/);
    expect(svgs[2]).toContain('Doors open.: 3');
    expect(svgs[3]).toContain('Coffee 1 (100%)');
    expect(page.body).toContain('<dd id="insights-peak">12');
    expect(page.body).toMatch(/<dd id="insights-questions">1 <span class="muted">\(1 waiting\)/);
    // Counts only: no question text, name, address or reader digest.
    for (const secret of ['Maria Secret', 'A private question', '127.0.0.1', 'reader-0000']) expect(page.body).not.toContain(secret);
  });

  it('samples the live reader count every few seconds, per post, and counts nobody on the desk', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const { slug, id } = await createPost(t, { title: 'Keynote', status: 'live' });
    const readers = [0, 1].map(() => connect(url, { transports: ['websocket'], reconnection: false, forceNew: true }));
    const desk = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      for (const socket of readers) await socket.timeout(5000).emitWithAck('subscribe', { slug });
      await desk.timeout(5000).emitWithAck('subscribe', { slug, desk: true });
      const samples = () => t.app.stores.db.prepare('SELECT readers FROM reader_samples WHERE post_id = ?').all(id) as { readers: number }[];
      await until(() => samples().some((sample) => sample.readers === 2), 'a sample of 2 readers', 20_000);
      expect(samples().every((sample) => sample.readers <= 2)).toBe(true);
    } finally {
      for (const socket of [...readers, desk]) socket.close();
    }
  }, 30_000);
});
