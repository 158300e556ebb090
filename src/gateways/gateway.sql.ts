import type { GatewayStatus } from './gateway.entity';
import type { NetworkThroughput, RecordingStatus } from './gateway-telemetry.entity';

/**
 * The hand-written statements of the gateway aggregate (gateways, their live state in
 * gateway_telemetry, pairing codes), run by the repositories of this folder. They are plain SQL
 * where building them through the ORM cost more than running them (the GETs) or where one
 * statement must do what several would race over (the flush, the sweep, the connection claim).
 * Every statement a repository sends, these and the ORM's, is committed in the repository's
 * `.sql` snapshot beside it (`npm run sql`).
 */

/**
 * A timestamp as the API shows it (RFC 3339 UTC, whole seconds, `Z`; the same text as `isoUtc`),
 * formatted by PostgreSQL: the list would otherwise build and format two Dates per row.
 */
export const apiTime = (column: string, as: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ${as}`;

const GATEWAY_COLUMNS = [
  'g.id, g.org_id, g.site_id, g.name, g.status, g.version, g.local_ip',
  apiTime('t.last_heartbeat_at', 'last_heartbeat_at'),
  apiTime('g.created_at', 'created_at'),
].join(', ');

/** The last heartbeat lives beside the telemetry (see the HeartbeatsBesideTelemetry migration). */
const GATEWAYS = 'gateways g LEFT JOIN gateway_telemetry t ON t.gateway_id = g.id';

/** A gateway as the API shows it, timestamps already formatted. */
export interface GatewayRow {
  id: string;
  org_id: string;
  site_id: string;
  name: string | null;
  status: GatewayStatus;
  version: string | null;
  local_ip: string | null;
  last_heartbeat_at: string | null;
  created_at: string;
}

/** $1 gateway id, $2 org id. */
export const SQL_GATEWAY_BY_ID = `SELECT ${GATEWAY_COLUMNS} FROM ${GATEWAYS} WHERE g.id = $1 AND g.org_id = $2`;

export interface GatewayListFilter {
  orgId: string;
  /** null: every site of the org. */
  siteIds: string[] | null;
  status?: GatewayStatus;
  limit: number;
  offset: number;
}

/** The page and the total of a filtered list, sharing one WHERE clause. */
export function listGatewaysQueries(filter: GatewayListFilter): { page: string; pageParams: unknown[]; count: string; countParams: unknown[] } {
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

/** A gateway's live state as the telemetry endpoint shows it, with what visibility needs. */
export interface TelemetrySnapshotRow {
  id: string;
  site_id: string;
  last_heartbeat_at: string | null;
  cpu_percent: number | null;
  memory_mb: number | null;
  camera_recording_status: Record<string, RecordingStatus> | null;
  network_throughput: NetworkThroughput | null;
}

/** $1 gateway id, $2 org id: the gateway (for visibility) and its snapshot in one round trip. */
export const SQL_TELEMETRY_SNAPSHOT = `
  SELECT g.id, g.site_id, ${apiTime('t.last_heartbeat_at', 'last_heartbeat_at')},
         t.cpu_percent, t.memory_mb, t.camera_recording_status, t.network_throughput
    FROM gateways g LEFT JOIN gateway_telemetry t ON t.gateway_id = g.id
   WHERE g.id = $1 AND g.org_id = $2`;

/** $1 org id, $2 site id, $3 name. */
export const SQL_INSERT_REGISTERED_GATEWAY = `
  INSERT INTO gateways (org_id, site_id, name, status) VALUES ($1, $2, $3, 'registered') RETURNING id`;

/**
 * $1 gateway id, $2 self-reported name, $3 version, $4 local ip. A registered gateway is offline
 * until it connects; one paired again (v1.3) keeps its status until its connection ends. The
 * gateway's new key is issued in the same transaction, after this lock.
 */
export const SQL_PAIR_GATEWAY = `
  UPDATE gateways
     SET status = CASE WHEN status = 'registered' THEN 'offline' ELSE status END, paired_at = now(), updated_at = now(),
         name = COALESCE(NULLIF(name, ''), $2), version = $3, local_ip = $4
   WHERE id = $1`;

/** $1 org id: active codes (unredeemed, unexpired, gateway not disabled) and seconds until the first expires. */
export const SQL_ACTIVE_CODES = `
  SELECT count(*)::int AS n,
         ceil(extract(epoch FROM min(pc.expires_at) - now()))::int AS first_expiry_s
    FROM pairing_codes pc JOIN gateways g ON g.id = pc.gateway_id
   WHERE pc.org_id = $1 AND pc.redeemed_at IS NULL AND pc.expires_at > now() AND g.status <> 'disabled'`;

/** $1 code: held until commit, so a concurrent draw of the same characters waits and then sees ours. */
export const SQL_LOCK_CODE = `SELECT pg_advisory_xact_lock(hashtext('pairing-code:' || $1))`;

/** $1 code. */
export const SQL_CODE_IS_LIVE = `SELECT 1 FROM pairing_codes WHERE code = $1 AND redeemed_at IS NULL AND expires_at > now() LIMIT 1`;

/** $1 org id, $2 gateway id, $3 code, $4 lifetime in seconds. */
export const SQL_INSERT_CODE = `
  INSERT INTO pairing_codes (org_id, gateway_id, code, expires_at)
  VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`;

/** $1 code: the live code first when older codes had the same characters; locked for redemption. */
export const SQL_FIND_CODE_FOR_REDEMPTION = `
  SELECT pc.id, pc.gateway_id, pc.org_id, pc.redeemed_at, pc.expires_at <= now() AS expired
    FROM pairing_codes pc JOIN gateways g ON g.id = pc.gateway_id
   WHERE pc.code = $1 AND g.status <> 'disabled'
   ORDER BY (pc.redeemed_at IS NULL AND pc.expires_at > now()) DESC, pc.created_at DESC
   LIMIT 1
   FOR UPDATE OF pc`;

/** $1 code row id. */
export const SQL_REDEEM_CODE = 'UPDATE pairing_codes SET redeemed_at = now() WHERE id = $1';
