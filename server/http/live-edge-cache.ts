/**
 * What a post's live edge renders to (page HTML, API JSON). Every change to a post or its entries
 * bumps the post's lastSeq in the same transaction, so a version derived from it (lastSeq, or an
 * ETag built on it) names the output exactly. One item per key: a new version replaces the old.
 * Rendering 50 entries on every request held the page and the API to a fraction of static-file
 * throughput (bench/README.md). Bounded: the most recently stored keys.
 */
export class LiveEdgeCache<T, K = number> {
  private readonly items = new Map<K, { version: string | number; value: T }>();

  constructor(private readonly maxItems = 100) {}

  get(key: K, version: string | number): T | undefined {
    const item = this.items.get(key);
    return item?.version === version ? item.value : undefined;
  }

  set(key: K, version: string | number, value: T): void {
    this.items.delete(key);
    // A Map iterates oldest first: drop the least recently stored key.
    if (this.items.size >= this.maxItems) this.items.delete(this.items.keys().next().value as K);
    this.items.set(key, { version, value });
  }
}
