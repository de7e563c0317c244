import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { Server, type Socket } from 'socket.io';
import {
  deskJoinPayload,
  deskTypingPayload,
  type Actor,
  type DeskPresence,
  type Draft,
  type DraftGone,
  type NewsroomClientToServer,
  type NewsroomServerToClient,
} from '../../contract/index.js';
import { hasRole } from '../domain/roles.js';
import type { DeskNotifier } from '../services/drafts.js';
import type { Stores } from '../services/context.js';
import type { SocketGuards } from './guards.js';
import { DeskFollow } from './desk-follow.js';

/**
 * The newsroom's own socket (issue 17), beside the readers' and apart from it: its own path
 * (`/newsroom/socket.io/`, which nginx sends to the primary), its own Socket.IO server, and
 * only signed-in people (the session cookie, checked at the handshake and again on every join).
 * It carries what readers must never get: drafts, the review queue, and who is at a post's desk
 * and writing. Nothing of it touches the readers' rooms, so no reader socket can join it by
 * asking, and the reader count never includes a desk. Fan-out nodes never build it.
 *
 * Rooms (newsroom-only names, on this server alone):
 * - `desk:<postId>`: every desk following the post: who is here.
 * - `staff:<postId>`: the desks of authors and above: every draft of the post.
 * - `person:<userId>`: all of one person's sockets: their own drafts (a contributor's only view).
 * - `follow:<postId>`: the desks following the post's change log (`desk:follow`, desk-follow.ts).
 */

export const NEWSROOM_SOCKET_PATH = '/newsroom/socket.io';

const SESSION_COOKIE = 'liveline_session';
/** A typing signal lasts this long unless renewed (the client renews it every ~2 s while typing). */
const TYPING_TTL_MS = 5000;
/** Presence of one post is sent at most this often. */
const PRESENCE_EVERY_MS = 250;

type SocketData = { actor: Actor; secret: string };
type NewsroomServer = Server<NewsroomClientToServer, NewsroomServerToClient, Record<string, never>, SocketData>;
type DeskSocket = Socket<NewsroomClientToServer, NewsroomServerToClient, Record<string, never>, SocketData>;

const deskRoom = (postId: number) => `desk:${postId}`;
const staffRoom = (postId: number) => `staff:${postId}`;
const personRoom = (userId: number) => `person:${userId}`;

type Here = { actor: Actor; typingUntil: number };

export type NewsroomSocketOptions = {
  httpServer: HttpServer;
  stores: Stores;
  guards: Pick<SocketGuards, 'isOriginAllowed' | 'limitEvents'>;
  log: FastifyBaseLogger;
  /** The drafts of a post this person may see (sent with a join). */
  draftsFor: (actor: Actor, postId: number) => Draft[];
  clock?: () => number;
  /**
   * How often every connected socket's session is checked again (default 15 s): a person signed
   * out, disabled or made a contributor stops getting what they may no longer see.
   */
  revalidateMs?: number;
};

export class NewsroomSocket implements DeskNotifier {
  readonly io: NewsroomServer;
  /** Per post: who is at its desk, per socket. */
  private readonly here = new Map<number, Map<string, Here>>();
  private readonly pending = new Map<number, NodeJS.Timeout>();
  private readonly expiries = new Map<number, NodeJS.Timeout>();
  private readonly now: () => number;
  private readonly revalidation: NodeJS.Timeout;
  /** `desk:follow`: the post's change log for its desks, a draft post's too (issue 17). */
  readonly follow: DeskFollow;

  constructor(private readonly options: NewsroomSocketOptions) {
    this.now = options.clock ?? Date.now;
    this.io = new Server(options.httpServer, {
      path: NEWSROOM_SOCKET_PATH,
      serveClient: false,
      maxHttpBufferSize: 4 * 1024,
      // The readers' server shares the HTTP server: an upgrade for its path is not ours to end.
      destroyUpgrade: false,
      allowRequest: (request, callback) => {
        if (!options.guards.isOriginAllowed(request)) return callback('origin not allowed', false);
        callback(null, true);
      },
    });
    this.io.use((socket, next) => {
      const secret = sessionSecret(socket.request);
      const actor = secret ? this.actorOf(secret) : undefined;
      if (!secret || !actor) return next(new Error('unauthenticated'));
      socket.data = { actor, secret };
      next();
    });
    this.follow = new DeskFollow(this.io, options.stores);
    this.io.on('connection', (socket) => {
      options.guards.limitEvents(socket);
      this.serve(socket);
    });
    this.revalidation = setInterval(() => this.revalidate(), options.revalidateMs ?? 15_000);
    this.revalidation.unref();
  }

  /** Drops the sockets whose session ended; takes a socket whose person lost the author role out of the staff rooms (the timer's tick). */
  revalidate(): void {
    for (const socket of this.io.of('/').sockets.values()) {
      const actor = this.actorOf(socket.data.secret);
      if (!actor) {
        socket.disconnect(true);
        continue;
      }
      socket.data.actor = actor;
      if (!hasRole(actor, 'author')) for (const room of [...socket.rooms]) if (room.startsWith('staff:')) void socket.leave(room);
    }
  }

  // --- DeskNotifier: after COMMIT, from the drafts service

  draft(draft: Draft): void {
    this.io.to([staffRoom(draft.postId), personRoom(draft.author.id)]).emit('draft', draft);
  }

  gone(gone: DraftGone): void {
    // Every desk of the post may hold it (a contributor only their own, which is harmless to name by id).
    this.io.to([staffRoom(gone.postId), deskRoom(gone.postId)]).emit('draft.gone', gone);
  }

  /** Who is at a post's desk now (for tests and the metrics of the future). */
  presence(postId: number, slug: string): DeskPresence {
    const people = new Map<number, DeskPresence['people'][number]>();
    const now = this.now();
    for (const { actor, typingUntil } of this.here.get(postId)?.values() ?? []) {
      const known = people.get(actor.id);
      const typing = typingUntil > now || (known?.typing ?? false);
      people.set(actor.id, { id: actor.id, name: actor.name, role: actor.role, typing });
    }
    return { slug, people: [...people.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id) };
  }

  async close(): Promise<void> {
    clearInterval(this.revalidation);
    for (const timer of [...this.pending.values(), ...this.expiries.values()]) clearTimeout(timer);
    this.io.engine.close();
  }

  private actorOf(secret: string): Actor | undefined {
    const session = this.options.stores.sessions.lookup(secret, new Date().toISOString());
    return session && hasRole(session.actor, 'contributor') ? session.actor : undefined;
  }

  private serve(socket: DeskSocket): void {
    void socket.join(personRoom(socket.data.actor.id));
    this.follow.serve(socket, () => this.actorOf(socket.data.secret));
    socket.on('desk:join', (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = deskJoinPayload.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: 'invalid-payload' });
      // The session may have ended (signed out, disabled) since the handshake.
      const actor = this.actorOf(socket.data.secret);
      if (!actor) {
        reply({ ok: false, error: 'unauthenticated' });
        return void socket.disconnect(true);
      }
      socket.data.actor = actor;
      // The newsroom's: a draft post's desk too (issue 17).
      const post = this.options.stores.posts.bySlugIncludingDrafts(parsed.data.slug);
      if (!post) return reply({ ok: false, error: 'not-found' });
      void socket.join(hasRole(actor, 'author') ? [deskRoom(post.id), staffRoom(post.id)] : deskRoom(post.id));
      this.at(post.id).set(socket.id, { actor, typingUntil: 0 });
      this.changed(post.id);
      reply({ ok: true, drafts: this.options.draftsFor(actor, post.id) });
    });
    socket.on('desk:leave', (payload) => {
      const parsed = deskJoinPayload.safeParse(payload);
      const post = parsed.success ? this.options.stores.posts.bySlugIncludingDrafts(parsed.data.slug) : undefined;
      if (post) this.leave(socket, post.id);
    });
    socket.on('desk:typing', (payload) => {
      const parsed = deskTypingPayload.safeParse(payload);
      const post = parsed.success ? this.options.stores.posts.bySlugIncludingDrafts(parsed.data.slug) : undefined;
      const here = post && this.here.get(post.id)?.get(socket.id);
      if (!post || !here || !parsed.success) return;
      const wasTyping = here.typingUntil > this.now();
      here.typingUntil = parsed.data.typing ? this.now() + TYPING_TTL_MS : 0;
      if (parsed.data.typing) this.expireLater(post.id);
      if (wasTyping !== parsed.data.typing) this.changed(post.id);
    });
    // `disconnecting`: the rooms are still known.
    socket.on('disconnecting', () => {
      for (const [postId, sockets] of this.here) if (sockets.has(socket.id)) this.leave(socket, postId);
    });
  }

  private leave(socket: DeskSocket, postId: number): void {
    void socket.leave(deskRoom(postId));
    void socket.leave(staffRoom(postId));
    const sockets = this.here.get(postId);
    if (!sockets?.delete(socket.id)) return;
    if (sockets.size === 0) this.here.delete(postId);
    this.changed(postId);
  }

  private at(postId: number): Map<string, Here> {
    let sockets = this.here.get(postId);
    if (!sockets) this.here.set(postId, (sockets = new Map()));
    return sockets;
  }

  /** A typing signal nobody renews ends by itself: presence is sent again when it does. */
  private expireLater(postId: number): void {
    clearTimeout(this.expiries.get(postId));
    const timer = setTimeout(() => {
      this.expiries.delete(postId);
      this.changed(postId);
    }, TYPING_TTL_MS + 50);
    timer.unref();
    this.expiries.set(postId, timer);
  }

  /** Sends the post's presence to its desks, at most every PRESENCE_EVERY_MS; volatile (the next one supersedes it). */
  private changed(postId: number): void {
    if (this.pending.has(postId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(postId);
      const post = this.options.stores.posts.byId(postId);
      if (post) this.io.to(deskRoom(postId)).volatile.emit('desk.presence', this.presence(postId, post.slug));
    }, PRESENCE_EVERY_MS);
    timer.unref();
    this.pending.set(postId, timer);
  }
}

/** The session secret in the handshake's cookies (the browser sends them to its own origin). */
function sessionSecret(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
