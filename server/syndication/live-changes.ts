/**
 * The live side of Server-Sent Events on one node: every change this node delivers to its Socket.IO
 * readers is also handed here, once, and fanned out to the SSE streams following that post.
 *
 * The primary feeds it from its publisher (after COMMIT, the change log's stored JSON); a fan-out
 * node from what reaches its feed (the Redis stream, or its HTTP catch-up from the primary), at the
 * same point where its sockets get the change. A listener must never throw into the publisher: a
 * failing stream is its own problem (it closes, its client reconnects with Last-Event-ID).
 */

/** One change as the SSE frame carries it: seq, kind, and the /changes row's JSON. */
export type LiveChange = { readonly seq: number; readonly json: string };
export type LiveListener = (change: LiveChange) => void;

export class LiveChanges {
  private readonly listeners = new Map<number, Set<LiveListener>>();

  /** Follows one post; returns the function that stops following. */
  listen(postId: number, listener: LiveListener): () => void {
    let set = this.listeners.get(postId);
    if (!set) this.listeners.set(postId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(postId) === set) this.listeners.delete(postId);
    };
  }

  /** Whether anyone follows the post (a fan-out node then skips serializing a change for nobody). */
  followed(postId: number): boolean {
    return this.listeners.has(postId);
  }

  /** Hands a change to every stream of the post; `json` may be built lazily (once) by the caller. */
  deliver(postId: number, seq: number, json: string | (() => string)): void {
    const set = this.listeners.get(postId);
    if (!set) return;
    const change: LiveChange = { seq, json: typeof json === 'string' ? json : json() };
    for (const listener of [...set]) {
      try {
        listener(change);
      } catch {
        // A stream that fails closes itself; the others and the publisher go on.
      }
    }
  }
}
