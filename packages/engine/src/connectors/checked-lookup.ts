// The DNS lookup of a connector's call: the host's addresses are resolved once, checked, and the
// connection is made to the very addresses checked (the lookup the socket itself uses), so that a
// name cannot resolve to a public address for the check and to a private one for the connection.
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isNonPublicAddress } from './non-public-addresses.js';

export type HostResolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** a call refused by the connector's rules: no attempt to reach the service was made */
export class RefusedCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedCallError';
  }
}

export const refusedAddress = (hostname: string, address: string): RefusedCallError => new RefusedCallError(
  hostname === address
    ? `${address} is a loopback, link-local or private address, which only an allowed URL naming its host may reach`
    : `${hostname} resolves to ${address}, a loopback, link-local or private address, which only an allowed URL naming the host may reach`,
);

/** `publicOnly`: every address the host resolves to must be public, else the call is refused */
export function checkedLookup(resolve: HostResolver, publicOnly: boolean): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolve(hostname).then((found) => {
      const refused = publicOnly ? found.find((a) => isNonPublicAddress(a.address)) : undefined;
      if (refused) throw refusedAddress(hostname, refused.address);
      const addresses = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
      if (!addresses.length) throw Object.assign(new Error(`${hostname} resolves to no address`), { code: 'ENOTFOUND' });
      if (options.all) callback(null, [...addresses]);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    }).catch((e: NodeJS.ErrnoException) => callback(e, '', 0));
  };
}
