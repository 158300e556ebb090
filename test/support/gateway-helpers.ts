import { createHash } from 'node:crypto';
import { bearer } from './factories';
import type { TestApp } from './test-app';

/** Shared helpers for test/gateways-*.e2e-spec.ts. */

export const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
export const LIST_ITEM_KEYS = ['id', 'last_heartbeat_at', 'local_ip', 'name', 'site_id', 'status', 'version'];
export const GET_KEYS = [...LIST_ITEM_KEYS, 'created_at'].sort();
export const STATUSES = ['registered', 'offline', 'online', 'disabled'] as const;
export type Status = (typeof STATUSES)[number];

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * Sets a gateway's status behind the API's back (the WebSocket is what makes a gateway online).
 * An online gateway also gets a fresh heartbeat, or the liveness sweep would take it offline
 * again within a second.
 */
export async function setStatus(t: TestApp, gatewayId: string, status: Status): Promise<void> {
  if (status === 'online') {
    await t.dataSource.query(
      `UPDATE gateway_telemetry SET last_heartbeat_at = now() WHERE gateway_id = $1`,
      [gatewayId],
    );
  }
  await t.dataSource.query('UPDATE gateways SET status = $2 WHERE id = $1', [gatewayId, status]);
}

/** The gateway row as stored, or undefined when it is gone. */
export async function gatewayRow(
  t: TestApp,
  gatewayId: string,
): Promise<{ status: string; name: string | null; site_id: string; key_hash: string | null } | undefined> {
  // key_hash: the gateway's active key (gateway_keys), null when it has none.
  const [row] = await t.dataSource.query(
    `SELECT g.status, g.name, g.site_id, (SELECT k.key_hash FROM gateway_keys k WHERE k.gateway_id = g.id AND k.state = 'active') AS key_hash
       FROM gateways g WHERE g.id = $1`,
    [gatewayId],
  );
  return row;
}

/**
 * Inserts `count` gateways straight into the table (cheap bulk set-up for list tests). Rows of one
 * call share one created_at unless `spreadS` spreads them `i * spreadS` seconds into the past.
 * Returns the ids.
 */
export async function insertGateways(
  t: TestApp,
  orgId: string,
  siteId: string,
  count: number,
  opts: { status?: Status; namePrefix?: string; spreadS?: number } = {},
): Promise<string[]> {
  const rows: { id: string }[] = await t.dataSource.query(
    `INSERT INTO gateways (org_id, site_id, name, status, created_at)
     SELECT $1, $2, $3 || g, $4, now() - make_interval(secs => g * $6)
       FROM generate_series(1, $5) AS g
     RETURNING id`,
    [orgId, siteId, opts.namePrefix ?? 'bulk-', opts.status ?? 'offline', count, opts.spreadS ?? 0],
  );
  if (opts.status === 'online') {
    // As setStatus: an online gateway has a fresh heartbeat, or the liveness sweep takes it offline.
    await t.dataSource.query(
      `UPDATE gateway_telemetry SET last_heartbeat_at = now() WHERE gateway_id = ANY($1::uuid[])`,
      [rows.map((r) => r.id)],
    );
  }
  return rows.map((r) => r.id);
}

/** POST /pair with just a code. */
export const pair = (t: TestApp, code: string, extra: Record<string, unknown> = {}) =>
  t.http().post('/api/v1/gateways/pair').send({ pairing_code: code, ...extra });

export const getGateway = (t: TestApp, id: string, key = t.adminKey) => t.http().get(`/api/v1/gateways/${id}`).set(bearer(key));

export const patchGateway = (t: TestApp, id: string, body: unknown, key = t.adminKey) =>
  t.http().patch(`/api/v1/gateways/${id}`).set(bearer(key)).send(body as object);

export const deleteGateway = (t: TestApp, id: string, key = t.adminKey) => t.http().delete(`/api/v1/gateways/${id}`).set(bearer(key));

export const telemetry = (t: TestApp, id: string, key = t.adminKey) => t.http().get(`/api/v1/gateways/${id}/telemetry`).set(bearer(key));

export const listGateways = (t: TestApp, query = '', key = t.adminKey) => t.http().get(`/api/v1/gateways${query}`).set(bearer(key));

/** The telemetry snapshot of a gateway that has never reported. */
export const emptyTelemetry = (gatewayId: string) => ({
  gateway_id: gatewayId,
  cpu_percent: null,
  memory_mb: null,
  last_heartbeat_at: null,
  camera_recording_status: {},
  network_throughput: {},
});
