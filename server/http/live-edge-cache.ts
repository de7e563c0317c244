import { CompressibleBody } from './compression.js';

/**
 * What a post's live edge renders to (page HTML, API JSON, Atom). Every change to a post or its
 * entries bumps the post's lastSeq in the same transaction, so a version derived from it (lastSeq,
 * or an ETag built on it) names the output exactly. One item per key: a new version replaces the
 * old. Rendering 50 entries on every request held the page and the API to a fraction of
 * static-file throughput (bench/README.md).
 *
 * Bounded in bytes, not items (security review H1: 200 pages of 11 MB exhausted the heap), and
 * keyed by what the server chose (post, variant), never by anything a client sends. An item larger
 * than `maxItemBytes` is served but not kept. Least recently stored keys go first. Each item keeps
 * its compressed forms beside it (compression.ts), counted in the bound.
 */
export class LiveEdgeCache<K = number> {
  private readonly items = new Map<K, { version: string | number; value: CompressibleBody }>();
  private bytes = 0;

  constructor(private readonly limits: { maxBytes: number; maxItemBytes: number } = { maxBytes: 32 * 1024 * 1024, maxItemBytes: 4 * 1024 * 1024 }) {}

  get(key: K, version: string | number): CompressibleBody | undefined {
    const item = this.items.get(key);
    return item?.version === version ? item.value : undefined;
  }

  /** Keeps `text` (and, as they are asked for, its compressed forms) for `version`; returns it ready to send. */
  set(key: K, version: string | number, text: string): CompressibleBody {
    this.delete(key);
    const value = new CompressibleBody(text);
    // What the heap may come to hold for it: the UTF-16 text and both compressed forms.
    const size = value.maxBytes;
    if (size > this.limits.maxItemBytes) return value;
    // A Map iterates oldest first: drop the least recently stored keys until the new one fits.
    while (this.bytes + size > this.limits.maxBytes && this.items.size > 0) this.delete(this.items.keys().next().value as K);
    this.items.set(key, { version, value });
    this.bytes += size;
    return value;
  }

  /** Bytes held now (for tests and metrics). */
  get size(): number {
    return this.bytes;
  }

  private delete(key: K): void {
    const item = this.items.get(key);
    if (!item) return;
    this.bytes -= item.value.maxBytes;
    this.items.delete(key);
  }
}
