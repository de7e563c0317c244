import { describe, expect, it } from 'vitest';
import { isTypedTime, typedTimeWindow } from './typed-time.js';

describe('typed times', () => {
  const now = new Date('2026-03-14T12:00:00.000Z');

  it('take the last 24 hours and 2 minutes ahead, both ends included', () => {
    expect(typedTimeWindow(now)).toEqual({ earliest: '2026-03-13T12:00:00.000Z', latest: '2026-03-14T12:02:00.000Z' });
    for (const at of ['2026-03-13T12:00:00.000Z', '2026-03-14T11:59:59.000Z', '2026-03-14T12:02:00.000Z']) expect(isTypedTime(at, now), at).toBe(true);
  });

  it('refuse anything older or further ahead', () => {
    for (const at of ['2026-03-13T11:59:59.999Z', '2026-03-14T12:02:00.001Z', '1970-01-01T00:00:00.000Z', 'not a time']) expect(isTypedTime(at, now), at).toBe(false);
  });
});
