import type { IncomingMessage } from 'node:http';
import * as ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/** Which proxies' X-Forwarded-For to believe, compiled from TRUST_PROXY the way Express compiles its `trust proxy` setting. */
export function compileTrust(setting: boolean | number | string): (address: string, hop: number) => boolean {
  if (typeof setting === 'boolean') return () => setting;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile(setting.split(',').map((s) => s.trim()));
}

/**
 * The client address of an upgrade, as REST requests see theirs (`req.ip`): the socket's peer,
 * or the address a trusted proxy forwarded. An IPv4-mapped IPv6 address is given as IPv4.
 */
export function peerAddress(req: IncomingMessage, trust: (address: string, hop: number) => boolean): string {
  const address = req.socket.remoteAddress ? proxyaddr(req, trust) : 'unknown';
  if (!ipaddr.isValid(address)) return address.slice(0, 64);
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address().toString() : parsed.toString();
}
