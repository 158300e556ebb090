import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';

/**
 * Which addresses a webhook may reach: public unicast only. Loopback, private, link-local
 * (the cloud metadata address 169.254.169.254 included), CGNAT, multicast, unspecified,
 * broadcast and reserved ranges are refused, and so are IPv6 forms that embed an IPv4 address
 * (mapped, 6to4, Teredo, NAT64), whatever they embed.
 */
export function isForbiddenAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return true;
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  return address.range() !== 'unicast';
}

/** The host of a URL without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export type UrlProblem = string | undefined;

/**
 * What is wrong with a webhook URL as given, before any DNS: not absolute, a scheme other than
 * https (http only when allowed), credentials in it, or a literal address that is forbidden.
 */
export function urlProblem(text: string, allow: { http: boolean; privateTargets: boolean }): UrlProblem {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(allow.http && url.protocol === 'http:')) return allow.http ? 'must be http:// or https://' : 'must be https://';
  if (url.username || url.password) return 'must not contain credentials';
  const host = urlHost(url);
  if (isIP(host) && !allow.privateTargets && isForbiddenAddress(host)) return 'must not point at a loopback, private, link-local, CGNAT, multicast or unspecified address';
  return undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves the name and refuses the connection when any address
 * it resolves to is forbidden: the address checked is the address connected to, on every attempt
 * (no second resolution an attacker's DNS could answer differently).
 */
export function guardedLookup(resolve: typeof dnsLookup = dnsLookup) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    resolve(hostname, { all: true, family: typeof options.family === 'number' ? options.family : 0 }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => isForbiddenAddress(a.address));
      if (bad || list.length === 0) {
        const e = Object.assign(new Error(`${hostname} resolves to ${bad?.address ?? 'nothing'}, which webhooks may not reach`), { code: 'EFORBIDDENTARGET' });
        return callback(e, []);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}
