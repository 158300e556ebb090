import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { bearerToken, GATEWAY_KEY_PREFIX, hashKey, sameHash } from '../auth/key-hash';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/config';
import { ConnectionClaims } from '../presence/connection-claims.service';
import type { GatewaySession } from '../presence/live-connection';
import { compileTrust, peerAddress } from './peer-address';

/**
 * Decides a WebSocket upgrade before the handshake, from the key alone — the path's gateway is
 * never looked up on its own, so no answer tells whether an id of another org exists:
 * - 401 for a missing or unknown key, a user key, a revoked key (a retiring key past its grace
 *   included), or the key of another gateway than the path's;
 * - 404 for a key of a gateway that has been deleted (re-pair);
 * - 403 when the key's gateway is disabled.
 * On success the connection gets the next sequence number, recorded on the gateway row with
 * this instance as its holder and the key it used. The key is checked by that same claim, made
 * for many upgrades at once (ConnectionClaims): no upgrade waits on a database round trip of its
 * own, and the check reads the keys and the gateway row as they are — a revoked key, a deleted or
 * disabled gateway is refused at once, on every instance, with no cache to invalidate.
 */
@Injectable()
export class UpgradeAuthService {
  private readonly trust: (address: string, hop: number) => boolean;

  constructor(
    private readonly claims: ConnectionClaims,
    config: AppConfig,
  ) {
    this.trust = compileTrust(config.trustProxy);
  }

  /** `abandoned` tells whether the upgrade's socket has gone meanwhile (its claim is then not made). */
  async authorize(gatewayIdInPath: string, req: IncomingMessage, abandoned: () => boolean = () => false): Promise<GatewaySession> {
    const token = bearerToken(req.headers.authorization);
    if (!token || !token.startsWith(GATEWAY_KEY_PREFIX)) {
      throw ApiError.authRequired('A gateway key is required: Authorization: Bearer gw_...');
    }
    const hash = hashKey(token);
    const pathId = gatewayIdInPath.toLowerCase();
    const peer = peerAddress(req, this.trust);
    const claim = await this.claims.claim({ keyHash: hash, pathGatewayId: pathId, peer }, abandoned);
    if (!claim.ownerId || !claim.ownerKeyHash || !claim.keyId || !sameHash(claim.ownerKeyHash, hash)) {
      if (claim.deleted) throw new ApiError('not_found', 'This gateway has been deleted; pair it again with a new code');
      throw ApiError.authRequired('Unknown or revoked gateway key');
    }
    if (claim.ownerId !== pathId) throw ApiError.authRequired('This key is not the key of the gateway in the path');
    if (!claim.seq || !claim.orgId) throw ApiError.forbidden('This gateway is disabled');
    return { gatewayId: claim.ownerId, orgId: claim.orgId, seq: claim.seq, keyId: claim.keyId, peer };
  }
}
