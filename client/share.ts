import { ui } from './i18n.js';

/**
 * A Share control on every entry (issue 15). It opens a small menu: the system's share sheet
 * (Web Share API) where the browser has one, Copy link, and plain links to X, Bluesky, Facebook,
 * WhatsApp and e-mail: addresses built here, no third-party script on the page. The shared link is
 * the post's canonical URL with `#entry-ID`, which opens the page at that entry (client/earlier.ts
 * loads older pages until it is found). Added by the script, so a page without it carries none.
 */

/** The address of an entry as readers share it: the canonical page, never this page's query (?filter=…). */
export function entryUrl(id: string): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  return `${canonical || `${location.origin}${location.pathname}`}#entry-${id}`;
}

type Target = { name: 'x' | 'bluesky' | 'facebook' | 'whatsapp' | 'email'; href(url: string, text: string, title: string): string };

/** The networks' own names (not translated); e-mail in the page's language. */
const targetName = (name: Target['name']): string =>
  ({ x: 'X', bluesky: 'Bluesky', facebook: 'Facebook', whatsapp: 'WhatsApp', email: ui.t('reader.shareByEmail') })[name];

const enc = encodeURIComponent;
const TARGETS: Target[] = [
  { name: 'x', href: (url, text) => `https://x.com/intent/post?text=${enc(text)}&url=${enc(url)}` },
  { name: 'bluesky', href: (url, text) => `https://bsky.app/intent/compose?text=${enc(`${text} ${url}`)}` },
  { name: 'facebook', href: (url) => `https://www.facebook.com/sharer/sharer.php?u=${enc(url)}` },
  { name: 'whatsapp', href: (url, text) => `https://wa.me/?text=${enc(`${text} ${url}`)}` },
  { name: 'email', href: (url, text, title) => `mailto:?subject=${enc(title)}&body=${enc(`${text}\n\n${url}`)}` },
];

export class Share {
  private open: { button: HTMLButtonElement; menu: HTMLElement } | undefined;

  constructor() {
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !this.open) return;
      const { button } = this.open;
      this.close();
      button.focus();
    });
  }

  /** Adds the Share button to an entry's header (server-rendered or built live). */
  addTo(article: HTMLElement): void {
    const header = article.querySelector(':scope > header');
    if (!header || header.querySelector('.share-button')) return;
    const id = article.dataset.entryId ?? '';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'share-button';
    button.textContent = ui.t('reader.share');
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', `share-${id}`);
    const time = header.querySelector('.permalink time')?.textContent ?? '';
    button.setAttribute('aria-label', ui.t('reader.shareEntry', { time }));
    button.addEventListener('click', () => {
      if (this.open?.button === button) this.close();
      else this.show(article, button);
    });
    header.append(button);
  }

  addToAll(root: ParentNode): void {
    root.querySelectorAll<HTMLElement>('#entries > article[data-entry-id]').forEach((article) => this.addTo(article));
  }

  private show(article: HTMLElement, button: HTMLButtonElement): void {
    this.close();
    const id = article.dataset.entryId ?? '';
    const url = entryUrl(id);
    const title = document.getElementById('post-title')?.textContent?.trim() ?? document.title;
    const what = (article.querySelector('.entry-headline')?.textContent ?? article.querySelector('.entry-body')?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const text = what ? `${title}: ${what.length > 100 ? `${what.slice(0, 99).trimEnd()}…` : what}` : title;

    const menu = document.createElement('div');
    menu.className = 'share-menu';
    menu.id = `share-${id}`;
    menu.setAttribute('role', 'group');
    menu.setAttribute('aria-label', button.getAttribute('aria-label') ?? ui.t('reader.share'));
    const status = document.createElement('p');
    status.className = 'share-status';
    status.setAttribute('role', 'status');
    if (typeof navigator.share === 'function') {
      menu.append(action(ui.t('reader.shareVia'), () => void navigator.share({ title, text, url }).catch(() => undefined)));
    }
    menu.append(
      action(ui.t('reader.copyLink'), async () => {
        try {
          await navigator.clipboard.writeText(url);
          status.textContent = ui.t('reader.copied');
        } catch {
          // No clipboard (permission, an old browser): the address, to select by hand.
          status.textContent = ui.t('reader.copyFailed', { url });
        }
      }),
    );
    for (const target of TARGETS) {
      const link = document.createElement('a');
      link.className = `share-link share-${target.name}`;
      link.href = target.href(url, text, title);
      link.textContent = targetName(target.name);
      if (target.name !== 'email') {
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
      }
      menu.append(link);
    }
    menu.append(status);
    article.querySelector(':scope > header')?.after(menu);
    button.setAttribute('aria-expanded', 'true');
    this.open = { button, menu };
  }

  private close(): void {
    if (!this.open) return;
    this.open.menu.remove();
    this.open.button.setAttribute('aria-expanded', 'false');
    this.open = undefined;
  }
}

function action(label: string, run: () => void | Promise<void>): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'share-action';
  button.textContent = label;
  button.addEventListener('click', () => void run());
  return button;
}
