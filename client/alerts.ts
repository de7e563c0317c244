import { ui } from './i18n.js';

/**
 * Key-moment alerts (issue 19): a bell button a reader presses to be told, by Web Push, of this
 * post's key moments and of it going live. It asks for notification permission only when pressed,
 * registers the readers' service worker (/push/sw.js, scope /push/: it controls no page), and sends
 * the browser's subscription to the server for this post (POST /api/posts/:slug/push); pressed
 * again, it turns this post's alerts off. Absent where the browser has no Web Push.
 */

const KEY = (slug: string) => `liveline:alerts:${slug}`;

export class Alerts {
  private button: HTMLButtonElement | undefined;
  private readonly status: HTMLElement;

  constructor(private readonly slug: string) {
    this.status = document.createElement('p');
    this.status.className = 'visually-hidden alerts-status';
    this.status.setAttribute('role', 'status');
  }

  start(): void {
    if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'alerts-button';
    button.id = 'alerts-button';
    // The visible words are its name (axe: label-content-name-mismatch); the longer one is a hint.
    button.title = ui.t('reader.alerts.label');
    button.addEventListener('click', () => void this.toggle());
    this.button = button;
    this.show(this.on() && Notification.permission === 'granted');
    document.body.append(button, this.status);
  }

  private on(): boolean {
    try {
      return localStorage.getItem(KEY(this.slug)) === 'on';
    } catch {
      return false;
    }
  }

  private show(on: boolean): void {
    const button = this.button!;
    button.setAttribute('aria-pressed', String(on));
    button.textContent = `🔔 ${on ? ui.t('reader.alerts.on') : ui.t('reader.alerts.off')}`;
    try {
      if (on) localStorage.setItem(KEY(this.slug), 'on');
      else localStorage.removeItem(KEY(this.slug));
    } catch {
      // Not remembered: the button starts off next time, the subscription stays on the server.
    }
  }

  private async toggle(): Promise<void> {
    const button = this.button!;
    button.disabled = true;
    try {
      const registration = await navigator.serviceWorker.register('/push/sw.js', { scope: '/push/' });
      if (button.getAttribute('aria-pressed') === 'true') {
        const subscription = await registration.pushManager.getSubscription();
        if (subscription) await fetch(`/api/posts/${encodeURIComponent(this.slug)}/push`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ endpoint: subscription.endpoint }) });
        this.show(false);
        this.status.textContent = ui.t('reader.alerts.unsubscribed');
        return;
      }
      if ((await Notification.requestPermission()) !== 'granted') {
        this.status.textContent = ui.t('reader.alerts.denied');
        return;
      }
      const { publicKey } = (await (await fetch('/api/push/key')).json()) as { publicKey: string };
      const subscription = (await registration.pushManager.getSubscription()) ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) }));
      const response = await fetch(`/api/posts/${encodeURIComponent(this.slug)}/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subscription: subscription.toJSON() }),
      });
      if (!response.ok) throw new Error(String(response.status));
      this.show(true);
      this.status.textContent = ui.t('reader.alerts.subscribed');
    } catch {
      this.status.textContent = ui.t('reader.alerts.failed');
    } finally {
      button.disabled = false;
    }
  }
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
