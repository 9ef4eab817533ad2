// Addresses the HTTP connector reaches only through an allow-list entry that names its host: loopback,
// link-local (the cloud metadata service lives at 169.254.169.254), private and the other ranges that
// are no public internet address. IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are checked as the IPv4
// address they carry; net.BlockList does that itself.
import { BlockList, isIP } from 'node:net';

const RANGES: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network": 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, and the broadcast address
  ['::', 96, 'ipv6'], // unspecified, loopback and the deprecated IPv4-compatible addresses
  ['64:ff9b::', 96, 'ipv6'], // NAT64: an IPv4 address behind a translator
  ['2002::', 16, 'ipv6'], // 6to4: an IPv4 address inside
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
];

const nonPublic = new BlockList();
for (const [network, prefix, family] of RANGES) nonPublic.addSubnet(network, prefix, family);

/** `address` is an IP address as DNS or a URL gives it (an IPv6 one without brackets) */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) throw new Error(`'${address}' is no IP address`);
  return nonPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
