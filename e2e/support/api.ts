import { expect, type APIRequestContext } from '@playwright/test';

/** The author's side of the browser tests: the real HTTP API with the e2e token. */
export const auth = { authorization: `Bearer ${process.env.LIVELINE_E2E_TOKEN!}` };

export function uniqueTitle(prefix: string): string {
  return `${prefix} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

/** A post that is on now (`live`), as most tests need; pass `status` for another (the API's default is `scheduled`). */
export async function createPost(request: APIRequestContext, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await request.post('/api/posts', { headers: auth, data: { title, status: 'live', ...extra } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { slug: string }).slug;
}

export type PostedEntry = { id: number; version: number; createdAt: string };

export async function postEntry(request: APIRequestContext, slug: string, body: string, extra: Record<string, unknown> = {}): Promise<PostedEntry> {
  const response = await request.post(`/api/posts/${slug}/entries`, {
    headers: { ...auth, 'idempotency-key': crypto.randomUUID() },
    data: { body, ...extra },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as PostedEntry;
}

export async function postEntries(request: APIRequestContext, slug: string, count: number, prefix = 'Entry'): Promise<PostedEntry[]> {
  const posted: PostedEntry[] = [];
  for (let i = 1; i <= count; i++) posted.push(await postEntry(request, slug, `${prefix} ${i}`));
  return posted;
}

export async function patchPost(request: APIRequestContext, slug: string, data: Record<string, unknown>): Promise<void> {
  const current = (await (await request.get(`/api/posts/${slug}`)).json()) as { post: { version: number } };
  const response = await request.patch(`/api/posts/${slug}`, { headers: { ...auth, 'if-match': String(current.post.version) }, data });
  expect(response.status()).toBe(200);
}
