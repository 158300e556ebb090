import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const USER_KEY_PREFIX = 'sk_live_';
export const GATEWAY_KEY_PREFIX = 'gw_';

/** 32 random bytes, base64url: 256 bits, URL- and header-safe. */
export function newKey(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Keys are stored as the hex SHA-256 of the whole key, never in clear. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The bearer token of an Authorization header, or undefined when it is absent or malformed. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ ]+([!-~]{1,512})$/i.exec(header.trim());
  return match?.[1];
}
