import { element } from './dom.js';

/**
 * How the newsroom tells people what happened, without the browser's modal dialogs (issue 14):
 * `alert()` and `confirm()` block the page (and a live desk behind it), cannot be styled or
 * undone, and teach people to click "OK" without reading. Instead:
 * - an inline error banner where the work happened (`role="alert"`, dismissable);
 * - a toast with an Undo for what can be undone (a polite live region, about 10 s, paused while
 *   the pointer or the focus is on it, so there is time to reach it);
 * - a two-step inline confirmation for the few actions that cannot be undone.
 */

/** The message of any failure, as a person reads it. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type Banner = {
  /** Shows `message` (replacing the previous one). */
  show(message: string): void;
  clear(): void;
};

/** An error banner placed in `slot` (an element the caller puts where the banner belongs). */
export function banner(slot: HTMLElement): Banner {
  slot.classList.add('banner-slot');
  return {
    show(message) {
      const close = element('button', { type: 'button', className: 'banner-dismiss' }, '×');
      close.setAttribute('aria-label', 'Dismiss');
      const box = element('div', { className: 'error-banner' }, element('span', { className: 'banner-text' }, message), close);
      box.setAttribute('role', 'alert');
      close.addEventListener('click', () => box.remove());
      slot.replaceChildren(box);
    },
    clear: () => slot.replaceChildren(),
  };
}

/** A one-off error line (role="alert") for a spot that has its own lifetime (a dialog, a form). */
export function inlineError(message: string): HTMLElement {
  const line = element('p', { className: 'error-banner' }, message);
  line.setAttribute('role', 'alert');
  return line;
}

const banners = new WeakMap<Element, Banner>();

/** Shows an error banner right after `anchor` (one per anchor): for places with no slot of their own. */
export function showErrorAfter(anchor: Element, message: string): void {
  let shown = banners.get(anchor);
  if (!shown) {
    const slot = element('div');
    anchor.after(slot);
    shown = banner(slot);
    banners.set(anchor, shown);
  }
  shown.show(message);
}

export const TOAST_MS = 10_000;

let region: HTMLElement | undefined;

/**
 * The toasts' live region. Created before the first toast (a region that appears together with
 * its text is often not announced); pages that will toast call this at start-up.
 */
export function toastRegion(): HTMLElement {
  if (!region || !region.isConnected) {
    region = element('div', { className: 'toasts', id: 'toasts' });
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    document.body.append(region);
  }
  return region;
}

export type ToastOptions = {
  /** One action (Undo); running it closes the toast. */
  action?: { label: string; run(): void | Promise<void> };
  /** Move the focus to the action (when what had the focus is gone, as after a delete). */
  focusAction?: boolean;
  /** Where the focus goes if it was in the toast when it closes. */
  returnFocus?: () => void;
  timeoutMs?: number;
};

export type Toast = { close(): void; element: HTMLElement };

export function toast(message: string, options: ToastOptions = {}): Toast {
  const host = toastRegion();
  const box = element('div', { className: 'toast' }, element('span', { className: 'toast-text' }, message));
  let timer: number | undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    window.clearTimeout(timer);
    const hadFocus = box.contains(document.activeElement);
    box.remove();
    if (hadFocus) options.returnFocus?.();
  };
  let actionButton: HTMLButtonElement | undefined;
  if (options.action) {
    const { label, run } = options.action;
    actionButton = element('button', { type: 'button', className: 'toast-action' }, label);
    actionButton.addEventListener('click', () => {
      close();
      void run();
    });
    box.append(' ', actionButton);
  }
  const dismiss = element('button', { type: 'button', className: 'toast-dismiss' }, '×');
  dismiss.setAttribute('aria-label', 'Dismiss');
  dismiss.addEventListener('click', close);
  box.append(dismiss);
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  // The time runs only while nobody is on the toast (WCAG 2.2.1: a time limit one can pause).
  let hovered = false;
  const run = () => {
    window.clearTimeout(timer);
    if (hovered || box.contains(document.activeElement)) return;
    timer = window.setTimeout(close, options.timeoutMs ?? TOAST_MS);
  };
  box.addEventListener('pointerenter', () => ((hovered = true), window.clearTimeout(timer)));
  box.addEventListener('pointerleave', () => ((hovered = false), run()));
  box.addEventListener('focusin', () => window.clearTimeout(timer));
  box.addEventListener('focusout', (event) => {
    if (!box.contains(event.relatedTarget as Node | null)) queueMicrotask(run);
  });

  // One toast at a time: a newer one says what happened last.
  host.replaceChildren(box);
  if (options.focusAction && actionButton) actionButton.focus();
  run();
  return { close, element: box };
}

export type InlineConfirm = { message: string; confirm: string; cancel: string };

/**
 * Asks right next to `anchor` (a button): the message and two buttons, the confirming one
 * focused. Esc or the cancel button says no. The focus returns to `anchor` either way.
 */
export function confirmInline(anchor: HTMLButtonElement, { message, confirm, cancel }: InlineConfirm): Promise<boolean> {
  return new Promise((resolve) => {
    const yes = element('button', { type: 'button', className: 'confirm-yes' }, confirm);
    const no = element('button', { type: 'button', className: 'confirm-no' }, cancel);
    const box = element('span', { className: 'inline-confirm' }, element('span', { className: 'confirm-text' }, message), ' ', yes, ' ', no);
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', message);
    const done = (answer: boolean) => {
      box.remove();
      anchor.disabled = false;
      anchor.focus();
      resolve(answer);
    };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        done(false);
      }
    });
    anchor.disabled = true;
    anchor.after(box);
    yes.focus();
  });
}
