import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, until, type TestApp } from './helpers.js';

/** Questions to the desk (issue 19): private until published, spam-resistant, personal data handled as such. */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ READER_WRITES_PER_MINUTE: '100000', QUESTION_MIN_SECONDS: '0', QUESTIONS_PER_10_MINUTES: '1000' });
});
afterEach(async () => {
  await t.close();
});

async function ticket(app: TestApp, slug: string): Promise<string> {
  return (await app.app.inject({ method: 'GET', url: `/api/posts/${slug}/questions/ticket` })).json().ticket;
}

async function ask(slug: string, payload: Record<string, unknown>, app: TestApp = t) {
  return app.app.inject({ method: 'POST', url: `/api/posts/${slug}/questions`, payload: { ticket: await ticket(app, slug), ...payload } });
}

async function queue(slug: string) {
  return (await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/questions`, headers: t.auth('editor') })).json() as { questions: { id: number; name: string | null; question: string; address: string }[]; received: number };
}

describe('questions to the desk', () => {
  it('lands in the moderation queue only: no public surface shows it', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const sent = await ask(slug, { name: 'Maria', question: 'Will the talk slides be shared?' });
    expect(sent.statusCode).toBe(202);
    const { questions, received } = await queue(slug);
    expect(questions).toMatchObject([{ name: 'Maria', question: 'Will the talk slides be shared?', address: '127.0.0.1' }]);
    expect(received).toBe(1);

    // Readers see none of it: the queue needs a login, and no page, feed, log or export has it.
    expect((await t.app.inject({ method: 'GET', url: `/api/posts/${slug}/questions` })).statusCode).toBe(401);
    for (const url of [`/posts/${slug}`, `/api/posts/${slug}`, `/api/posts/${slug}/changes?since=0`, `/posts/${slug}/feed.atom`]) {
      expect((await t.app.inject({ method: 'GET', url })).body, url).not.toContain('slides be shared');
    }
    expect(JSON.stringify(t.app.services.archives.exportJson(slug))).not.toContain('slides be shared');
    expect(t.app.services.archives.exportHtml(slug)).not.toContain('slides be shared');
  });

  it('publishes a question quoted in an entry with the answer, escaped as text, then deletes it from the queue', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    await ask(slug, { name: 'Maria', question: 'Is <script>alert(1)</script> **bold**\u202e here?' });
    await ask(slug, { question: 'And the second one?' });
    const [first, second] = (await queue(slug)).questions;
    expect(first!.question).toBe('Is <script>alert(1)</script> **bold** here?');

    const author = await t.app.inject({ method: 'POST', url: `/api/questions/${first!.id}/publish`, headers: t.auth('author'), payload: { answer: 'Yes.' } });
    expect(author.statusCode).toBe(403);
    const published = await t.app.inject({ method: 'POST', url: `/api/questions/${first!.id}/publish`, headers: t.auth('editor'), payload: { answer: 'Yes, after the talk.' } });
    expect(published.statusCode).toBe(201);
    const entry = published.json() as { html: string; body: string };
    expect(entry.html).toMatch(/^<blockquote>\s*<p><strong>Q from Maria:<\/strong> Is &lt;script&gt;alert\(1\)&lt;\/script&gt; \*\*bold\*\* here\?<\/p>\s*<\/blockquote>\s*<p>Yes, after the talk.<\/p>/);
    expect(entry.html).not.toContain('<script');
    const anonymous = (await t.app.inject({ method: 'POST', url: `/api/questions/${second!.id}/publish`, headers: t.auth('editor'), payload: { answer: 'Yes.' } })).json();
    expect(anonymous.html).toContain('<strong>Q from a reader:</strong> And the second one?');

    const after = await queue(slug);
    expect(after.questions).toEqual([]);
    expect(after.received).toBe(2);
    expect((await t.app.inject({ method: 'GET', url: `/posts/${slug}` })).body).toContain('Q from Maria:');
  });

  it('refuses a form sent too fast, a forged ticket, another post’s ticket, links, and an empty question', async () => {
    const slow = await createTestApp({ QUESTION_MIN_SECONDS: '3600' });
    try {
      const { slug } = await createPost(slow, { title: 'Keynote', status: 'live' });
      const fast = await ask(slug, { question: 'Too quick?' }, slow);
      expect(fast.statusCode).toBe(422);
      expect(fast.json()).toMatchObject({ type: '/problems/too-fast' });
    } finally {
      await slow.close();
    }
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    const other = await createPost(t, { title: 'Other', status: 'live' });
    const forged = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/questions`, payload: { ticket: `${Date.now() - 60_000}.1.forged`, question: 'Hi?' } });
    expect(forged.json()).toMatchObject({ type: '/problems/ticket-expired' });
    const elsewhere = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/questions`, payload: { ticket: await ticket(t, other.slug), question: 'Hi?' } });
    expect(elsewhere.json()).toMatchObject({ type: '/problems/ticket-expired' });
    for (const question of ['See https://spam.example/win', 'Visit www.cheap-pills.com now', 'go to pills.xyz today']) {
      const linked = await ask(slug, { question });
      expect(linked.statusCode, question).toBe(422);
      expect(linked.json()).toMatchObject({ type: '/problems/links-not-allowed' });
    }
    expect((await ask(slug, { question: '\u200b\u202e' })).statusCode).toBe(400);
    expect((await queue(slug)).questions).toEqual([]);

    // A post may allow links.
    await t.app.inject({ method: 'PATCH', url: `/api/posts/${slug}/participation`, headers: t.auth('editor'), payload: { questionLinks: true } });
    expect((await ask(slug, { question: 'Is https://example.org/slides the deck?' })).statusCode).toBe(202);
  });

  it('drops a filled honeypot and block-listed words or addresses silently; only editors edit the block list', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    expect((await ask(slug, { question: 'Bot here', website: 'http://bot' })).statusCode).toBe(202);
    expect((await t.app.inject({ method: 'PUT', url: '/api/questions/blocklist', headers: t.auth('author'), payload: { words: ['casino'], addresses: [] } })).statusCode).toBe(403);
    const saved = await t.app.inject({ method: 'PUT', url: '/api/questions/blocklist', headers: t.auth('editor'), payload: { words: ['Casino'], addresses: ['203.0.113.9'] } });
    expect(saved.json()).toEqual({ words: ['casino'], addresses: ['203.0.113.9'] });
    expect((await ask(slug, { question: 'Best CASINO bonus' })).statusCode).toBe(202);
    const fromBlocked = await t.app.inject({ method: 'POST', url: `/api/posts/${slug}/questions`, remoteAddress: '203.0.113.9', payload: { ticket: await ticket(t, slug), question: 'Innocent?' } });
    expect(fromBlocked.statusCode).toBe(202);
    expect((await ask(slug, { question: 'A real question' })).statusCode).toBe(202);
    const { questions, received } = await queue(slug);
    expect(questions.map((q) => q.question)).toEqual(['A real question']);
    expect(received).toBe(1);
  });

  it('streams the queue live to logged-in people only, never to a reader’s socket', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    expect((await fetch(`${url}/api/posts/${slug}/questions/events`)).status).toBe(401);

    const reader = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const heardByReader: string[] = [];
    reader.onAny((event: string, payload: unknown) => heardByReader.push(`${event} ${JSON.stringify(payload)}`));
    await reader.timeout(5000).emitWithAck('subscribe', { slug });

    const controller = new AbortController();
    const response = await fetch(`${url}/api/posts/${slug}/questions/events`, { headers: t.auth('editor'), signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const decoder = new TextDecoder();
    let text = '';
    const body = response.body!.getReader();
    const reading = (async () => {
      for (;;) {
        const { done, value } = await body.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    })().catch(() => undefined);
    await until(() => text.includes('event: snapshot'), 'the snapshot');
    await ask(slug, { name: 'Ana', question: 'Live question?' });
    await until(() => text.includes('event: question') && text.includes('Live question?'), 'the question on the stream');
    const id = (await queue(slug)).questions[0]!.id;
    expect((await t.app.inject({ method: 'DELETE', url: `/api/questions/${id}`, headers: t.auth('editor') })).statusCode).toBe(204);
    await until(() => text.includes(`event: removed\ndata: {"id":${id}}`), 'the removal on the stream');
    controller.abort();
    await reading;
    reader.close();
    expect(heardByReader.join('\n')).not.toContain('Live question?');
  });

  it('forgets questions after the retention period, keeping only their count; editors delete them sooner', async () => {
    const { slug } = await createPost(t, { title: 'Keynote', status: 'live' });
    await ask(slug, { name: 'Old', question: 'From long ago?' });
    const { questions } = t.app.participation;
    expect(questions.purge(Date.now())).toBe(0);
    expect(questions.purge(Date.now() + 30 * 86_400_000 + 1000)).toBe(1);
    const after = await queue(slug);
    expect(after.questions).toEqual([]);
    expect(after.received).toBe(1);
    const row = t.app.stores.db.prepare('SELECT count(*) AS n FROM reader_questions').get() as { n: number };
    expect(row.n).toBe(0);
  });

  it('limits questions per address per 10 minutes', async () => {
    const limited = await createTestApp({ QUESTION_MIN_SECONDS: '0', QUESTIONS_PER_10_MINUTES: '2' });
    try {
      const { slug } = await createPost(limited, { title: 'Keynote', status: 'live' });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await ask(slug, { question: `Question ${i}?` }, limited)).statusCode);
      expect(statuses).toEqual([202, 202, 429]);
    } finally {
      await limited.close();
    }
  });
});
