import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { parseJekyll } from './jekyll.js';

/**
 * Replays an archive file into a live post through the public HTTP API, as an author would:
 * create the post if needed, then post each entry at its original pace divided by `speed`.
 * Every entry carries an Idempotency-Key derived from the file and its position, so a replay
 * that is interrupted and run again continues where it stopped instead of posting twice.
 */
export type ReplayOptions = {
  file: string;
  text: string;
  url: string;
  token: string;
  speed: number;
  /** Post into this slug instead of the file's. */
  slug?: string | undefined;
  /** Longest real wait between two entries, however long the original gap was. */
  maxWaitMs?: number | undefined;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
};

export type ReplayResult = { slug: string; posted: number; alreadyPosted: number };

export class ReplayError extends Error {}

const RETRIES = 5;

export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { url, token, speed } = options;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const log = options.log ?? (() => {});
  if (!(speed > 0)) throw new ReplayError('--speed must be a positive number');
  const parsed = parseJekyll(options.text, options.file);
  const slug = options.slug ?? parsed.slug;
  const base = url.replace(/\/+$/, '');
  const keyPrefix = `replay-${createHash('sha256').update(slug).update('\0').update(options.text).digest('hex').slice(0, 32)}`;

  const call = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await doFetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
        // 409 on an entry is "the same key is still in flight": the first attempt will answer.
        // A render that timed out on a busy server wrote nothing and may well pass next time.
        const transient =
          response.status >= 500 ||
          response.status === 429 ||
          (response.status === 409 && headers['idempotency-key'] !== undefined) ||
          (response.status === 422 && /took too long/.test(await response.clone().text()));
        if (!transient || attempt >= RETRIES) return response;
      } catch (error) {
        if (attempt >= RETRIES) throw new ReplayError(`cannot reach ${base}: ${(error as Error).message}`);
      }
      await sleep(250 * 2 ** attempt);
    }
  };

  const created = await call('POST', '/api/posts', {
    title: parsed.title,
    slug,
    // A replay is an event happening now: live (new posts otherwise start scheduled).
    status: 'live',
    ...(parsed.description ? { description: parsed.description } : {}),
    timezone: parsed.timezone,
    tags: parsed.tags,
    categories: parsed.categories,
  });
  if (created.status === 201) log(`created ${base}/posts/${slug}`);
  else if (created.status === 409) log(`posting into the existing ${base}/posts/${slug}`);
  else throw new ReplayError(`creating the post failed: ${created.status} ${await created.text()}`);

  let posted = 0;
  let alreadyPosted = 0;
  let previousMs: number | null = null;
  let waitNext = true;
  for (const [index, entry] of parsed.entries.entries()) {
    const at = Date.parse(entry.createdAt);
    if (previousMs !== null && waitNext) {
      const wait = Math.max(0, (at - previousMs) / speed);
      await sleep(Math.min(wait, options.maxWaitMs ?? Number.POSITIVE_INFINITY));
    }
    previousMs = at;
    const response = await call('POST', `/api/posts/${slug}/entries`, { body: entry.body, ...(entry.keyEvent ? { keyEvent: true } : {}) }, { 'idempotency-key': `${keyPrefix}-${index}` });
    if (response.status !== 200 && response.status !== 201) {
      throw new ReplayError(`entry ${index + 1} (${options.file}:${entry.line}) failed: ${response.status} ${await response.text()}`);
    }
    // An entry an earlier run already posted comes back at once: fast-forward to the first new one.
    const replayed = response.headers.get('idempotent-replayed') === 'true';
    waitNext = !replayed;
    if (replayed) alreadyPosted += 1;
    else posted += 1;
    log(`${replayed ? 'already posted' : 'posted'} ${index + 1}/${parsed.entries.length}`);
  }
  return { slug, posted, alreadyPosted };
}
