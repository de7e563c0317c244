import { describe, expect, it } from 'vitest';
import { LiveEdgeCache } from './live-edge-cache.js';

describe('LiveEdgeCache', () => {
  it('answers only for the lastSeq it was stored with', () => {
    const cache = new LiveEdgeCache<string>();
    cache.set(1, 5, 'at five');
    expect(cache.get(1, 5)).toBe('at five');
    expect(cache.get(1, 6)).toBeUndefined();
    cache.set(1, 6, 'at six');
    expect(cache.get(1, 5)).toBeUndefined();
    expect(cache.get(1, 6)).toBe('at six');
  });

  it('keeps the most recently stored posts within its bound', () => {
    const cache = new LiveEdgeCache<string>(2);
    cache.set(1, 1, 'one');
    cache.set(2, 1, 'two');
    cache.set(1, 2, 'one again');
    cache.set(3, 1, 'three');
    expect(cache.get(2, 1)).toBeUndefined();
    expect(cache.get(1, 2)).toBe('one again');
    expect(cache.get(3, 1)).toBe('three');
  });
});
