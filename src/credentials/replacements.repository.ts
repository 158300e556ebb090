import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Sql } from '../database/sql';
import { GenerateSql, IN_TRANSACTION, SAMPLE_UUID } from '../database/sql-snapshot';
import { SQL_INSERT_REPLACEMENTS, SQL_PURGE_REPLACEMENTS, SQL_RECORD_CONFLICTS } from './credentials.sql';

/** A connection that a newer one replaced, as the instance that held it saw it. */
export interface Replacement {
  gatewayId: string;
  replacedSeq: string;
  bySeq: string;
  peer: string;
  bootId: string | null;
}

/** The gateway_replacements and gateway_credential_conflicts tables: cloned-key detection (v1.3). */
@Injectable()
export class ReplacementsRepository {
  constructor(private readonly sql: Sql) {}

  @GenerateSql([[{ gatewayId: SAMPLE_UUID, replacedSeq: '41', bySeq: '42', peer: '198.51.100.7', bootId: null }], IN_TRANSACTION])
  async insert(replacements: Replacement[], manager: EntityManager): Promise<void> {
    await this.sql.run(SQL_INSERT_REPLACEMENTS, [JSON.stringify(replacements)], manager);
  }

  @GenerateSql([IN_TRANSACTION])
  async purge(manager: EntityManager): Promise<void> {
    await this.sql.run(SQL_PURGE_REPLACEMENTS, [], manager);
  }

  /** Writes a conflict for each of these gateways whose recent replacements make one (see SQL_RECORD_CONFLICTS); returns them. */
  @GenerateSql([[SAMPLE_UUID], IN_TRANSACTION])
  recordConflicts(gatewayIds: string[], manager: EntityManager): Promise<{ gateway_id: string; peers: { peer_address: string; boot_id: string | null }[] }[]> {
    return this.sql.rows(SQL_RECORD_CONFLICTS, [gatewayIds], manager);
  }
}
