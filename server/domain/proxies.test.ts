import { describe, expect, it } from 'vitest';
import { clientAddress, parseProxyTrust, trustFunction } from './proxies.js';

describe('which proxies to believe (M3)', () => {
  it('with one proxy in front, takes the hop that proxy wrote, never what the client wrote before it', () => {
    const trust = trustFunction(parseProxyTrust('true')!);
    // nginx appends the address it saw; the client forged the first entry.
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.9', trust)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '203.0.113.9', trust)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', undefined, trust)).toBe('10.0.0.2');
  });

  it('with no proxy, ignores X-Forwarded-For entirely', () => {
    const trust = trustFunction(parseProxyTrust('false')!);
    expect(clientAddress('198.51.100.4', '6.6.6.6', trust)).toBe('198.51.100.4');
  });

  it('counts hops, and believes only listed proxy addresses and subnets', () => {
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.9, 10.0.0.7', trustFunction(parseProxyTrust('2')!))).toBe('203.0.113.9');
    const listed = trustFunction(parseProxyTrust('10.0.0.0/8, 192.0.2.1, ::1')!);
    expect(clientAddress('10.1.2.3', '6.6.6.6, 203.0.113.9, 10.0.0.7', listed)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:10.1.2.3', '203.0.113.9', listed)).toBe('203.0.113.9');
    expect(clientAddress('::1', '203.0.113.9', listed)).toBe('203.0.113.9');
    // A connection from outside the list is the client itself, whatever it claims.
    expect(clientAddress('198.51.100.4', '6.6.6.6', listed)).toBe('198.51.100.4');
  });

  it('refuses values it cannot read', () => {
    for (const bad of ['yes', '10.0.0.0/33', 'not-an-ip', '10.0.0.1/8/1', '']) expect(parseProxyTrust(bad), bad).toBeUndefined();
  });
});
