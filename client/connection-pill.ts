import type { ConnectionState as SyncState } from './live-sync.js';
import { ui } from './i18n.js';
import { announceStatus } from './status-announcer.js';

/**
 * The connection, apart from the post's status: a live post that is followed normally says
 * nothing about the network; only a degraded connection ("Reconnecting…", "Offline", "Live
 * (slower updates)", a refused subscription) shows, as a pill fixed to the viewport, so a reader
 * scrolled far down on a phone sees it too (inline in the embed, whose frame is as tall as its
 * content). It goes away as soon as the page is live again.
 *
 * The hook for tests and monitoring is `#connection[data-state]`: connecting | live | slower |
 * reconnecting | offline | down. The element always holds the state's words (hidden when the
 * state is not worth showing), so `toHaveText('Live')` and `[data-state="live"]` both work.
 */

export type ConnectionState = 'connecting' | 'live' | 'slower' | 'reconnecting' | 'offline' | 'down';

/** Shown only in these states: the others are what a reader expects and need no words. */
const DEGRADED: ReadonlySet<ConnectionState> = new Set(['slower', 'reconnecting', 'offline', 'down']);

/** LiveSync's state, as the pill names it (a refused subscription, `unavailable`, is `down`). */
export function connectionState(state: SyncState): ConnectionState {
  return state === 'unavailable' ? 'down' : state;
}

/** The `connection` callback of LiveSync for the reader page and the embed. */
export function connectionPill(): (text: string, state: SyncState) => void {
  let shown: ConnectionState = 'connecting';
  let degraded = false;
  return (text, syncState) => {
    const pill = document.getElementById('connection');
    if (!pill) return;
    const state = connectionState(syncState);
    pill.textContent = text;
    pill.dataset.state = state;
    pill.hidden = !DEGRADED.has(state);
    if (state === shown) return;
    shown = state;
    // Changes of state are announced once; the first "Connecting…" → "Live" is not news.
    if (DEGRADED.has(state)) {
      degraded = true;
      announceStatus(state === 'slower' ? ui.t('reader.connection.slowerExplained') : text);
    } else if (state === 'live' && degraded) {
      degraded = false;
      announceStatus(ui.t('reader.connection.back'));
    }
  };
}
