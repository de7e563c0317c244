import { ASSET_CACHE, forgetPages, isComposerPath, MAX_PAGES, pageCacheName, pageCaches, USER_HEADER } from './offline-cache.js';

/**
 * The newsroom's service worker, served at /admin/sw.js for the scope /admin (its own bundle:
 * scripts/build-client.mjs). It exists so that a reload on dead Wi-Fi shows the composer, with
 * its draft and its outbox, instead of the browser's error page:
 *
 * - pages under /admin go to the network first; a composer page that answers is kept (per user:
 *   offline-cache.ts) and is what a navigation gets when the network fails;
 * - hashed assets (/assets/…) come from the cache first: their names change with their content;
 * - nothing else is touched: the API, the socket and other sites go to the network as always.
 *
 * A kept page is only a shell: what it shows comes from localStorage (draft, outbox), and its
 * outbox sends nothing until the server confirms the session is its author's. Kept pages are
 * purged when the browser turns out to be signed in as someone else, or not at all.
 */

/** The assets every newsroom page loads, with their hashed names; filled in by the build. */
declare const __LIVELINE_ASSETS__: string[];

// The DOM library types `self` as a Window; here it is a ServiceWorkerGlobalScope, whose library
// ("webworker") cannot share one program with the DOM's. These are the parts this file uses.
type ExtendableEvent = Event & { waitUntil(promise: Promise<unknown>): void };
type FetchEvent = ExtendableEvent & { readonly request: Request; respondWith(response: Promise<Response>): void };
type ExtendableMessageEvent = ExtendableEvent & { readonly data: unknown; readonly ports: readonly MessagePort[] };
type WorkerScope = {
  readonly location: { readonly origin: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
};
const worker = self as unknown as WorkerScope;

const ASSETS = __LIVELINE_ASSETS__;
const absolute = (path: string) => new URL(path, worker.location.origin).href;

worker.addEventListener('install', (event) => {
  // A new build takes over at once: it only keeps copies, so no page depends on the old one.
  event.waitUntil(
    caches
      .open(ASSET_CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(pruneAssets().then(() => worker.clients.claim()));
});

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate' && (url.pathname === '/admin' || url.pathname.startsWith('/admin/'))) event.respondWith(navigate(event, url.pathname));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
});

/** A composer page asks to be kept (its first visit came before this worker controlled it). */
worker.addEventListener('message', (event) => {
  const message = event.data as { type?: unknown; path?: unknown; userId?: unknown; fresh?: unknown } | null;
  const port = event.ports[0];
  if (message?.type !== 'remember' || typeof message.path !== 'string' || typeof message.userId !== 'number' || !isComposerPath(message.path)) return port?.postMessage(false);
  event.waitUntil(remember(message.path, message.userId, message.fresh === true).then((kept) => port?.postMessage(kept), () => port?.postMessage(false)));
});

async function navigate(event: FetchEvent, path: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(event.request);
  } catch (error) {
    const kept = isComposerPath(path) ? await keptPage(path) : undefined;
    if (kept) return kept;
    throw error;
  }
  event.waitUntil(learn(response.clone(), path));
  return response;
}

/** What a newsroom page's answer says about who is signed in, and the page to keep. */
async function learn(response: Response, path: string): Promise<boolean> {
  // A redirect (navigations do not follow them here) is the login page when the session is gone,
  // or a renamed post's new address: ask who is signed in.
  if (response.type === 'opaqueredirect') {
    await checkSession();
    return false;
  }
  const userId = Number(response.headers.get(USER_HEADER));
  if (!Number.isSafeInteger(userId) || userId <= 0) return false;
  await forgetPages(userId);
  if (!isComposerPath(path)) return false;
  const cache = await caches.open(pageCacheName(userId));
  if (!response.ok) {
    await cache.delete(path);
    return false;
  }
  await cache.put(path, response);
  const kept = await cache.keys();
  // Oldest first: the cache lists its keys in the order they were put.
  await Promise.all(kept.slice(0, Math.max(0, kept.length - MAX_PAGES)).map((request) => cache.delete(request)));
  await pruneAssets();
  return true;
}

async function remember(path: string, userId: number, fresh: boolean): Promise<boolean> {
  if (!fresh && (await (await caches.open(pageCacheName(userId))).match(path))) return true;
  const response = await fetch(path, { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' });
  // Kept for whoever the session is; the page that asked hears whether it was its own.
  const whose = Number(response.headers.get(USER_HEADER));
  return (await learn(response, path)) && whose === userId;
}

async function checkSession(): Promise<void> {
  try {
    const response = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) return await forgetPages();
    if (response.ok) {
      const { user } = (await response.json()) as { user: { id: number } };
      await forgetPages(user.id);
    }
  } catch {
    // Offline again: nothing learned.
  }
}

async function keptPage(path: string): Promise<Response | undefined> {
  for (const name of await pageCaches()) {
    const page = await (await caches.open(name)).match(path);
    if (page) return page;
  }
  return undefined;
}

async function asset(request: Request): Promise<Response> {
  const cache = await caches.open(ASSET_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

/** Keeps the assets of this build and those the kept pages name; an older build's others go. */
async function pruneAssets(): Promise<void> {
  const needed = new Set(ASSETS.map(absolute));
  for (const name of await pageCaches()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const page = await cache.match(request);
      for (const [path] of ((await page?.text()) ?? '').matchAll(/\/assets\/[\w.-]+/g)) needed.add(absolute(path));
    }
  }
  const assets = await caches.open(ASSET_CACHE);
  await Promise.all((await assets.keys()).filter((request) => !needed.has(request.url)).map((request) => assets.delete(request)));
}
