import { io, type Socket } from 'socket.io-client';
import type { DeskJoinAck, DeskPresence, Draft, DraftGone, NewsroomClientToServer, NewsroomServerToClient } from '../../contract/index.js';

/**
 * The desk's line to the newsroom socket (`/newsroom/socket.io/`, issue 17): the drafts of the
 * post, the review queue and who is at the desk, live. It is not the readers' socket (that one
 * carries the public change log, client/live-sync.ts): this one needs the session cookie, which
 * the browser sends to its own origin. On every (re)connection it joins the post again, and the
 * join's answer carries the drafts as they are now, so nothing missed while away stays missing.
 */
export type NewsroomEvents = {
  /** All the drafts this person may see, on (re)joining. */
  drafts(drafts: Draft[]): void;
  draft(draft: Draft): void;
  gone(gone: DraftGone): void;
  presence(presence: DeskPresence): void;
};

export type NewsroomLine = { typing(typing: boolean): void };

export function connectNewsroom(slug: () => string, on: NewsroomEvents): NewsroomLine {
  const socket: Socket<NewsroomServerToClient, NewsroomClientToServer> = io({ path: '/newsroom/socket.io', transports: ['websocket', 'polling'] });
  const join = () =>
    socket.emit('desk:join', { slug: slug() }, (ack: DeskJoinAck) => {
      if (ack.ok) on.drafts(ack.drafts);
    });
  socket.on('connect', join);
  socket.on('draft', (draft) => on.draft(draft));
  socket.on('draft.gone', (gone) => on.gone(gone));
  socket.on('desk.presence', (presence) => on.presence(presence));
  return {
    typing: (typing) => {
      // Volatile: a typing signal that cannot go now is stale by the next one.
      if (socket.connected) socket.volatile.emit('desk:typing', { slug: slug(), typing });
    },
  };
}
