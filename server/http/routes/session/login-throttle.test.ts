import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('lets the free failures through, then doubles the wait up to its cap, and a success clears it', () => {
    let now = 0;
    const throttle = new LoginThrottle({ free: 3, baseDelayMs: 1000, maxDelayMs: 5000 }, () => now);
    throttle.failed('k');
    throttle.failed('k');
    expect(throttle.waitMs('k')).toBe(0);
    throttle.failed('k'); // the third: waits begin
    expect(throttle.waitMs('k')).toBe(1000);
    now += 1000;
    expect(throttle.waitMs('k')).toBe(0);
    throttle.failed('k');
    expect(throttle.waitMs('k')).toBe(2000);
    now += 2000;
    throttle.failed('k');
    expect(throttle.waitMs('k')).toBe(4000);
    now += 4000;
    throttle.failed('k');
    expect(throttle.waitMs('k')).toBe(5000); // capped
    expect(throttle.waitMs('other')).toBe(0);
    throttle.succeeded('k');
    expect(throttle.waitMs('k')).toBe(0);
  });

  it('stays bounded in memory whatever keys arrive', () => {
    const throttle = new LoginThrottle({ free: 1, baseDelayMs: 1000, maxDelayMs: 1000, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) throttle.failed(`key-${i}`);
    expect(throttle.waitMs('key-0')).toBe(0);
    expect(throttle.waitMs('key-999')).toBeGreaterThan(0);
  });
});
