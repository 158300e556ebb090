import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ChangeContext, SQL_SET_CHANGE_CONTEXT } from '../database/change-context';
import { Sql } from '../database/sql';
import { GenerateSql, IN_TRANSACTION, SAMPLE_UUID } from '../database/sql-snapshot';
import type { ConfigDocument } from './config-document';

/** A gateway's configuration row (versions as numbers: they stay far below 2^53). */
export interface ConfigRow {
  gateway_id: string;
  desired: ConfigDocument;
  desired_version: number;
  reported: ConfigDocument | null;
  applied_version: number | null;
  rejected_version: number | null;
  report_errors: { path: string; message: string }[];
  reported_at: Date | null;
}

/** What a report changes (decided by config-rules.ts). */
export interface ConfigReportChange {
  gateway_id: string;
  applied_version: number | null;
  rejected_version: number | null;
  reported: ConfigDocument | null;
  report_errors: { path: string; message: string }[];
}

const COLUMNS = `gateway_id, desired, desired_version::int AS desired_version, reported, applied_version::int AS applied_version,
  rejected_version::int AS rejected_version, report_errors, reported_at`;

/** The gateway_configs table. */
@Injectable()
export class GatewayConfigRepository {
  constructor(private readonly sql: Sql) {}

  @GenerateSql([SAMPLE_UUID])
  async find(gatewayId: string): Promise<ConfigRow | undefined> {
    const [row] = await this.sql.rows<ConfigRow>(`SELECT ${COLUMNS} FROM gateway_configs WHERE gateway_id = $1`, [gatewayId]);
    return row;
  }

  /**
   * The rows of these gateways, made when missing (empty, version 0), locked in id order for a
   * change. A gateway deleted meanwhile has none (its reports are dropped, not retried forever).
   */
  @GenerateSql([[SAMPLE_UUID], IN_TRANSACTION])
  async lockOrCreate(gatewayIds: string[], manager: EntityManager): Promise<ConfigRow[]> {
    await this.sql.run(
      `INSERT INTO gateway_configs (gateway_id) SELECT g.id FROM gateways g WHERE g.id = ANY($1::uuid[]) ORDER BY g.id ON CONFLICT (gateway_id) DO NOTHING`,
      [gatewayIds],
      manager,
    );
    return this.sql.rows<ConfigRow>(`SELECT ${COLUMNS} FROM gateway_configs WHERE gateway_id = ANY($1::uuid[]) ORDER BY gateway_id FOR NO KEY UPDATE`, [gatewayIds], manager);
  }

  /**
   * A new desired document, one version up, with the change context its event records (the
   * actor, the changed paths, a reason): set for the rest of `manager`'s transaction.
   */
  @GenerateSql([SAMPLE_UUID, { log_level: 'info' }, { changed_paths: ['log_level'] }, IN_TRANSACTION])
  async writeDesired(gatewayId: string, desired: ConfigDocument, change: ChangeContext, manager: EntityManager): Promise<ConfigRow> {
    await this.sql.run(SQL_SET_CHANGE_CONTEXT, [JSON.stringify(change)], manager);
    const [row] = await this.sql.rows<ConfigRow>(
      `UPDATE gateway_configs SET desired = $2, desired_version = desired_version + 1, updated_at = now() WHERE gateway_id = $1 RETURNING ${COLUMNS}`,
      [gatewayId, desired],
      manager,
    );
    return row;
  }

  /** The reports' changes, on the database's clock (rows locked by lockOrCreate in the same transaction). */
  @GenerateSql([[{ gateway_id: SAMPLE_UUID, applied_version: 3, rejected_version: null, reported: { log_level: 'info' }, report_errors: [] }], IN_TRANSACTION])
  async applyReports(changes: ConfigReportChange[], manager: EntityManager): Promise<void> {
    await this.sql.run(
      `UPDATE gateway_configs c SET applied_version = v.applied_version, rejected_version = v.rejected_version, reported = v.reported,
              report_errors = v.report_errors, reported_at = now(), updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS v(gateway_id uuid, applied_version bigint, rejected_version bigint, reported jsonb, report_errors jsonb)
        WHERE c.gateway_id = v.gateway_id`,
      [JSON.stringify(changes)],
      manager,
    );
  }

  /** Desired documents of these gateways that have one (version ≥ 1). */
  @GenerateSql([[SAMPLE_UUID]])
  desiredOf(gatewayIds: string[]): Promise<{ gateway_id: string; desired: ConfigDocument; desired_version: number }[]> {
    return this.sql.rows(`SELECT gateway_id, desired, desired_version::int AS desired_version FROM gateway_configs WHERE gateway_id = ANY($1::uuid[]) AND desired_version > 0`, [gatewayIds]);
  }

  /** Gateways whose connection this instance holds that have not applied their desired version. */
  @GenerateSql([SAMPLE_UUID])
  async behindHere(instanceId: string): Promise<string[]> {
    const rows = await this.sql.rows<{ gateway_id: string }>(
      `SELECT c.gateway_id FROM gateway_configs c JOIN gateways g ON g.id = c.gateway_id
        WHERE g.connection_instance = $1 AND c.desired_version > COALESCE(c.applied_version, 0)`,
      [instanceId],
    );
    return rows.map((r) => r.gateway_id);
  }
}
