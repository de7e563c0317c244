import { randomUUID } from 'node:crypto';
import { keepAliveAgent, http } from './http.js';
import { newHistogram, now, recordMs, type Histogram } from './stats.js';

/** An entry's body carries its index and the moment its POST was sent, so any reader can time it. */
export function entryBody(index: number, sentAt: number, length: number): string {
  const head = `Bench entry #${index} t=${sentAt.toFixed(3)} `;
  return head + 'lorem ipsum '.repeat(Math.ceil(Math.max(0, length - head.length) / 12)).slice(0, Math.max(0, length - head.length));
}

const STAMP = /#(\d+) t=(\d+\.\d+)/;

export function parseStamp(body: string): { index: number; sentAt: number } | undefined {
  const match = STAMP.exec(body);
  return match ? { index: Number(match[1]), sentAt: Number(match[2]) } : undefined;
}

export type Request = { url: string; headers: Record<string, string>; body: string; expect: number };

export type PostedRun = { sentMs: number[]; committedMs: number[]; failures: string[]; histogram: Histogram; elapsedMs: number; retries: number; refusals: string[] };

/** How often a refused POST is sent again (503 load shedding, 429 rate limit) before it counts as failed. */
const MAX_RETRIES = 20;

/**
 * The author: sends `count` requests built by `build(index, sentAt)`, either on a fixed schedule
 * (`perSecond`, not waiting for earlier responses) or as fast as `concurrency` allows.
 */
export async function send(
  count: number,
  /** `outbox`: a POST that finds no server (a restart) is sent again every 200 ms, as the composer's outbox does, for up to a minute. */
  options: { perSecond?: number; concurrency?: number; outbox?: boolean },
  build: (index: number, sentAt: number) => Request,
): Promise<PostedRun> {
  const agent = keepAliveAgent(undefined, Math.max(64, options.concurrency ?? 0));
  const sentMs = new Array<number>(count).fill(0);
  const committedMs = new Array<number>(count).fill(0);
  const failures: string[] = [];
  const histogram = newHistogram();
  let retries = 0;
  const refusals: string[] = [];
  // Like the newsroom composer's outbox: a POST the server refused at the door (503 + Retry-After
  // under load, 429) is sent again after the advised pause with the same Idempotency-Key and body,
  // so latency still counts from the first send. A repeat the server already committed answers 200.
  const one = async (index: number) => {
    const sentAt = now();
    sentMs[index] = sentAt;
    const request = build(index, sentAt);
    try {
      for (let attempt = 0; ; attempt++) {
        let result: Awaited<ReturnType<typeof http>>;
        try {
          result = await http(request.url, { method: 'POST', headers: request.headers, body: request.body, agent });
        } catch (error) {
          if (!options.outbox || now() - sentAt > 60_000) throw error;
          await new Promise((done) => setTimeout(done, 200));
          continue;
        }
        if ((result.status === 503 || result.status === 429) && attempt < MAX_RETRIES) {
          retries++;
          if (refusals.length < 5) refusals.push(`#${index}: ${result.status} ${result.body.slice(0, 160)}`);
          const advised = Number(result.headers['retry-after']);
          await new Promise((done) => setTimeout(done, (Number.isFinite(advised) && advised > 0 ? advised : 1) * 1000));
          continue;
        }
        committedMs[index] = now();
        recordMs(histogram, committedMs[index] - sentAt);
        const ok = result.status === request.expect || (attempt > 0 && request.expect === 201 && result.status === 200);
        if (!ok) failures.push(`#${index}: ${result.status} ${result.body.slice(0, 200)}`);
        break;
      }
    } catch (error) {
      failures.push(`#${index}: ${(error as Error).message}`);
    }
  };
  const start = now();
  if (options.perSecond) {
    const pending: Promise<void>[] = [];
    for (let index = 0; index < count; index++) {
      const wait = start + (index * 1000) / options.perSecond - now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      pending.push(one(index));
    }
    await Promise.all(pending);
  } else {
    let next = 0;
    const worker = async () => {
      while (next < count) await one(next++);
    };
    await Promise.all(Array.from({ length: Math.min(count, options.concurrency ?? 8) }, worker));
  }
  agent.destroy();
  return { sentMs, committedMs, failures, histogram, elapsedMs: now() - start, retries, refusals };
}

export const BODY_LENGTH = 240;

/** Entries through the real API: bearer token and a fresh Idempotency-Key on every POST. */
export function postEntries(
  server: { url: string; authHeaders(key?: string): Record<string, string> },
  slug: string,
  count: number,
  options: { perSecond?: number; concurrency?: number; offset?: number; outbox?: boolean },
): Promise<PostedRun> {
  return send(count, options, (index, sentAt) => ({
    url: `${server.url}/api/posts/${slug}/entries`,
    headers: server.authHeaders(randomUUID()),
    body: JSON.stringify({ body: entryBody(index + (options.offset ?? 0), sentAt, BODY_LENGTH) }),
    expect: 201,
  }));
}
