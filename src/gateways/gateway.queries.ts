import type { GatewayStatus } from './gateway.entity';
import type { TelemetryResponse } from '../telemetry/dto/telemetry.dto';
import type { NetworkThroughput, RecordingStatus } from '../telemetry/gateway-telemetry.entity';
import type { GatewayResponse, GatewaySummary } from './dto/gateway.dto';

/**
 * The read queries of the gateway API, as plain SQL: they run on every GET, where building them
 * through the ORM cost more than running them. The benchmark baseline imports these same
 * statements, so both sides of a comparison send identical SQL.
 */
/**
 * A timestamp as the API shows it (RFC 3339 UTC, whole seconds, `Z`; the same text as `isoUtc`),
 * formatted by PostgreSQL: the list would otherwise build and format two Dates per row.
 */
export const apiTime = (column: string, as: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ${as}`;

export const GATEWAY_COLUMNS = [
  'g.id, g.org_id, g.site_id, g.name, g.status, g.version, g.local_ip',
  apiTime('t.last_heartbeat_at', 'last_heartbeat_at'),
  apiTime('g.created_at', 'created_at'),
].join(', ');

/** The last heartbeat lives beside the telemetry (see the HeartbeatsBesideTelemetry migration). */
const GATEWAYS = 'gateways g LEFT JOIN gateway_telemetry t ON t.gateway_id = g.id';

export interface GatewayRow {
  id: string;
  org_id: string;
  site_id: string;
  name: string | null;
  status: GatewayStatus;
  version: string | null;
  local_ip: string | null;
  /** Already in the API's format (apiTime). */
  last_heartbeat_at: string | null;
  created_at: string;
}

/** $1 gateway id, $2 org id. */
export const SQL_GATEWAY_BY_ID = `SELECT ${GATEWAY_COLUMNS} FROM ${GATEWAYS} WHERE g.id = $1 AND g.org_id = $2`;

/** $1 gateway id, $2 org id: the gateway (for visibility) and its snapshot in one round trip. */
export const SQL_TELEMETRY_SNAPSHOT = `
  SELECT g.id, g.site_id, ${apiTime('t.last_heartbeat_at', 'last_heartbeat_at')},
         t.cpu_percent, t.memory_mb, t.camera_recording_status, t.network_throughput
    FROM gateways g LEFT JOIN gateway_telemetry t ON t.gateway_id = g.id
   WHERE g.id = $1 AND g.org_id = $2`;

export interface TelemetrySnapshotRow {
  id: string;
  site_id: string;
  last_heartbeat_at: string | null;
  cpu_percent: number | null;
  memory_mb: number | null;
  camera_recording_status: Record<string, RecordingStatus> | null;
  network_throughput: NetworkThroughput | null;
}

/** Nulls and empty objects until the gateway first reports. */
export function toTelemetryResponse(row: TelemetrySnapshotRow): TelemetryResponse {
  return {
    gateway_id: row.id,
    cpu_percent: row.cpu_percent,
    memory_mb: row.memory_mb,
    last_heartbeat_at: row.last_heartbeat_at,
    camera_recording_status: row.camera_recording_status ?? {},
    network_throughput: row.network_throughput ?? {},
  };
}

export interface GatewayListFilter {
  orgId: string;
  /** null: every site of the org. */
  siteIds: string[] | null;
  status?: GatewayStatus;
  limit: number;
  offset: number;
}

/** The page and the total of a filtered list, sharing one WHERE clause. */
export function listGatewaysQueries(filter: GatewayListFilter): {
  page: string;
  pageParams: unknown[];
  count: string;
  countParams: unknown[];
} {
  const params: unknown[] = [filter.orgId];
  let where = 'g.org_id = $1';
  if (filter.siteIds !== null) {
    params.push(filter.siteIds);
    where += ` AND g.site_id = ANY($${params.length}::uuid[])`;
  }
  if (filter.status) {
    params.push(filter.status);
    where += ` AND g.status = $${params.length}`;
  }
  // Without a status filter the total is the sum of the per-site counters (gateway_counts, kept
  // by triggers, same org_id/site_id columns); a status filter has to count the gateways.
  const count = filter.status
    ? `SELECT count(*)::int AS total FROM gateways g WHERE ${where}`
    : `SELECT coalesce(sum(g.gateways), 0)::int AS total FROM gateway_counts g WHERE ${where}`;
  const pageParams = [...params, filter.limit, filter.offset];
  const page = `SELECT ${GATEWAY_COLUMNS} FROM ${GATEWAYS} WHERE ${where}
                 ORDER BY g.created_at, g.id LIMIT $${pageParams.length - 1} OFFSET $${pageParams.length}`;
  return { page, pageParams, count, countParams: params };
}

export function toGatewaySummary(g: GatewayRow): GatewaySummary {
  return {
    id: g.id,
    name: g.name,
    site_id: g.site_id,
    status: g.status,
    version: g.version,
    local_ip: g.local_ip,
    last_heartbeat_at: g.last_heartbeat_at,
  };
}

export function toGatewayResponse(g: GatewayRow): GatewayResponse {
  return { ...toGatewaySummary(g), created_at: g.created_at };
}
