import { execFileSync } from 'node:child_process';
import { iceServers, turnCredentials } from './turn-credentials';

/** The reference value comes from openssl, not from the code under test. */
function opensslHmacSha1Base64(secret: string, message: string): string {
  const digest = execFileSync('openssl', ['dgst', '-sha1', '-hmac', secret, '-binary'], { input: message });
  return digest.toString('base64');
}

describe('TURN REST API credentials', () => {
  const secret = 'north-sea-turn-secret-2026';
  const gatewayId = '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c';

  it('matches an HMAC-SHA1 computed independently by openssl', () => {
    const expiry = 1776867604;
    const { username, credential } = turnCredentials(secret, gatewayId, expiry);
    expect(username).toBe(`1776867604:${gatewayId}`);
    expect(credential).toBe(opensslHmacSha1Base64(secret, username));
  });

  it('matches a vector recorded from openssl', () => {
    // printf '%s' '1700000000:gw' | openssl dgst -sha1 -hmac 'secret' -binary | base64
    expect(turnCredentials('secret', 'gw', 1700000000)).toEqual({ username: '1700000000:gw', credential: 'ZvAPmW1RsjsJkWwbPhNzfqsgU4c=' });
  });

  it('builds ice_servers with the expiry TURN_TTL_S ahead', () => {
    const now = Date.UTC(2026, 3, 21, 14, 20, 4);
    const [server] = iceServers(['turn:turn.example.com:3478', 'turns:turn.example.com:5349'], secret, gatewayId, 86400, now);
    expect(server.urls).toEqual(['turn:turn.example.com:3478', 'turns:turn.example.com:5349']);
    expect(server.username).toBe(`${now / 1000 + 86400}:${gatewayId}`);
    expect(server.credential).toBe(opensslHmacSha1Base64(secret, server.username));
  });

  it('is [] when TURN is not configured', () => {
    expect(iceServers([], undefined, gatewayId, 86400)).toEqual([]);
    expect(iceServers(['turn:x:3478'], undefined, gatewayId, 86400)).toEqual([]);
    expect(iceServers([], secret, gatewayId, 86400)).toEqual([]);
  });
});
