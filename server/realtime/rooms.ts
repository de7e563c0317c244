/**
 * The names of Socket.IO rooms, in one place. A post's readers share the room `post:<id>`; the
 * subscription handler joins it, the publisher and the Redis adapter deliver to it, presence
 * counts it. Had each of them spelled the name, a change to one spelling would silently deliver
 * changes to nobody, so every one of them goes through `roomOf` and its inverse `postIdOfRoom`.
 */

const POST_ROOM = /^post:(\d+)$/;

/** The room of a post's readers. */
export function roomOf(postId: number): string {
  return `post:${postId}`;
}

/** The post whose readers share `room`; undefined for any other room (a socket's own, a node's). */
export function postIdOfRoom(room: string): number | undefined {
  const match = POST_ROOM.exec(room);
  return match ? Number(match[1]) : undefined;
}

const DESK_ROOM = /^desk:(\d+)$/;

/**
 * The newsroom sockets following a post (the composer's desk). They are in the post's room too,
 * to receive its changes; presence subtracts this room so that editors are not counted as readers.
 */
export function deskRoomOf(postId: number): string {
  return `desk:${postId}`;
}

/** The post whose desk sockets share `room`; undefined for any other room. */
export function postIdOfDeskRoom(room: string): number | undefined {
  const match = DESK_ROOM.exec(room);
  return match ? Number(match[1]) : undefined;
}

/** The room holding every socket of one node (the primary excludes it when it emits through Redis). */
export function nodeRoom(nodeId: string): string {
  return `node:${nodeId}`;
}
