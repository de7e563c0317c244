import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a webhook may be delivered to. An admin types the URL, but the server makes the
 * request from inside the newsroom's network, so a URL pointing at 127.0.0.1, the cloud metadata
 * address or a private subnet would turn webhooks into a way to reach internal services (SSRF).
 * Those are refused unless WEBHOOK_ALLOW_PRIVATE=true (newsrooms do run internal receivers). The
 * check runs when the endpoint is registered and again on every delivery, on the addresses DNS
 * returns for that connection (`guardedLookup`), so a name that later resolves inward (DNS
 * rebinding) is refused too.
 */

const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) internal.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) internal.addSubnet(network, prefix, 'ipv6');

/** True for an address on the public internet. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !internal.check(address, 'ipv4');
  if (family !== 6) return false;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1, or the NAT64 form) is that IPv4 address.
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]!);
  return !internal.check(address, 'ipv6');
}

export class PrivateAddressError extends Error {
  constructor(readonly host: string, readonly address: string) {
    super(`${host} resolves to ${address}, an internal address (set WEBHOOK_ALLOW_PRIVATE=true to allow internal receivers)`);
  }
}

/** The host of a URL as an address or a name (brackets of an IPv6 literal removed). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** Every address the URL's host stands for; refuses internal ones unless allowed. */
export async function checkDestination(url: URL, allowPrivate: boolean): Promise<string[]> {
  const host = hostOf(url);
  const addresses = isIP(host) ? [host] : (await new Promise<LookupAddress[]>((done, fail) => dnsLookup(host, { all: true }, (error, found) => (error ? fail(error) : done(found))))).map((found) => found.address);
  if (!allowPrivate) {
    const inward = addresses.find((address) => !isPublicAddress(address));
    if (inward !== undefined) throw new PrivateAddressError(host, inward);
  }
  return addresses;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that refuses internal addresses at connection time (DNS rebinding). */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, '');
      if (!allowPrivate) {
        const inward = found.find((entry) => !isPublicAddress(entry.address));
        if (inward) return callback(Object.assign(new PrivateAddressError(hostname, inward.address), { code: 'EPRIVATE' }), '');
      }
      if (options.all) return callback(null, found);
      const first = found[0]!;
      callback(null, first.address, first.family);
    });
  };
}
