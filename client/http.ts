import type { Problem } from '../contract/index.js';

/**
 * The one fetch of the browser code. Answers are trusted to be what contract/ says (the server
 * validates what it sends); nothing here parses them with zod, so no schema code ships to readers.
 *
 * Two doors: `read` for the public reads the reader page makes too (as small as a bare fetch, so
 * the reader bundle stays small), and `api` for the newsroom's calls: the session cookie, the
 * CSRF token on every write, JSON or form bodies, and failures as the API's problem details.
 * Both fail with an HttpError (ApiError: with the problem details) or, for `api`, a NetworkError.
 */

/** An answer that is not 2xx. */
export class HttpError extends Error {
  declare readonly status: number;
  constructor(status: number) {
    super(`HTTP ${status}`);
    this.status = status;
  }
}

/** A newsroom call's failure, with the problem details the API answered with. */
export class ApiError extends HttpError {
  declare readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(status);
    this.problem = problem;
    this.message = problem.detail ?? problem.title ?? this.message;
  }
}

/** Thrown when the request never got an answer (offline, DNS, connection reset). */
export class NetworkError extends Error {}

/** Never a kept answer (no-store): one from a few seconds ago may predate an edit or a deletion. */
export async function read<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { cache: 'no-store', signal });
  if (!response.ok) throw new HttpError(response.status);
  return response.json() as Promise<T>;
}

export type RequestOptions = { json?: unknown; body?: BodyInit; headers?: Record<string, string> };

export async function api<T>(method: string, url: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers };
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let response: Response;
  try {
    // fetch sends the session cookie to its own origin by default.
    response = await fetch(url, { method, headers, body, cache: 'no-store' });
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : 'network error');
  }
  // An empty body (204: the endpoints typed void) and one that is not JSON parse as undefined.
  const text = await response.text();
  const parsed = safeJson(text);
  // A proxy in front of the API may answer an error with anything but problem details.
  if (!response.ok) throw new ApiError(response.status, (parsed as Problem | undefined) ?? { type: 'about:blank', title: response.statusText, status: response.status, detail: text.slice(0, 200) });
  return parsed as T;
}

function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
