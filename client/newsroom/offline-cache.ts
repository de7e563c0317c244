/**
 * The newsroom's offline copies, shared by the service worker (sw.ts) and the pages
 * (offline-shell.ts), so both name and purge them the same way.
 *
 * Newsroom pages are `private, no-store` (security review H3) and carry their user's CSRF token,
 * so a composer page kept for offline use belongs to one person: each user's pages live in their
 * own cache, only one user's pages are ever kept (seeing another user's page purges the rest), and
 * a logout, an ended session or someone else's session purges them. The hashed assets are public
 * and shared.
 */

const PAGE_CACHE_PREFIX = 'liveline-pages-';
export const ASSET_CACHE = 'liveline-assets';
/** The response header naming whose newsroom page it is (server/http/routes/admin/admin.ts sets it). */
export const USER_HEADER = 'liveline-user';
/** Composer pages kept per user: the posts of a few days' work. */
export const MAX_PAGES = 30;

export const pageCacheName = (userId: number): string => `${PAGE_CACHE_PREFIX}${userId}`;

/** The composer of a post, the one newsroom page that opens offline. */
export function isComposerPath(path: string): boolean {
  return /^\/admin\/posts\/[a-z0-9]+(?:-[a-z0-9]+)*$/.test(path);
}

/** The caches of every user's pages but `keep`'s (everyone's without it). */
export async function forgetPages(keep?: number): Promise<void> {
  if (typeof caches === 'undefined') return;
  const names = (await caches.keys()).filter((name) => name.startsWith(PAGE_CACHE_PREFIX) && (keep === undefined || name !== pageCacheName(keep)));
  await Promise.all(names.map((name) => caches.delete(name)));
}

/** One user's pages, for when the browser is signed in as someone else. */
export async function forgetPagesOf(userId: number): Promise<void> {
  if (typeof caches === 'undefined') return;
  await caches.delete(pageCacheName(userId));
}

/** The names of the page caches there are (one at most, in practice). */
export async function pageCaches(): Promise<string[]> {
  return (await caches.keys()).filter((name) => name.startsWith(PAGE_CACHE_PREFIX));
}
