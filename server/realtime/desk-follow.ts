import type { Server, Socket } from 'socket.io';
import { deskFollowPayload, type Actor, type NewsroomClientToServer, type NewsroomServerToClient, type SubscribeAck } from '../../contract/index.js';
import type { Stores } from '../services/context.js';
import type { DeskChanges } from '../services/draft-post-gate.js';
import type { LoggedChange } from '../store/changes.js';
import { SOCKET_REPLAY_LIMIT, SOCKET_REPLAY_MAX_BYTES } from './source.js';

/**
 * `desk:follow` on the newsroom socket (issue 17, post-level draft). The readers' socket knows no
 * draft post (its subscribe answers not-found, as for any unknown slug), so a draft post's desk
 * follows the post's change log here: signed-in people only (the newsroom socket's handshake, and
 * the session checked again on every follow), on the primary only (nginx sends
 * `/newsroom/socket.io/` there; fan-out nodes never build it). The protocol is the readers'
 * subscribe: the missed changes as one `changes` message, then every change as `change`, and the
 * same ack, so the desk's LiveSync follows either socket alike. Every committed change of a
 * followed post comes here (services/draft-post-gate.ts), a draft post's and a public one's.
 *
 * Room: `follow:<postId>`, newsroom-only, on this server alone.
 */

type SocketData = { actor: Actor; secret: string };
type FollowServer = Server<NewsroomClientToServer, NewsroomServerToClient, Record<string, never>, SocketData>;
type FollowSocket = Socket<NewsroomClientToServer, NewsroomServerToClient, Record<string, never>, SocketData>;

const followRoom = (postId: number) => `follow:${postId}`;

export class DeskFollow implements DeskChanges {
  constructor(
    private readonly io: FollowServer,
    private readonly stores: Stores,
  ) {}

  change(logged: LoggedChange): void {
    this.io.to(followRoom(logged.postId)).emit('change', logged.change);
  }

  /** `signedIn`: the socket's person as their session says now (undefined once it ended). */
  serve(socket: FollowSocket, signedIn: () => Actor | undefined): void {
    socket.on('desk:follow', (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = deskFollowPayload.safeParse(payload);
      if (!parsed.success) return reply(refused('invalid-payload', parsed.error.issues[0]?.message ?? 'invalid payload'));
      if (!signedIn()) {
        reply(refused('not-found', 'Sign in again to follow this post.'));
        return void socket.disconnect(true);
      }
      // Synchronous from here (SQLite): no change can be published between the replay and the join.
      const post = this.stores.posts.bySlugOrFormerIncludingDrafts(parsed.data.slug);
      if (!post) return reply(refused('not-found', `The post "${parsed.data.slug}" does not exist.`));
      const { since } = parsed.data;
      if (since !== undefined && since < post.lastSeq) socket.emit('changes', this.stores.changes.since(post.id, since, SOCKET_REPLAY_LIMIT, SOCKET_REPLAY_MAX_BYTES));
      void socket.join(followRoom(post.id));
      reply({ ok: true, lastSeq: post.lastSeq });
    });
  }
}

function refused(code: 'invalid-payload' | 'not-found', message: string): SubscribeAck {
  return { ok: false, error: { code, message } };
}
