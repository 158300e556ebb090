import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ChangeContext } from '../database/change-context';
import { Sql } from '../database/sql';
import { GenerateSql, IN_TRANSACTION, SAMPLE_HASH, SAMPLE_UUID } from '../database/sql-snapshot';
import type { RotationStatus } from './gateway-key-rotation.entity';
import { SQL_ACKNOWLEDGE, SQL_INSERT_ROTATION, SQL_ISSUE_KEYS, SQL_UNFINISHED_OF, SQL_UNFINISHED_ROTATION, SQL_UNSENT_HERE } from './credentials.sql';

/** A rotation not finished, as delivery sees it. */
export interface UnfinishedRotation {
  id: string;
  gateway_id: string;
  status: RotationStatus;
  /** The connection its last key was sent on. */
  sent_seq: string | null;
  /** The key last sent (never used yet); null before the first sending. */
  pending_key_id: string | null;
}

/** A freshly drawn key for a rotation, to send on connection `seq` of the gateway. */
export interface KeyIssue {
  rotationId: string;
  gatewayId: string;
  seq: string;
  keyHash: string;
}

/** The gateway_key_rotations table (v1.3). */
@Injectable()
export class KeyRotationsRepository {
  constructor(private readonly sql: Sql) {}

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, IN_TRANSACTION])
  async unfinished(gatewayId: string, orgId: string, manager: EntityManager): Promise<{ id: string; status: RotationStatus } | undefined> {
    const [row] = await this.sql.rows<{ id: string; status: RotationStatus }>(SQL_UNFINISHED_ROTATION, [gatewayId, orgId], manager);
    return row;
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, 86400, { key_id: SAMPLE_UUID, key_name: 'ops' }, IN_TRANSACTION])
  async insert(orgId: string, gatewayId: string, graceS: number, actor: ChangeContext['actor'], manager: EntityManager): Promise<{ id: string; status: RotationStatus }> {
    const [row] = await this.sql.rows<{ id: string; status: RotationStatus }>(SQL_INSERT_ROTATION, [orgId, gatewayId, graceS, JSON.stringify(actor ?? null)], manager);
    return row;
  }

  @GenerateSql([[SAMPLE_UUID]])
  unfinishedOf(gatewayIds: string[]): Promise<UnfinishedRotation[]> {
    return this.sql.rows<UnfinishedRotation>(SQL_UNFINISHED_OF, [gatewayIds]);
  }

  @GenerateSql([SAMPLE_UUID])
  async unsentHere(instanceId: string): Promise<string[]> {
    return (await this.sql.rows<{ gateway_id: string }>(SQL_UNSENT_HERE, [instanceId])).map((r) => r.gateway_id);
  }

  /** Makes each drawn key its rotation's pending key, if the connection is still the gateway's newest; returns the rotations to send. */
  @GenerateSql([[{ rotationId: SAMPLE_UUID, gatewayId: SAMPLE_UUID, seq: '42', keyHash: SAMPLE_HASH }]])
  issue(issues: KeyIssue[]): Promise<{ id: string; gateway_id: string }[]> {
    return this.sql.rows(SQL_ISSUE_KEYS, [JSON.stringify(issues)]);
  }

  /** Whether the ack counted: the rotation was sent on that connection and not yet acknowledged or finished. */
  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, '42'])
  async acknowledge(rotationId: string, gatewayId: string, seq: string): Promise<boolean> {
    return (await this.sql.rows(SQL_ACKNOWLEDGE, [rotationId, gatewayId, seq])).length > 0;
  }
}
