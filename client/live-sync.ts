import type { Change, ClientToServer, NewsroomClientToServer, NewsroomServerToClient, ServerToClient } from '../contract/index.js';
import { io, type Socket } from 'socket.io-client';
import { changesSince } from './api-client.js';
import { crowdWindowMs, reconnectDelay, RECONNECT_DEFAULTS } from './reconnect.js';

/**
 * Follows one post's change log, for the reader page and the newsroom's composer alike. Every
 * change carries the post's `seq`: a change is applied only when it is exactly the next one, a
 * gap is fetched over HTTP, and every (re)connect subscribes again with `since`, so changes are
 * applied exactly once whatever the network, the server or a sleeping laptop does.
 *
 * When the socket cannot connect at all, the page does not go dead: it polls the same change log
 * over HTTP every 5 to 10 seconds and says "Live (slower updates)". That is what a reader gets
 * behind an address already holding SOCKET_MAX_CONNECTIONS_PER_IP sockets (a venue's Wi-Fi, a
 * carrier-grade NAT), and also behind a proxy that blocks WebSockets or while the socket servers
 * restart. The polls ask with `poll=1`, which the server lets nginx cache for a second, so a
 * thousand such readers cost the primary about one request a second. Meanwhile the socket keeps
 * retrying (at most once a minute while HTTP answers), and the page is fully live again as soon
 * as it connects. Retries follow reconnect.ts: full jitter within a window sized to the crowd
 * (1 s, up to 5 s for a large one) for the first 10 s after the loss, then widening to 5 s.
 */
export type LiveSyncOptions = {
  slug: string;
  /** The seq the page already shows (rendered by the server or loaded over HTTP). */
  lastSeq: number;
  apply(change: Change): void;
  /**
   * 'Connecting…', 'Live', 'Reconnecting…', 'Offline' or a sentence saying why not (in `labels`'
   * words), with the state it names.
   */
  connection(text: string, state: ConnectionState): void;
  /** The words for each state, in the page's language; English (the newsroom's) by default. */
  labels?: ConnectionLabels;
  presence?(readers: number): void;
  /** The newsroom's desk: followed like a reader, not counted as one. */
  desk?: boolean;
  /**
   * Follow over the newsroom socket (`desk:follow`, session only) instead of the readers' one:
   * a draft post's desk (issue 17), which the readers' socket does not know.
   */
  newsroom?: boolean;
  /**
   * Handed the socket once, to listen to the events that are not changes (issue 19's
   * `reactions`) and to its `connect` (refresh what the page may have missed while away).
   */
  onSocket?(socket: Socket<ServerToClient, ClientToServer>): void;
};

export type ConnectionState = 'connecting' | 'live' | 'slower' | 'reconnecting' | 'offline' | 'unavailable';
/** The text of each state; `unavailable` says why, with `{reason}` (the server's message). */
export type ConnectionLabels = Record<ConnectionState, string>;

const RETRY_MS = [500, 1000, 2000, 5000, 10000];
const retryDelay = (attempt: number) => RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;

/** The states a page shows when it follows the post. */
export const LIVE = 'Live';
/** Following over HTTP polls: every change still arrives, seconds later. */
export const LIVE_SLOWER = 'Live (slower updates)';
export const ENGLISH_LABELS: ConnectionLabels = {
  connecting: 'Connecting…',
  live: LIVE,
  slower: LIVE_SLOWER,
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  unavailable: 'Live updates unavailable: {reason}',
};

/** Spread over a range, so that a crowd whose sockets failed together does not poll in step. */
const jittered = (min: number, spread: number) => min + Math.random() * spread;
/** The first poll once the socket failed to connect, then one every 5 to 10 s. */
const firstPollDelay = () => jittered(1000, 2000);
const pollDelay = () => jittered(5000, 5000);
/** The ceiling between reconnection attempts (reconnect.ts), and the one while polling answers. */
const RECONNECT_MAX_MS = RECONNECT_DEFAULTS.capMs;
const POLLING_RECONNECT_MAX_MS = 60_000;

export class LiveSync {
  private seq: number;
  private catchingUp = false;
  private pending: Change[] = [];
  /** Ask for the replay as one `changes` message (see subscribe()). */
  private batch = true;
  private readonly socket: Socket<ServerToClient, ClientToServer>;
  /** The next HTTP poll, while the socket cannot connect. */
  private pollTimer: number | undefined;
  /** Counts polling spells, so that a poll still in flight when one ends never starts a second loop. */
  private pollSpell = 0;
  /** Whether the last HTTP poll got an answer. */
  private pollAnswered = false;
  /** Reconnection is this class's (full jitter, reconnect.ts), not socket.io-client's fixed backoff. */
  private reconnectAttempt = 0;
  private reconnectTimer: number | undefined;
  private reconnectCapMs = RECONNECT_MAX_MS;
  /** When the connection was lost (or the first attempt failed): reconnect.ts holds the window short for a while after. */
  private lostAt: number | undefined;
  /** The post's readers as the last `presence` said: the held window is sized to them (crowdWindowMs). */
  private crowd: number | undefined;

  private readonly labels: ConnectionLabels;

  constructor(private readonly options: LiveSyncOptions) {
    this.seq = options.lastSeq;
    this.labels = options.labels ?? ENGLISH_LABELS;
    this.socket = options.newsroom
      ? // The same protocol (`changes`, `change`, the subscribe ack) under another path and event name (see subscribe()).
        (io({ path: '/newsroom/socket.io', transports: ['websocket', 'polling'], reconnection: false }) as unknown as Socket<ServerToClient, ClientToServer>)
      : io({ transports: ['websocket', 'polling'], reconnection: false });
    this.socket.on('connect', () => {
      this.reconnectAttempt = 0;
      this.lostAt = undefined;
      this.stopPolling();
      this.subscribe();
    });
    // A refused or failed handshake (every attempt): follow over HTTP until the socket is back.
    this.socket.on('connect_error', () => {
      this.startPolling();
      this.scheduleReconnect();
    });
    this.socket.on('disconnect', (reason) => {
      this.showDown();
      // Lost (a restart, a crashed node, the network) or disconnected on purpose by a server
      // shutting down: come back after a jittered pause, so a herd does not knock all at once.
      if (reason !== 'io client disconnect') this.scheduleReconnect();
    });
    this.socket.on('change', (change) => this.receive(change));
    // What the page missed comes as one message right after subscribing (see subscribe()).
    this.socket.on('changes', (changes) => {
      for (const change of changes) this.receive(change);
    });
    this.socket.on('presence', (presence) => {
      if (presence.slug !== options.slug) return;
      this.crowd = presence.readers;
      options.presence?.(presence.readers);
    });
    window.addEventListener('offline', () => this.show('offline'));
    window.addEventListener('online', () => {
      if (this.socket.connected) this.show('live');
      else this.showDown();
      void this.catchUp();
    });
    // Background tabs and sleeping laptops can miss a beat without noticing: check on return.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      if (!this.socket.connected) this.reconnectNow();
      void this.catchUp();
    });
    options.onSocket?.(this.socket);
    this.show('connecting');
  }

  /** The next attempt, after reconnectDelay(attempt): one timer at a time. */
  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined || this.socket.connected) return;
    this.lostAt ??= Date.now();
    // Refused on purpose while HTTP polling answers (the per-address cap): nothing held, up to a minute apart.
    const holdMs = this.reconnectCapMs === RECONNECT_MAX_MS ? RECONNECT_DEFAULTS.holdMs : 0;
    const delay = reconnectDelay(
      this.reconnectAttempt++,
      { ...RECONNECT_DEFAULTS, capMs: this.reconnectCapMs, holdMs },
      Math.random,
      Date.now() - this.lostAt,
      crowdWindowMs(this.crowd),
    );
    this.reconnectTimer = window.setTimeout(() => this.reconnectNow(), delay);
  }

  private reconnectNow(): void {
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.socket.connected) return;
    this.showDown();
    this.socket.connect();
    // A connection that opens and closes again before the handshake (a proxy or a node dying
    // mid-accept) is no error to socket.io-client: it would wait its 20 s connect timeout. Count
    // it as a failed attempt, so that the next one comes after the usual jittered pause.
    const engine = this.socket.io.engine;
    engine?.once('close', () => {
      if (this.socket.connected || this.socket.io.engine !== engine) return;
      this.socket.disconnect();
      this.startPolling();
      this.scheduleReconnect();
    });
  }

  private show(state: ConnectionState, reason = ''): void {
    this.options.connection(this.labels[state].replace('{reason}', reason), state);
  }

  private showDown(): void {
    if (this.pollTimer !== undefined && this.pollAnswered && navigator.onLine) this.show('slower');
    else this.show(navigator.onLine ? 'reconnecting' : 'offline');
  }

  /**
   * Follows the change log over HTTP until the socket connects. Once a poll is answered while
   * the socket is refused, the refusal is deliberate (the per-address cap, a proxy without
   * WebSockets), and the socket retries less often, up to once a minute: a crowd over the cap
   * would otherwise knock every few seconds on a door that stays shut. While the server is away
   * altogether (a restart), polls fail too and the socket keeps its usual pace.
   */
  private startPolling(): void {
    if (this.pollTimer !== undefined || this.socket.connected) return;
    const spell = ++this.pollSpell;
    const poll = async () => {
      const answered = await this.catchUp(true);
      // The socket connected meanwhile: it has taken over (stopPolling ended this spell).
      if (spell !== this.pollSpell || this.pollTimer === undefined) return;
      if (answered) this.reconnectCapMs = POLLING_RECONNECT_MAX_MS;
      this.pollAnswered = answered;
      this.showDown();
      this.pollTimer = window.setTimeout(() => void poll(), pollDelay());
    };
    this.pollTimer = window.setTimeout(() => void poll(), firstPollDelay());
  }

  private stopPolling(): void {
    this.pollSpell++;
    window.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.pollAnswered = false;
    this.reconnectCapMs = RECONNECT_MAX_MS;
  }

  private subscribe(attempt = 0): void {
    if (this.options.newsroom) {
      this.followDesk(attempt);
      return;
    }
    const since = this.seq;
    const batch = this.batch;
    const desk = batch && this.options.desk === true;
    this.socket.emit('subscribe', { slug: this.options.slug, since, ...(batch ? { batch } : {}), ...(desk ? { desk } : {}) }, (ack) => {
      // A node still running a version before `batch` or `desk` (a rolling upgrade) refuses the
      // keys: subscribe the old way, with the missed changes as `change` events (counted as a reader).
      if (!ack.ok && ack.error.code === 'invalid-payload' && batch) {
        this.batch = false;
        this.subscribe(attempt);
        return;
      }
      if (!ack.ok) {
        this.show('unavailable', ack.error.message);
        // A passing server problem (busy database, overload) is retried; a wrong slug is not.
        if (ack.error.code !== 'not-found' && ack.error.code !== 'invalid-payload' && this.socket.connected) {
          window.setTimeout(() => this.subscribe(attempt + 1), retryDelay(attempt));
        }
        return;
      }
      this.show('live');
      // The server's log is behind what this page showed (a restored backup): start afresh.
      if (ack.lastSeq < since) {
        window.location.reload();
        return;
      }
      // The socket replays a bounded number of missed changes; anything beyond comes over HTTP.
      if (ack.lastSeq > this.seq) void this.catchUp();
    });
  }

  /** subscribe() on the newsroom socket: `desk:follow`, with the same ack. */
  private followDesk(attempt: number): void {
    const socket = this.socket as unknown as Socket<NewsroomServerToClient, NewsroomClientToServer>;
    socket.emit('desk:follow', { slug: this.options.slug, since: this.seq }, (ack) => {
      if (!ack.ok) {
        this.show('unavailable', ack.error.message);
        if (ack.error.code !== 'not-found' && ack.error.code !== 'invalid-payload' && this.socket.connected) window.setTimeout(() => this.followDesk(attempt + 1), retryDelay(attempt));
        return;
      }
      this.show('live');
      if (ack.lastSeq > this.seq) void this.catchUp();
    });
  }

  private receive(change: Change): void {
    if (this.catchingUp) {
      this.pending.push(change);
      return;
    }
    if (change.seq <= this.seq) return;
    if (change.seq === this.seq + 1) {
      this.apply(change);
      return;
    }
    this.pending.push(change);
    void this.catchUp();
  }

  /**
   * Fetches every change after lastSeq over HTTP, then drains what arrived meanwhile. A catch-up
   * after a gap retries until it succeeds; a poll (`poll`) tries once, and resolves whether it
   * got an answer (true too when a catch-up is already under way).
   */
  private async catchUp(poll = false): Promise<boolean> {
    if (this.catchingUp) return true;
    this.catchingUp = true;
    let answered = true;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.fetchMissing(poll);
          break;
        } catch {
          if (poll) {
            answered = false;
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, retryDelay(attempt)));
        }
      }
    } finally {
      this.catchingUp = false;
    }
    const buffered = this.pending.sort((a, b) => a.seq - b.seq);
    this.pending = [];
    for (const change of buffered) this.receive(change);
    return answered;
  }

  private async fetchMissing(poll: boolean): Promise<void> {
    for (;;) {
      // A dead connection after sleep must not hold every live change in `pending` for minutes.
      const body = await changesSince(this.options.slug, this.seq, AbortSignal.timeout(10_000), poll);
      for (const change of body.changes) {
        if (change.seq === this.seq + 1) this.apply(change);
      }
      if (body.changes.length === 0 || this.seq >= body.lastSeq) return;
    }
  }

  private apply(change: Change): void {
    this.seq = change.seq;
    this.options.apply(change);
  }
}
