import { forgetPages } from './offline-cache.js';

/**
 * The pages' side of the newsroom's service worker (sw.ts): every signed-in newsroom page
 * registers it for /admin, and a composer page asks it to keep this page, so a reload on dead
 * Wi-Fi still opens it; the page says so with `data-offline-ready` on the composer. Logging out
 * purges the kept pages first (they are this user's, with their CSRF token: offline-cache.ts).
 * Without service workers (an http:// address other than localhost, an old browser) the
 * newsroom works exactly as before, only not offline.
 */
export function startOfflineShell(userId: number): void {
  forgetPagesOnLogout();
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const composer = document.body.dataset.page === 'composer' ? document.getElementById('composer') : null;
  // Was this page itself answered through the worker (and so already kept)?
  const controlled = navigator.serviceWorker.controller !== null;
  void navigator.serviceWorker
    .register('/admin/sw.js', { scope: '/admin' })
    .then(() => navigator.serviceWorker.ready)
    .then(async (registration) => {
      if (!composer || !registration.active) return;
      if (await ask(registration.active, { type: 'remember', path: location.pathname, userId, fresh: !controlled })) composer.dataset.offlineReady = 'true';
    })
    .catch(() => {
      // No offline copy; the page itself works as before.
    });
}

function ask(worker: ServiceWorker, message: unknown): Promise<boolean> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data === true);
    worker.postMessage(message, [channel.port2]);
  });
}

/** The Log out button purges this browser's kept newsroom pages, then logs out as before. */
function forgetPagesOnLogout(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[action="/logout"]')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      // form.submit() sends the form without firing this listener again.
      void forgetPages()
        .catch(() => undefined)
        .finally(() => form.submit());
    });
  }
}
