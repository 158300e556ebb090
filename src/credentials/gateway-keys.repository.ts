import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Sql } from '../database/sql';
import { GenerateSql, IN_TRANSACTION, SAMPLE_HASH, SAMPLE_UUID } from '../database/sql-snapshot';
import type { GatewayKeyState } from './gateway-key.entity';
import { SQL_INSERT_ACTIVE_KEY, SQL_LIST_KEYS, SQL_REVOKE_KEYS } from './credentials.sql';
import { MAX_LISTED_KEYS } from './dto/credentials.dto';

/** A key as the API shows it (never its hash). */
export interface GatewayKeyRow {
  id: string;
  state: Exclude<GatewayKeyState, 'pending'>;
  created_at: string;
  last_used_at: string | null;
  last_peer_address: string | null;
  expires_at: string | null;
}

/**
 * The gateway_keys table: what the API lists, what pairing issues and revocation revokes. A
 * writer holds its gateway's row lock first (the caller's transaction), as the connection claim
 * (GatewaysRepository.claimConnections), which reads and marks the keys, expects.
 */
@Injectable()
export class GatewayKeysRepository {
  constructor(private readonly sql: Sql) {}

  /** The newest MAX_LISTED_KEYS, oldest first. */
  @GenerateSql([SAMPLE_UUID])
  list(gatewayId: string, manager?: EntityManager): Promise<GatewayKeyRow[]> {
    return this.sql.rows<GatewayKeyRow>(SQL_LIST_KEYS, [gatewayId, MAX_LISTED_KEYS], manager);
  }

  /** Every key of the gateway that could still be used is revoked and its unfinished rotation canceled; returns the keys revoked. */
  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  async revokeAll(gatewayId: string, manager: EntityManager): Promise<string[]> {
    return (await this.sql.rows<{ id: string }>(SQL_REVOKE_KEYS, [gatewayId], manager)).map((r) => r.id);
  }

  /** The gateway's new active key (pairing); returns its id. */
  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, SAMPLE_HASH, IN_TRANSACTION])
  async insertActive(orgId: string, gatewayId: string, keyHash: string, manager: EntityManager): Promise<string> {
    const [row] = await this.sql.rows<{ id: string }>(SQL_INSERT_ACTIVE_KEY, [orgId, gatewayId, keyHash], manager);
    return row.id;
  }
}
