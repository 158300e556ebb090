import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { DataSource } from 'typeorm';
import { GATEWAY_KEY_PREFIX, bearerToken, hashKey, sameHash } from '../auth/key-hash';
import { ApiError } from '../common/api-error';
import { InstanceIdentity } from './instance-identity';

export interface GatewaySession {
  gatewayId: string;
  orgId: string;
  /** This connection's sequence number: the newest connection of a gateway wins. */
  seq: string;
}

/**
 * $1 key hash, $2 gateway id of the path, $3 this instance. In one statement: the gateway that
 * owns the key; when it is the gateway of the path and not disabled, the connection claims the
 * next sequence number (and this instance as its holder) and the gateway's telemetry row is made
 * if it has none; and whether the key belonged to a gateway since deleted.
 */
const SQL_CLAIM = `
  WITH owner AS (
    SELECT id, key_hash FROM gateways WHERE key_hash = $1
  ), claimed AS (
    UPDATE gateways g SET connection_seq = nextval('gateway_connection_seq'), connection_instance = $3
      FROM owner
     WHERE g.id = owner.id AND owner.id::text = $2 AND g.status <> 'disabled'
     RETURNING g.id, g.org_id, g.connection_seq
  ), snapshot AS (
    INSERT INTO gateway_telemetry (gateway_id) SELECT id FROM claimed ON CONFLICT (gateway_id) DO NOTHING
  )
  SELECT owner.id AS owner_id, owner.key_hash, claimed.org_id, claimed.connection_seq::text AS seq,
         EXISTS (SELECT 1 FROM gateway_tombstones WHERE key_hash = $1) AS deleted
    FROM (SELECT 1) AS one LEFT JOIN owner ON true LEFT JOIN claimed ON true`;

/**
 * Decides a WebSocket upgrade before the handshake, from the key alone — the path's gateway is
 * never looked up on its own, so no answer tells whether an id of another org exists:
 * - 401 for a missing or unknown key, a user key, or the key of another gateway than the path's;
 * - 404 for the key of a gateway that has been deleted (re-pair);
 * - 403 when the key's gateway is disabled.
 * On success the connection gets the next sequence number, recorded on the gateway row with
 * this instance as its holder.
 */
@Injectable()
export class UpgradeAuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly instance: InstanceIdentity,
  ) {}

  async authorize(gatewayIdInPath: string, req: IncomingMessage): Promise<GatewaySession> {
    const token = bearerToken(req.headers.authorization);
    if (!token || !token.startsWith(GATEWAY_KEY_PREFIX)) {
      throw ApiError.authRequired('A gateway key is required: Authorization: Bearer gw_...');
    }
    const hash = hashKey(token);
    const [row] = await this.dataSource.query(SQL_CLAIM, [hash, gatewayIdInPath.toLowerCase(), this.instance.id]);
    if (!row.owner_id || !sameHash(row.key_hash, hash)) {
      if (row.deleted) throw new ApiError('not_found', 'This gateway has been deleted; pair it again with a new code');
      throw ApiError.authRequired('Unknown or revoked gateway key');
    }
    if (row.owner_id !== gatewayIdInPath.toLowerCase()) throw ApiError.authRequired('This key is not the key of the gateway in the path');
    if (!row.seq) throw ApiError.forbidden('This gateway is disabled');
    return { gatewayId: row.owner_id, orgId: row.org_id, seq: row.seq };
  }
}
