/**
 * Holds a reader's socket writes until the current burst of work is done, so that what one step
 * of the join sends goes out in one write instead of several.
 *
 * A rejoining reader costs the server a handful of small writes: the 101 Switching Protocols and
 * engine.io's open packet, the Socket.IO connect packet, then the replay and the subscribe ack.
 * Each is a syscall and, on a proxy's or a loopback socket, the kernel's delivery of it too: at
 * 10,000 readers rejoining after a restart, a sizeable share of the herd's CPU (bench/README.md,
 * herd). Node's `cork()` buffers writes until `uncork()`, which sends them with one `writev`; order
 * is kept, since everything still goes through the same stream in the order it was written.
 */

type Corkable = { cork(): void; uncork(): void; readonly destroyed?: boolean };

/**
 * Corks `socket` until the event loop's check phase: the writes made by this I/O callback and the
 * promise reactions it starts (engine.io's handshake awaits once before it sends the open packet)
 * leave together. Only for a handshake already accepted: engine.io refuses one by writing its
 * answer and destroying the socket at once, which would discard a corked answer.
 */
export function holdUntilIdle(socket: Corkable): void {
  socket.cork();
  setImmediate(() => {
    if (!socket.destroyed) socket.uncork();
  });
}
