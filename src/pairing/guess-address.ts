import * as ipaddr from 'ipaddr.js';

/**
 * The unit a client's pairing guesses are counted in: an IPv4 address, or the /64 of an IPv6
 * address (one subscriber usually gets a whole /64, and can pick any address in it). An
 * IPv4-mapped IPv6 address counts as its IPv4 address.
 */
export function guessAddress(ip: string): string {
  const bare = ip.trim();
  if (!ipaddr.isValid(bare)) return bare.slice(0, 64);
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const prefix = new ipaddr.IPv6([...v6.parts.slice(0, 4), 0, 0, 0, 0]);
  return `${prefix.toString()}/64`;
}
