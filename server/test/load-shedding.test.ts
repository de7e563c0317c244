import { afterEach, describe, expect, it } from 'vitest';
import { renderMarkdownSync } from '../render/markdown.js';
import type { Renderer } from '../services/context.js';
import { createTestApp, postEntry, type TestApp } from './helpers.js';

/**
 * Event-loop pressure is induced for real (the test blocks the loop in a loop) and the test polls
 * until the server notices; no assertion depends on how long anything takes. A renderer that the
 * test holds open pins a write *inside* the service (validated, rendering, about to commit) while
 * the pressure rises, so "an accepted write is never shed" is checked deterministically.
 */
class HeldRenderer implements Renderer {
  private releaseHeld!: () => void;
  private readonly held = new Promise<void>((resolve) => (this.releaseHeld = resolve));
  private enteredResolve!: () => void;
  readonly entered = new Promise<void>((resolve) => (this.enteredResolve = resolve));

  async render(body: string): Promise<string> {
    if (body.startsWith('HOLD')) {
      this.enteredResolve();
      await this.held;
    }
    return renderMarkdownSync(body);
  }

  release(): void {
    this.releaseHeld();
  }
}

/** Keeps the event loop blocked most of the time until stopped. */
function blockEventLoop(): () => void {
  let running = true;
  const spin = () => {
    if (!running) return;
    const until = Date.now() + 150;
    while (Date.now() < until) {
      // busy: this is the pressure
    }
    setTimeout(spin, 1);
  };
  setTimeout(spin, 1);
  return () => {
    running = false;
  };
}

async function poll<T>(attempt: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await attempt();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Response = Awaited<ReturnType<typeof postEntry>>;

/**
 * Starts a write that the renderer holds inside the service. The server may be busy right after
 * start-up (and then rightly sheds at the door), so retry until the write is in.
 */
async function startHeldWrite(t: TestApp, renderer: HeldRenderer, slug: string, body: string): Promise<{ response: Promise<Response> }> {
  for (;;) {
    const response = postEntry(t, slug, body, 'author', { 'idempotency-key': body.replace(/\s+/g, '-') });
    const first = await Promise.race([renderer.entered.then(() => undefined), response]);
    if (first === undefined) return { response }; // wrapped: returning a promise would wait for it
    if (first.statusCode !== 503) throw new Error(`held write failed: ${first.statusCode} ${first.body}`);
    // Let timers run: under-pressure re-samples the event loop on one.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function createPostWhenCalm(t: TestApp): Promise<string> {
  const response = await poll(
    () => t.app.inject({ method: 'POST', url: '/api/posts', headers: t.auth('editor'), payload: { title: 'Keynote' } }),
    (r) => r.statusCode !== 503,
    'the server to accept a post',
  );
  expect(response.statusCode).toBe(201);
  return response.json().slug;
}

let t: TestApp | undefined;
let stop: (() => void) | undefined;
afterEach(async () => {
  stop?.();
  stop = undefined;
  await t?.close();
  t = undefined;
});

describe('load shedding under event-loop pressure', () => {
  it('sheds reads with 503 + Retry-After, lets writes in and finishes the write already accepted', async () => {
    const renderer = new HeldRenderer();
    t = await createTestApp({ LOAD_SHED_READ_DELAY_MS: '40', LOAD_SHED_WRITE_DELAY_MS: '0' }, { renderer, pressureSampleIntervalMs: 100 });
    const slug = await createPostWhenCalm(t);
    const accepted = await startHeldWrite(t, renderer, slug, 'HOLD accepted before the pressure');

    stop = blockEventLoop();
    const shed = await poll(() => t!.app.inject({ url: `/api/posts/${slug}` }), (r) => r.statusCode === 503, 'a shed read');
    expect(shed.headers['retry-after']).toBe('5');
    expect(shed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(shed.json()).toMatchObject({ type: '/problems/overloaded', status: 503 });
    expect((await t.app.inject({ url: `/posts/${slug}` })).statusCode).toBe(503);
    // Health checks are never shed; writes below their own threshold get in.
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await postEntry(t, slug, 'written under pressure')).statusCode).toBe(201);

    renderer.release();
    expect((await accepted.response).statusCode).toBe(201);
    stop();
    await poll(() => t!.app.inject({ url: `/api/posts/${slug}` }), (r) => r.statusCode === 200, 'reads to recover');
    const bodies = (await t.app.inject({ url: `/api/posts/${slug}` })).json().entries.map((e: { body: string }) => e.body);
    expect(bodies.sort()).toEqual(['HOLD accepted before the pressure', 'written under pressure']);
  });

  it('above the write threshold refuses new writes at the door, yet completes the accepted one exactly once', async () => {
    const renderer = new HeldRenderer();
    t = await createTestApp({ LOAD_SHED_READ_DELAY_MS: '40', LOAD_SHED_WRITE_DELAY_MS: '40' }, { renderer, pressureSampleIntervalMs: 100 });
    const slug = await createPostWhenCalm(t);
    const accepted = await startHeldWrite(t, renderer, slug, 'HOLD in flight');

    stop = blockEventLoop();
    let stored = 0;
    let attempt = 0;
    const refused = await poll(
      async () => {
        const response = await postEntry(t!, slug, `knocking ${attempt++}`, 'author2');
        if (response.statusCode === 201) stored += 1;
        return response;
      },
      (r) => r.statusCode === 503,
      'a shed write',
    );
    expect(refused.json()).toMatchObject({ type: '/problems/overloaded' });
    expect(refused.headers['retry-after']).toBe('5');

    renderer.release();
    const response = await accepted.response;
    expect(response.statusCode).toBe(201);
    stop();
    const entries = t.app.stores.db.prepare('SELECT body FROM entries').all() as { body: string }[];
    expect(entries.filter((e) => e.body === 'HOLD in flight')).toHaveLength(1);
    expect(entries).toHaveLength(1 + stored);
  });

  it('a single busy stretch longer than the sampling interval is a delay, not a reason to refuse everything', async () => {
    // Thresholds far above the stretches: nothing may be shed. under-pressure's own measure read
    // an interval without a sample as an infinite delay and refused reads and writes alike.
    t = await createTestApp({ LOAD_SHED_READ_DELAY_MS: '2000', LOAD_SHED_WRITE_DELAY_MS: '5000' }, { pressureSampleIntervalMs: 50 });
    const slug = await createPostWhenCalm(t);
    const statuses: number[] = [];
    for (let round = 0; round < 12; round++) {
      const until = Date.now() + 300;
      while (Date.now() < until) {
        // one long synchronous stretch, like a broadcast to thousands of readers
      }
      // Let the samplers' timers run once, as they would between two requests.
      await new Promise((resolve) => setTimeout(resolve, 0));
      statuses.push((await t.app.inject({ url: `/api/posts/${slug}` })).statusCode);
      statuses.push((await postEntry(t, slug, `after stretch ${round}`)).statusCode);
    }
    expect(statuses.filter((status) => status === 503)).toEqual([]);
  });
});
