import { BlockList, isIP } from 'node:net';

/**
 * Which reverse proxies to believe about a client's address (TRUST_PROXY), and the one rule that
 * reads the address with it, for HTTP (Fastify's `trustProxy`) and Socket.IO's guards alike.
 *
 * Security review M3: believing every X-Forwarded-For hop let a client write its own left-most
 * address and dodge login throttling, the per-address socket cap and anonymous write limits.
 * Now only the proxies in front of us are believed: a number of hops (`true` is one: nginx in
 * front), or a list of proxy addresses and subnets. Walking from the connection's own address
 * leftwards through X-Forwarded-For, the first address that is not a trusted proxy is the client.
 */
export type ProxyTrust = { hops: number } | { addresses: string[] };

/** No proxy: the connection's own address is the client. */
export const NO_PROXY: ProxyTrust = { hops: 0 };

/** proxy-addr's contract (what Fastify's `trustProxy` accepts as a function): trust `address` at hop `index`? */
export type TrustFunction = (address: string, index: number) => boolean;

export function trustFunction(trust: ProxyTrust): TrustFunction {
  if ('hops' in trust) return (_address, index) => index < trust.hops;
  const list = new BlockList();
  for (const entry of trust.addresses) {
    const [address, bits] = entry.split('/');
    const family = isIP(address!) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(bits), family);
  }
  return (address) => {
    const bare = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(bare) === 6 ? 'ipv6' : 'ipv4';
    return isIP(bare) !== 0 && list.check(bare, family);
  };
}

/** The client's address: the connection's, or the nearest X-Forwarded-For hop no trusted proxy wrote. */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trust: TrustFunction): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = [remoteAddress ?? 'unknown', ...header.split(',').map((hop) => hop.trim()).filter(Boolean).reverse()];
  for (let index = 0; index < hops.length - 1; index++) {
    if (!trust(hops[index]!, index)) return hops[index]!;
  }
  return hops[hops.length - 1]!;
}

/** Parses TRUST_PROXY: false/0, true (one hop), a number of hops, or comma-separated addresses and subnets. */
export function parseProxyTrust(value: string): ProxyTrust | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'false') return NO_PROXY;
  if (text === 'true') return { hops: 1 };
  if (/^\d{1,2}$/.test(text)) return { hops: Number(text) };
  const addresses = text.split(',').map((entry) => entry.trim()).filter(Boolean);
  const valid = addresses.every((entry) => {
    const [address, bits, extra] = entry.split('/');
    if (extra !== undefined || isIP(address!) === 0) return false;
    const max = isIP(address!) === 6 ? 128 : 32;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
  });
  return addresses.length > 0 && valid ? { addresses } : undefined;
}

export function trustsAnyProxy(trust: ProxyTrust): boolean {
  return 'addresses' in trust || trust.hops > 0;
}
