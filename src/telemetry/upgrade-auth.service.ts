import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { DataSource } from 'typeorm';
import { GATEWAY_KEY_PREFIX, bearerToken, hashKey, sameHash } from '../auth/key-hash';
import { ApiError } from '../common/api-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface GatewaySession {
  gatewayId: string;
  orgId: string;
  /** This connection's sequence number: the newest connection of a gateway wins. */
  seq: string;
}

/**
 * Decides a WebSocket upgrade before the handshake: 401 for a missing or wrong key (a user
 * key, or another gateway's key), 404 for an unknown gateway, 403 for a disabled one. On
 * success the connection gets the next sequence number, recorded on the gateway row.
 */
@Injectable()
export class UpgradeAuthService {
  constructor(private readonly dataSource: DataSource) {}

  async authorize(gatewayIdInPath: string, req: IncomingMessage): Promise<GatewaySession> {
    const token = bearerToken(req.headers.authorization);
    if (!token || !token.startsWith(GATEWAY_KEY_PREFIX)) {
      throw ApiError.authRequired('A gateway key is required: Authorization: Bearer gw_...');
    }
    if (!UUID.test(gatewayIdInPath)) throw ApiError.notFound('Gateway');
    const hash = hashKey(token);
    const [owner] = await this.dataSource.query('SELECT id, key_hash FROM gateways WHERE key_hash = $1', [hash]);
    if (!owner || !sameHash(owner.key_hash, hash)) throw ApiError.authRequired('Unknown or revoked gateway key');
    if (owner.id !== gatewayIdInPath.toLowerCase()) {
      const [exists] = await this.dataSource.query('SELECT 1 FROM gateways WHERE id = $1', [gatewayIdInPath]);
      if (!exists) throw ApiError.notFound('Gateway');
      throw ApiError.authRequired('This key belongs to another gateway');
    }
    // Claim the newest sequence number unless the gateway is disabled (checked in the same statement).
    // TypeORM answers an UPDATE with [rows, affected].
    const [[claimed]] = await this.dataSource.query(
      `UPDATE gateways SET connection_seq = nextval('gateway_connection_seq')
        WHERE id = $1 AND key_hash = $2 AND status <> 'disabled'
        RETURNING org_id, connection_seq::text AS seq`,
      [owner.id, hash],
    );
    if (!claimed) {
      const [row] = await this.dataSource.query('SELECT status FROM gateways WHERE id = $1', [owner.id]);
      if (!row) throw ApiError.notFound('Gateway');
      throw ApiError.forbidden('This gateway is disabled');
    }
    return { gatewayId: owner.id, orgId: claimed.org_id, seq: claimed.seq };
  }
}
