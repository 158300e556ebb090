import { createHmac } from 'node:crypto';

export interface IceServer {
  urls: string[];
  username: string;
  credential: string;
}

/**
 * TURN REST API ephemeral credentials, as coturn's `use-auth-secret` checks them:
 * username "<unix expiry>:<gateway id>", credential base64(HMAC-SHA1(secret, username)).
 */
export function turnCredentials(secret: string, gatewayId: string, expiresAtUnix: number): { username: string; credential: string } {
  const username = `${expiresAtUnix}:${gatewayId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

/** `[]` when TURN is not configured. */
export function iceServers(
  urls: string[],
  secret: string | undefined,
  gatewayId: string,
  ttlS: number,
  nowMs = Date.now(),
): IceServer[] {
  if (urls.length === 0 || !secret) return [];
  const expiry = Math.floor(nowMs / 1000) + ttlS;
  return [{ urls, ...turnCredentials(secret, gatewayId, expiry) }];
}
