import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CompressibleBody } from './compression.js';
import { LiveEdgeCache } from './live-edge-cache.js';

/** Bytes one cached item may come to hold: its text and both compressed forms. */
const weight = (text: string) => new CompressibleBody(text).maxBytes;

describe('LiveEdgeCache', () => {
  it('answers only for the version it was stored with', () => {
    const cache = new LiveEdgeCache();
    cache.set(1, 5, 'at five');
    expect(cache.get(1, 5)?.text).toBe('at five');
    expect(cache.get(1, 6)).toBeUndefined();
    cache.set(1, 6, 'at six');
    expect(cache.get(1, 5)).toBeUndefined();
    expect(cache.get(1, 6)?.text).toBe('at six');
  });

  it('stays within its byte bound (compressed forms included), dropping the least recently stored posts first', () => {
    const bound = weight('one-one') * 2 + 10;
    const cache = new LiveEdgeCache({ maxBytes: bound, maxItemBytes: bound });
    cache.set(1, 1, 'one-one');
    cache.set(2, 1, 'two-two');
    cache.set(1, 2, 'one-two'); // replaces post 1: two items
    cache.set(3, 1, 'three-3'); // a third does not fit: post 2 goes
    expect(cache.get(2, 1)).toBeUndefined();
    expect(cache.get(1, 2)?.text).toBe('one-two');
    expect(cache.get(3, 1)?.text).toBe('three-3');
    expect(cache.size).toBeLessThanOrEqual(bound);
  });

  it('serves but never keeps an item larger than one item may be', () => {
    const cache = new LiveEdgeCache({ maxBytes: 1000, maxItemBytes: 10 });
    expect(cache.set(1, 1, 'a value longer than five characters').text).toBe('a value longer than five characters');
    expect(cache.get(1, 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('compresses each item once per encoding, whoever asks, and the forms decode to the text', () => {
    const cache = new LiveEdgeCache();
    const page = '<article>Breaking: the new chip</article>\n'.repeat(200);
    cache.set(7, 1, page);
    const br = cache.get(7, 1)!.as('br');
    expect(cache.get(7, 1)!.as('br')).toBe(br);
    expect(brotliDecompressSync(br).toString()).toBe(page);
    expect(gunzipSync(cache.get(7, 1)!.as('gzip')).toString()).toBe(page);
    expect(br.length * 20).toBeLessThan(Buffer.byteLength(page));
  });
});
