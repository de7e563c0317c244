/**
 * What a post's live edge renders to (page HTML, API JSON), by post id. Every change to a post or
 * its entries bumps the post's lastSeq in the same transaction, so (id, lastSeq) names the output
 * exactly, as the ETags already assume. Rendering 50 entries on every request held the page and the
 * API to a fraction of static-file throughput (bench/README.md). Bounded: the most recent posts.
 */
export class LiveEdgeCache<T> {
  private readonly items = new Map<number, { lastSeq: number; value: T }>();

  constructor(private readonly maxPosts = 100) {}

  get(postId: number, lastSeq: number): T | undefined {
    const item = this.items.get(postId);
    return item?.lastSeq === lastSeq ? item.value : undefined;
  }

  set(postId: number, lastSeq: number, value: T): void {
    this.items.delete(postId);
    // A Map iterates oldest first: drop the least recently stored post.
    if (this.items.size >= this.maxPosts) this.items.delete(this.items.keys().next().value as number);
    this.items.set(postId, { lastSeq, value });
  }
}
