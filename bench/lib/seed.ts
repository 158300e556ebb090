/**
 * Seeding by direct SQL, after the service has started once on the empty database (it runs the
 * migrations and bootstraps org "Default", its site and the admin key from
 * NOVAVMS_BOOTSTRAP_ADMIN_KEY).
 */
import { createHash, randomBytes } from 'node:crypto';
import { withClient } from './postgres';

export const ADMIN_KEY = `sk_live_bench_${randomBytes(16).toString('base64url')}`;

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export interface OrgRef {
  orgId: string;
  siteId: string;
}

/** The org and first site of the bootstrap admin key. */
export async function bootstrapOrg(databaseUrl: string, adminKey: string): Promise<OrgRef> {
  return withClient(databaseUrl, async (c) => {
    const { rows } = await c.query<{ org_id: string; site_id: string }>(
      `SELECT k.org_id, (SELECT s.id FROM sites s WHERE s.org_id = k.org_id ORDER BY s.created_at LIMIT 1) AS site_id
         FROM api_keys k WHERE k.key_hash = $1`,
      [sha256(adminKey)],
    );
    if (!rows[0]?.site_id) throw new Error('the bootstrap admin key or its site is missing: did the service start on an empty database?');
    return { orgId: rows[0].org_id, siteId: rows[0].site_id };
  });
}

/**
 * `count` gateways in the org, each with a telemetry row, created_at one second apart (the
 * list's order), half online and half offline. Returns their ids in list order.
 */
export async function seedGateways(databaseUrl: string, org: OrgRef, count: number): Promise<string[]> {
  return withClient(databaseUrl, async (c) => {
    await c.query('BEGIN');
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO gateways (org_id, site_id, name, status, version, local_ip, paired_at, created_at, updated_at)
       SELECT $1, $2, 'bench gateway ' || i, CASE WHEN i % 2 = 0 THEN 'online' ELSE 'offline' END, '2.4.1',
              '192.0.2.' || (i % 250 + 1), now() - interval '1 day',
              now() - interval '1 day' + make_interval(secs => i), now()
         FROM generate_series(1, $3::int) AS i
       RETURNING id`,
      [org.orgId, org.siteId, count],
    );
    await c.query(
      `UPDATE gateway_telemetry t SET last_heartbeat_at = now() - make_interval(secs => (random() * 30)::int), cpu_percent = 42.5, memory_mb = 1830,
              camera_recording_status = jsonb_build_object(gen_random_uuid()::text, 'recording', gen_random_uuid()::text, 'idle'),
              network_throughput = '{"upstream_mbps": 12.4, "downstream_mbps": 3.1}'::jsonb, reported_at = now(), updated_at = now()
         FROM gateways g WHERE g.id = t.gateway_id AND g.org_id = $1 AND g.id = ANY($2::uuid[])`,
      [org.orgId, rows.map((r) => r.id)],
    );
    await c.query('COMMIT');
    await c.query('ANALYZE gateways');
    await c.query('ANALYZE gateway_telemetry');
    const ordered = await c.query<{ id: string }>(
      'SELECT id FROM gateways WHERE org_id = $1 AND id = ANY($2::uuid[]) ORDER BY created_at, id',
      [org.orgId, rows.map((r) => r.id)],
    );
    return ordered.rows.map((r) => r.id);
  });
}

export interface PairedGateway {
  id: string;
  apiKey: string;
}

/** `count` paired gateways (status offline) with known gw_ keys, as pairing leaves them. */
export async function seedPairedGateways(databaseUrl: string, org: OrgRef, count: number): Promise<PairedGateway[]> {
  const keys = Array.from({ length: count }, () => `gw_${randomBytes(32).toString('base64url')}`);
  const byHash = new Map(keys.map((k) => [sha256(k), k]));
  return withClient(databaseUrl, async (c) => {
    const out: PairedGateway[] = [];
    for (let i = 0; i < keys.length; i += 5000) {
      const hashes = keys.slice(i, i + 5000).map(sha256);
      const { rows } = await c.query<{ id: string; key_hash: string }>(
        `WITH k AS MATERIALIZED (SELECT gen_random_uuid() AS id, h, n FROM unnest($3::text[]) WITH ORDINALITY AS t(h, n)),
              g AS (INSERT INTO gateways (id, org_id, site_id, name, status, version, local_ip, paired_at)
                    SELECT k.id, $1, $2, 'ws bench gateway ' || ($4::int + k.n), 'offline', 'sim-1.0', '192.0.2.10', now() FROM k ORDER BY k.n),
              keys AS (INSERT INTO gateway_keys (org_id, gateway_id, key_hash, state) SELECT $1, k.id, k.h, 'active' FROM k)
         SELECT k.id, k.h AS key_hash FROM k ORDER BY k.n`,
        [org.orgId, org.siteId, hashes, i],
      );
      for (const r of rows) out.push({ id: r.id, apiKey: byHash.get(r.key_hash.trim())! });
    }
    await c.query('ANALYZE gateways');
    return out;
  });
}

export interface SeededOrg extends OrgRef {
  adminKey: string;
}

/** `count` orgs, each with one site and an admin key, made by SQL as `npm run admin -- org create` would. */
export async function seedOrgs(databaseUrl: string, count: number): Promise<SeededOrg[]> {
  const keys = Array.from({ length: count }, () => `sk_live_${randomBytes(24).toString('base64url')}`);
  return withClient(databaseUrl, async (c) => {
    const { rows } = await c.query<{ org_id: string; site_id: string }>(
      `WITH o AS (
         INSERT INTO orgs (name) SELECT 'fleet org ' || n FROM generate_series(1, $1::int) AS n RETURNING id, name
       ), s AS (
         INSERT INTO sites (org_id, name) SELECT id, 'fleet site' FROM o RETURNING id, org_id
       )
       SELECT o.id AS org_id, s.id AS site_id FROM o JOIN s ON s.org_id = o.id`,
      [count],
    );
    await c.query(
      `INSERT INTO api_keys (org_id, name, role, key_hash) SELECT unnest($1::uuid[]), 'fleet admin', 'admin', unnest($2::text[])`,
      [rows.map((r) => r.org_id), keys.map(sha256)],
    );
    return rows.map((r, i) => ({ orgId: r.org_id, siteId: r.site_id, adminKey: keys[i] }));
  });
}
