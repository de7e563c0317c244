import { describe, expect, it } from 'vitest';
import { LiveEdgeCache } from './live-edge-cache.js';

describe('LiveEdgeCache', () => {
  it('answers only for the version it was stored with', () => {
    const cache = new LiveEdgeCache();
    cache.set(1, 5, 'at five');
    expect(cache.get(1, 5)).toBe('at five');
    expect(cache.get(1, 6)).toBeUndefined();
    cache.set(1, 6, 'at six');
    expect(cache.get(1, 5)).toBeUndefined();
    expect(cache.get(1, 6)).toBe('at six');
  });

  it('stays within its byte bound, dropping the least recently stored posts first', () => {
    const cache = new LiveEdgeCache({ maxBytes: 40, maxItemBytes: 40 });
    cache.set(1, 1, 'one-one'); // 14 bytes
    cache.set(2, 1, 'two-two'); // 14
    cache.set(1, 2, 'one-two'); // replaces post 1: 28 in all
    cache.set(3, 1, 'three-3'); // 42 > 40: post 2 goes
    expect(cache.get(2, 1)).toBeUndefined();
    expect(cache.get(1, 2)).toBe('one-two');
    expect(cache.get(3, 1)).toBe('three-3');
    expect(cache.size).toBeLessThanOrEqual(40);
  });

  it('serves but never keeps an item larger than one item may be', () => {
    const cache = new LiveEdgeCache({ maxBytes: 100, maxItemBytes: 10 });
    cache.set(1, 1, 'a value longer than five characters');
    expect(cache.get(1, 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
