import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Sql } from '../database/sql';
import { GenerateSql, IN_TRANSACTION, SAMPLE_UUID } from '../database/sql-snapshot';
import { apiTime } from '../gateways/gateway.sql';

/** The event types whose event sets a gateway's state (availability reads these). */
export const GATEWAY_STATE_TYPES = [
  'gateway.registered',
  'gateway.paired',
  'gateway.online',
  'gateway.offline',
  'gateway.disabled',
  'gateway.enabled',
  'gateway.deleted',
] as const;
export const CAMERA_STATUS_TYPE = 'camera.recording_status_changed';
/** The end states of a remote command (v1.3), recorded by the GatewayCommands migration's trigger. */
export const COMMAND_EVENT_TYPES = ['command.succeeded', 'command.failed', 'command.rejected', 'command.expired', 'command.canceled', 'command.timed_out'] as const;
/** A gateway's configuration (v1.3), recorded by the GatewayConfigs migration's trigger. */
export const CONFIG_EVENT_TYPES = ['gateway.config_changed', 'gateway.config_applied', 'gateway.config_rejected'] as const;
/** A gateway's keys (v1.3), recorded by the GatewayCredentials migration's triggers. */
export const CREDENTIAL_EVENT_TYPES = ['gateway.key_rotated', 'gateway.retired_key_used', 'gateway.credential_conflict'] as const;
export const EVENT_TYPES = [...GATEWAY_STATE_TYPES, 'gateway.updated', 'gateway.rebooted', CAMERA_STATUS_TYPE, ...COMMAND_EVENT_TYPES, ...CONFIG_EVENT_TYPES, ...CREDENTIAL_EVENT_TYPES] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event as the API shows it (seq as text: a bigint). */
export interface EventRow {
  id: string;
  seq: string;
  type: EventType;
  occurred_at: string;
  org_id: string;
  site_id: string;
  gateway_id: string;
  data: Record<string, unknown>;
}

export interface EventFilter {
  orgId: string;
  /** null: every site of the org. */
  siteIds: string[] | null;
  types?: EventType[];
  gatewayId?: string;
  /** occurred_at at or after. */
  since?: Date;
  /** seq greater than. */
  after: string;
  retentionDays: number;
  limit: number;
}

/** A state-setting event of a gateway, or a camera's reported status, at a whole second. */
export interface PointRow {
  type: EventType;
  at: number;
  gateway_id: string;
  reason: string | null;
  camera_status: string | null;
  /** `data.planned_until` of an offline for a reboot (v1.3), unix seconds. */
  planned_until: number | null;
}

/**
 * $1 the head's last_seq, $2 batch size: numbers the oldest unnumbered committed events after
 * the head, in the order they were written, and moves the head. Runs while the head row is
 * locked (sequenceBatch), so its snapshot is taken after any other sequencer's commit.
 */
const SQL_NUMBER_EVENTS = `
  WITH todo AS (
    SELECT id, row_number() OVER (ORDER BY written) AS n
      FROM (SELECT id, written FROM gateway_events WHERE seq IS NULL ORDER BY written LIMIT $2) q
  ), numbered AS (
    UPDATE gateway_events e SET seq = $1::bigint + todo.n FROM todo WHERE e.id = todo.id RETURNING e.seq
  )
  UPDATE event_log_head SET last_seq = COALESCE((SELECT max(seq) FROM numbered), last_seq)
   WHERE id = 1
  RETURNING (SELECT count(*) FROM numbered)::int AS n`;

/**
 * $1 EVENTS_RETENTION_DAYS, $2 batch size. Deletes a batch of events older than the retention,
 * except the newest state-setting one of each gateway that still exists and the newest status
 * of each camera it reported (before the cut-off): they give the state at the start of any range
 * availability may be asked for. Rows another purge has locked are skipped.
 */
const SQL_PURGE_EVENTS = `
  WITH cutoff AS (SELECT now() - make_interval(days => $1) AS at)
  DELETE FROM gateway_events d WHERE d.id IN (
    SELECT x.id FROM gateway_events x, cutoff
     WHERE x.occurred_at < cutoff.at AND x.seq IS NOT NULL
       AND NOT (
         EXISTS (SELECT 1 FROM gateways g WHERE g.id = x.gateway_id)
         AND ((x.camera_id IS NULL AND x.type = ANY($3::text[])
               AND NOT EXISTS (SELECT 1 FROM gateway_events n
                                WHERE n.gateway_id = x.gateway_id AND n.camera_id IS NULL AND n.type = ANY($3::text[])
                                  AND n.seq > x.seq AND n.occurred_at < cutoff.at))
           OR (x.camera_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM gateway_events n
                                WHERE n.camera_id = x.camera_id AND n.seq > x.seq AND n.occurred_at < cutoff.at))))
     ORDER BY x.occurred_at
     LIMIT $2
     FOR UPDATE SKIP LOCKED)`;

const EVENT_COLUMNS = `e.id, e.seq::text AS seq, e.type, ${apiTime('e.occurred_at', 'occurred_at')}, e.org_id, e.site_id, e.gateway_id, e.data`;

/** The page of the events cursor and the head it was read at, in one statement (one snapshot). */
function listEventsQuery(filter: EventFilter): { text: string; params: unknown[] } {
  const params: unknown[] = [filter.orgId, filter.after, filter.retentionDays];
  let where = 'e.org_id = $1 AND e.seq > $2::bigint AND e.occurred_at >= now() - make_interval(days => $3)';
  if (filter.siteIds !== null) {
    params.push(filter.siteIds);
    where += ` AND e.site_id = ANY($${params.length}::uuid[])`;
  }
  if (filter.types) {
    params.push(filter.types);
    where += ` AND e.type = ANY($${params.length}::text[])`;
  }
  if (filter.gatewayId) {
    params.push(filter.gatewayId);
    where += ` AND e.gateway_id = $${params.length}`;
  }
  if (filter.since) {
    params.push(filter.since);
    where += ` AND e.occurred_at >= $${params.length}`;
  }
  params.push(filter.limit);
  const text = `
    SELECT (SELECT last_seq::text FROM event_log_head WHERE id = 1) AS head, page.*
      FROM (SELECT 1) AS one
      LEFT JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM gateway_events e WHERE ${where} ORDER BY e.seq LIMIT $${params.length}) page ON true`;
  return { text, params };
}

const POINT_COLUMNS = `type, extract(epoch FROM date_trunc('second', occurred_at))::bigint AS at, gateway_id, data->>'reason' AS reason, data->>'to' AS camera_status,
  CASE WHEN jsonb_typeof(data->'planned_until') = 'string' THEN extract(epoch FROM (data->>'planned_until')::timestamptz)::bigint END AS planned_until, seq`;

/**
 * $1 gateway ids, $2 from, $3 to, $4 state types: for each gateway its last state-setting event
 * at or before `from` and every one after it up to `to`, oldest first.
 */
const SQL_GATEWAY_POINTS = `
  SELECT type, at, gateway_id, reason, camera_status, planned_until FROM (
    SELECT b.* FROM unnest($1::uuid[]) AS gw(id)
      CROSS JOIN LATERAL (SELECT ${POINT_COLUMNS} FROM gateway_events
                           WHERE gateway_id = gw.id AND camera_id IS NULL AND type = ANY($4::text[]) AND seq IS NOT NULL AND occurred_at <= $2
                           ORDER BY seq DESC LIMIT 1) b
    UNION ALL
    SELECT ${POINT_COLUMNS} FROM gateway_events
     WHERE gateway_id = ANY($1::uuid[]) AND camera_id IS NULL AND type = ANY($4::text[]) AND seq IS NOT NULL
       AND occurred_at > $2 AND occurred_at <= $3
  ) p ORDER BY at, seq`;

/** $1 camera id, $2 org id, $3 from, $4 to: the camera's last reported status at or before `from`, and every change up to `to`. */
const SQL_CAMERA_POINTS = `
  SELECT type, at, gateway_id, reason, camera_status, planned_until FROM (
    (SELECT ${POINT_COLUMNS} FROM gateway_events
      WHERE camera_id = $1 AND org_id = $2 AND seq IS NOT NULL AND occurred_at <= $3 ORDER BY seq DESC LIMIT 1)
    UNION ALL
    SELECT ${POINT_COLUMNS} FROM gateway_events
     WHERE camera_id = $1 AND org_id = $2 AND seq IS NOT NULL AND occurred_at > $3 AND occurred_at <= $4
  ) p ORDER BY at, seq`;

/** The event log (gateway_events, event_log_head). Events are written by triggers; this reads, numbers and purges them. */
@Injectable()
export class EventLogRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Numbers up to `batch` committed events; returns how many, or null when another instance is
   * numbering right now (its lock on the head row is held, and this one does not wait).
   */
  @GenerateSql([1000, IN_TRANSACTION])
  async sequenceBatch(batch: number, manager: EntityManager): Promise<number | null> {
    const [head] = await this.sql.rows<{ last_seq: string }>('SELECT last_seq::text AS last_seq FROM event_log_head WHERE id = 1 FOR UPDATE SKIP LOCKED', [], manager);
    if (!head) return null;
    const [row] = await this.sql.rows<{ n: number }>(SQL_NUMBER_EVENTS, [head.last_seq, batch], manager);
    return row?.n ?? 0;
  }

  /** Deletes one batch of expired events; returns how many. */
  @GenerateSql([90, 1000])
  async purgeBatch(retentionDays: number, batch: number): Promise<number> {
    return (await this.sql.run(SQL_PURGE_EVENTS, [retentionDays, batch, GATEWAY_STATE_TYPES])).affected;
  }

  /** A page of the cursor, oldest first, and the head (the highest seq given) it was read at. */
  @GenerateSql(
    [{ orgId: SAMPLE_UUID, siteIds: null, after: '0', retentionDays: 90, limit: 100 }],
    [{ orgId: SAMPLE_UUID, siteIds: [SAMPLE_UUID], types: ['gateway.offline'], gatewayId: SAMPLE_UUID, since: new Date('2026-04-21T00:00:00Z'), after: '42', retentionDays: 90, limit: 100 }],
  )
  async list(filter: EventFilter): Promise<{ events: EventRow[]; head: string }> {
    const { text, params } = listEventsQuery(filter);
    const rows = await this.sql.rows<EventRow & { head: string }>(text, params);
    const head = rows[0]?.head ?? '0';
    return { events: rows.filter((r) => r.id !== null).map(({ head: _, ...event }) => event), head };
  }

  @GenerateSql([[SAMPLE_UUID], new Date('2026-04-21T00:00:00Z'), new Date('2026-04-22T00:00:00Z')])
  gatewayPoints(gatewayIds: string[], from: Date, to: Date): Promise<PointRow[]> {
    return this.sql.rows<PointRow>(SQL_GATEWAY_POINTS, [gatewayIds, from, to, GATEWAY_STATE_TYPES]).then(numericAt);
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, new Date('2026-04-21T00:00:00Z'), new Date('2026-04-22T00:00:00Z')])
  cameraPoints(cameraId: string, orgId: string, from: Date, to: Date): Promise<PointRow[]> {
    return this.sql.rows<PointRow>(SQL_CAMERA_POINTS, [cameraId, orgId, from, to]).then(numericAt);
  }
}

/** pg returns bigint as text. */
function numericAt(rows: PointRow[]): PointRow[] {
  for (const r of rows) {
    r.at = Number(r.at);
    if (r.planned_until !== null && r.planned_until !== undefined) r.planned_until = Number(r.planned_until);
  }
  return rows;
}
