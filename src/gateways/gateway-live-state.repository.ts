import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { changeContextCte } from '../database/change-context';
import { Sql } from '../database/sql';
import type { NetworkThroughput, RecordingStatus, SessionReport } from './gateway-telemetry.entity';
import { SQL_TELEMETRY_SNAPSHOT, TelemetrySnapshotRow } from './gateway.sql';
import { GenerateSql, IN_TRANSACTION, SAMPLE_UUID } from '../database/sql-snapshot';

/** What an instance received from one gateway since its last write: the newest frame's age and the merged report. */
export interface GatewayFrames {
  id: string;
  /** Connection sequence number of the socket the frames came from. */
  seq: string;
  /** That socket closed: offline unless a newer connection exists. */
  closed: boolean;
  /** Seconds since the newest frame; null when the entry only records a close. */
  age: number | null;
  /** A telemetry report came (not only heartbeats). */
  telemetry: boolean;
  cpu: number | null;
  memory: number | null;
  cameras: Record<string, RecordingStatus> | null;
  network: NetworkThroughput | null;
  /** The newest `session` frame (v1.3), if one came. */
  session: SessionReport | null;
}

/** The report of this batch applies to the row: it comes from the row's connection or a newer one. */
const FROM_NEWEST = 'v.seq >= COALESCE(cur.connection_seq, v.seq)';
const reported = (column: string, value: string) => `${column} = CASE WHEN ${FROM_NEWEST} THEN COALESCE(${value}, cur.${column}) ELSE cur.${column} END`;

/** A session frame replaces the whole stored session (a field it leaves out is cleared). */
const session = (column: string, value: string) =>
  `${column} = CASE WHEN v.session IS NOT NULL AND jsonb_typeof(v.session) = 'object' AND ${FROM_NEWEST} THEN ${value} ELSE cur.${column} END`;

const FRAMES = `SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS x(id uuid, seq bigint, closed boolean, age float8, telemetry boolean, cpu float8, memory float8, cameras jsonb, network jsonb, session jsonb)`;

/**
 * $1 GatewayFrames[] as JSON, $2 OFFLINE_AFTER_S. The gateway rows of one flush: a row changes
 * only with its status — online on the first fresh frame of the current connection, offline
 * when that connection closed — recorded as events with reason `connected` or
 * `closed_by_gateway` (see database/change-context.ts). The rows are locked in id order first
 * (docs/architecture.md, "Row locks").
 */
const SQL_APPLY_STATUS = `
  WITH ${changeContextCte('change', { reasons: { online: 'connected', offline: 'closed_by_gateway' } })}, v AS (
    ${FRAMES}
  ), locked AS MATERIALIZED (
    SELECT g.id FROM gateways g JOIN v ON v.id = g.id
     WHERE g.connection_seq IS NOT DISTINCT FROM v.seq
       AND ((v.closed AND g.status = 'online') OR (NOT v.closed AND g.status = 'offline' AND v.age < $2))
     ORDER BY g.id
       FOR NO KEY UPDATE OF g
  )
  UPDATE gateways g SET status = CASE WHEN v.closed THEN 'offline' ELSE 'online' END, updated_at = now()
    FROM v, locked, change
   WHERE g.id = v.id AND g.id = locked.id AND g.connection_seq IS NOT DISTINCT FROM v.seq
     AND ((v.closed AND g.status = 'online') OR (NOT v.closed AND g.status = 'offline' AND v.age < $2))`;

/**
 * $1 GatewayFrames[] as JSON. The live-state rows of one flush, locked in id order, take the
 * heartbeat and the report. They are updated in place, so the merge (absent fields keep their
 * value) reads the row as it is once locked — two instances writing one gateway at once cannot
 * lose an update — and a report from an older connection than the one that last wrote the row
 * is dropped. Times travel as ages and become timestamps on the database's clock.
 */
const SQL_APPLY_LIVE_STATE = `
  WITH v AS (
    ${FRAMES}
  ), locked AS MATERIALIZED (
    SELECT t.gateway_id FROM gateway_telemetry t JOIN v ON v.id = t.gateway_id
     WHERE v.age IS NOT NULL
     ORDER BY t.gateway_id
       FOR NO KEY UPDATE OF t
  )
  UPDATE gateway_telemetry cur SET
    connection_seq = GREATEST(cur.connection_seq, v.seq),
    last_heartbeat_at = GREATEST(cur.last_heartbeat_at, now() - make_interval(secs => v.age)),
    ${reported('cpu_percent', 'v.cpu')},
    ${reported('memory_mb', 'v.memory')},
    ${reported('camera_recording_status', 'v.cameras')},
    ${reported('network_throughput', 'v.network')},
    ${reported('reported_at', 'CASE WHEN v.telemetry THEN now() - make_interval(secs => v.age) END')},
    ${session('boot_id', "(v.session->>'boot_id')::uuid")},
    ${session('firmware', "v.session->>'firmware'")},
    ${session('capabilities', "ARRAY(SELECT jsonb_array_elements_text(v.session->'capabilities'))")},
    ${session('config_version', "(v.session->>'config_version')::bigint")},
    ${session('session_at', 'now() - make_interval(secs => v.age)')},
    updated_at = now()
  FROM v, locked
  WHERE cur.gateway_id = v.id AND locked.gateway_id = v.id AND v.age IS NOT NULL`;

/** The live state of gateways (gateway_telemetry): last heartbeat and latest telemetry, and the status they imply. */
@Injectable()
export class GatewayLiveStateRepository {
  constructor(private readonly sql: Sql) {}

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID])
  async snapshot(gatewayId: string, orgId: string): Promise<TelemetrySnapshotRow | undefined> {
    const [row] = await this.sql.rows<TelemetrySnapshotRow>(SQL_TELEMETRY_SNAPSHOT, [gatewayId, orgId]);
    return row;
  }

  /**
   * What one flush received, in `manager`'s transaction: the gateway rows whose status changes,
   * then the live-state rows — the order every statement locks them in.
   */
  @GenerateSql([[{ id: SAMPLE_UUID, seq: '1', closed: false, age: 0.2, telemetry: true, cpu: 18.4, memory: 742, cameras: {}, network: null, session: { boot_id: SAMPLE_UUID, capabilities: ['commands.v1'] } }], 30, IN_TRANSACTION])
  async applyFrames(frames: GatewayFrames[], offlineAfterS: number, manager: EntityManager): Promise<void> {
    const json = JSON.stringify(frames);
    await this.sql.run(SQL_APPLY_STATUS, [json, offlineAfterS], manager);
    await this.sql.run(SQL_APPLY_LIVE_STATE, [json], manager);
  }
}
