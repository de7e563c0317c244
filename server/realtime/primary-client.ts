import type { Change } from '../../contract/index.js';

export type ChangesPage = { changes: Change[]; lastSeq: number };

/**
 * A fan-out node's HTTP client for the primary. Identical concurrent requests share one fetch:
 * when thousands of readers reconnect at once they mostly ask for the same thing.
 */
export class PrimaryClient {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly baseUrl: string, private readonly timeoutMs = 10_000) {}

  /** The post's id, or undefined when the primary has no such post. */
  postId(slug: string): Promise<number | undefined> {
    return this.get<{ post: { id: number } }>(`/api/posts/${encodeURIComponent(slug)}`).then((body) => body?.post.id);
  }

  /** Changes after `since` (at most `limit`) and the post's lastSeq; undefined for an unknown post. */
  changes(slug: string, since: number, limit: number): Promise<ChangesPage | undefined> {
    return this.get<ChangesPage>(`/api/posts/${encodeURIComponent(slug)}/changes?since=${since}&limit=${limit}`);
  }

  private get<T>(path: string): Promise<T | undefined> {
    const pending = this.inFlight.get(path);
    if (pending) return pending as Promise<T | undefined>;
    const request = this.fetchJson<T>(path).finally(() => this.inFlight.delete(path));
    this.inFlight.set(path, request);
    return request;
  }

  private async fetchJson<T>(path: string): Promise<T | undefined> {
    const response = await fetch(this.baseUrl + path, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`primary answered ${response.status} to GET ${path}`);
    return (await response.json()) as T;
  }
}
