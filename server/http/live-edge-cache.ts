/**
 * What a post's live edge renders to (page HTML, API JSON, Atom). Every change to a post or its
 * entries bumps the post's lastSeq in the same transaction, so a version derived from it (lastSeq,
 * or an ETag built on it) names the output exactly. One item per key: a new version replaces the
 * old. Rendering 50 entries on every request held the page and the API to a fraction of
 * static-file throughput (bench/README.md).
 *
 * Bounded in bytes, not items (security review H1: 200 pages of 11 MB exhausted the heap), and
 * keyed by what the server chose (post, variant), never by anything a client sends. An item larger
 * than `maxItemBytes` is served but not kept. Least recently stored keys go first.
 */
export class LiveEdgeCache<K = number> {
  private readonly items = new Map<K, { version: string | number; value: string }>();
  private bytes = 0;

  constructor(private readonly limits: { maxBytes: number; maxItemBytes: number } = { maxBytes: 32 * 1024 * 1024, maxItemBytes: 4 * 1024 * 1024 }) {}

  get(key: K, version: string | number): string | undefined {
    const item = this.items.get(key);
    return item?.version === version ? item.value : undefined;
  }

  set(key: K, version: string | number, value: string): void {
    this.delete(key);
    // UTF-16 code units, twice as many bytes in V8 at worst: the bound is on what the heap holds.
    const size = value.length * 2;
    if (size > this.limits.maxItemBytes) return;
    // A Map iterates oldest first: drop the least recently stored keys until the new one fits.
    while (this.bytes + size > this.limits.maxBytes && this.items.size > 0) this.delete(this.items.keys().next().value as K);
    this.items.set(key, { version, value });
    this.bytes += size;
  }

  /** Bytes held now (for tests and metrics). */
  get size(): number {
    return this.bytes;
  }

  private delete(key: K): void {
    const item = this.items.get(key);
    if (!item) return;
    this.bytes -= item.value.length * 2;
    this.items.delete(key);
  }
}
