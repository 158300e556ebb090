import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { changeContextCte } from '../database/change-context';
import { Sql } from '../database/sql';
import { Gateway, GatewayStatus } from './gateway.entity';
import { GenerateSql, IN_TRANSACTION, SAMPLE_HASH, SAMPLE_UUID } from '../database/sql-snapshot';
import type { GatewayListFilter, GatewayRow } from './gateway.sql';
import { listGatewaysQueries, SQL_GATEWAY_BY_ID, SQL_INSERT_REGISTERED_GATEWAY, SQL_PAIR_GATEWAY } from './gateway.sql';

/** One upgrade's request in a batch of connection claims (see claimConnections). */
export interface ClaimRequest {
  keyHash: string;
  /** The gateway id of the upgrade's path, lower case. */
  pathGatewayId: string;
}

/** What an upgrade learns from its key (see claimConnections). */
export interface ConnectionClaim {
  /** The gateway the key belongs to; null when no gateway has it. */
  ownerId: string | null;
  ownerKeyHash: string | null;
  /** Set when the connection was claimed: the key's gateway is the path's, and not disabled. */
  orgId: string | null;
  seq: string | null;
  /**
   * The claim would have been made but the gateway's row was locked by another statement (a
   * flush, the sweep, an API change): nothing was written, the claim is to be asked again.
   */
  busy: boolean;
  /** The key belonged to a gateway that has been deleted. */
  deleted: boolean;
}

/** Connections announced per notification: each is about 50 bytes, a notification may carry 8,000. */
const CONNECTIONS_PER_SIGNAL = 100;

/**
 * $1 ClaimRequest[] as JSON (at most one per key hash), $2 this instance, $3 the signal
 * channel. For each request: the gateway that owns the key and, when it is the gateway of the
 * path and not disabled, the claim — the next sequence number and this instance as the holder
 * of its connection — and whether the key belonged to a gateway since deleted. Gateway rows are
 * locked in id order and a row locked by another statement is skipped (`busy`), never waited
 * for: a claim never waits on a flush or an API transaction, and cannot deadlock with one.
 * The claimed connections are announced to every instance (older connections of those gateways
 * end) as `gateways.connected` signals of up to 100 connections each, sent when the statement
 * commits.
 */
const SQL_CLAIM_CONNECTIONS = `
  WITH req AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(n int, "keyHash" text, "pathGatewayId" text)
  ), owner AS (
    SELECT req.n, g.id, g.key_hash, g.status FROM req JOIN gateways g ON g.key_hash = req."keyHash"
  ), locked AS MATERIALIZED (
    SELECT g.id FROM gateways g
     WHERE g.id IN (SELECT owner.id FROM owner JOIN req USING (n) WHERE owner.id::text = req."pathGatewayId" AND owner.status <> 'disabled')
       AND g.status <> 'disabled'
     ORDER BY g.id
       FOR NO KEY UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE gateways g SET connection_seq = nextval('gateway_connection_seq'), connection_instance = $2
      FROM locked
     WHERE g.id = locked.id
     RETURNING g.id, g.org_id, g.connection_seq
  ), announced AS (
    SELECT count(pg_notify($3, json_build_object('type', 'gateways.connected', 'connections', c.connections)::text)) AS signals
      FROM (SELECT json_agg(json_build_array(id, connection_seq::text)) AS connections
              FROM (SELECT id, connection_seq, (row_number() OVER () - 1) / ${CONNECTIONS_PER_SIGNAL} AS chunk FROM claimed) numbered
             GROUP BY chunk) c
  )
  SELECT req.n, owner.id AS owner_id, owner.key_hash, claimed.org_id, claimed.connection_seq::text AS seq,
         (claimed.id IS NULL AND owner.status <> 'disabled' AND owner.id::text = req."pathGatewayId") AS busy,
         (owner.id IS NULL AND EXISTS (SELECT 1 FROM gateway_tombstones WHERE key_hash = req."keyHash")) AS deleted
    FROM req
    LEFT JOIN owner ON owner.n = req.n
    LEFT JOIN claimed ON claimed.id = owner.id
    CROSS JOIN announced
   ORDER BY req.n`;

/** The instance that holds connections, as the liveness sweep judges it (LivenessService). */
export interface ConnectionHolder {
  id: string;
  /** Every frame it received before this moment is written. */
  flushedThrough: Date;
  /** It has written nothing for OFFLINE_AFTER_S while the judge could reach the database. */
  dead: boolean;
}

/**
 * $1 key hash, $2 gateway id of the path, $3 this instance. The gateway that owns the key; when
 * it is the gateway of the path and not disabled, the connection claims the next sequence number
 * and this instance as its holder, and the gateway's live-state row is made if it has none; and
 * whether the key belonged to a gateway since deleted.
 */
const SQL_CLAIM_CONNECTION = `
  WITH owner AS (
    SELECT id, key_hash FROM gateways WHERE key_hash = $1
  ), claimed AS (
    UPDATE gateways g SET connection_seq = nextval('gateway_connection_seq'), connection_instance = $3
      FROM owner
     WHERE g.id = owner.id AND owner.id::text = $2 AND g.status <> 'disabled'
     RETURNING g.id, g.org_id, g.connection_seq
  ), live_state AS (
    INSERT INTO gateway_telemetry (gateway_id) SELECT id FROM claimed ON CONFLICT (gateway_id) DO NOTHING
  )
  SELECT owner.id AS owner_id, owner.key_hash, claimed.org_id, claimed.connection_seq::text AS seq,
         EXISTS (SELECT 1 FROM gateway_tombstones WHERE key_hash = $1) AS deleted
    FROM (SELECT 1) AS one LEFT JOIN owner ON true LEFT JOIN claimed ON true`;

/**
 * $1 OFFLINE_AFTER_S, $2 the holders (ConnectionHolder[] as JSON), $3 most gateways to take. A gateway whose stored
 * heartbeat is older than OFFLINE_AFTER_S goes offline when no known instance holds its
 * connection, when its holder has written everything it received until OFFLINE_AFTER_S after
 * that heartbeat (it heard nothing since), or when its holder is dead. Recorded as events with
 * reason `heartbeat_timeout`. Rows are locked in id order and a row locked by another statement
 * (a flush bringing its heartbeat, a claim) is left for the next sweep. At most $3 at a time, so
 * that a network losing thousands of gateways at once never holds their rows for seconds.
 */
const SQL_MARK_SILENT_OFFLINE = `
  WITH ${changeContextCte('change', { reason: 'heartbeat_timeout' })}, holder AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS h(id uuid, "flushedThrough" timestamptz, dead boolean)
  ), silent AS MATERIALIZED (
    SELECT s.id FROM gateways s
      LEFT JOIN gateway_telemetry t ON t.gateway_id = s.id
      LEFT JOIN holder h ON h.id = s.connection_instance
     WHERE s.status = 'online'
       AND COALESCE(t.last_heartbeat_at, '-infinity') < now() - make_interval(secs => $1)
       AND (h.id IS NULL OR h.dead
            OR h."flushedThrough" >= COALESCE(t.last_heartbeat_at, '-infinity') + make_interval(secs => $1))
     ORDER BY s.id
     LIMIT $3
       FOR NO KEY UPDATE OF s SKIP LOCKED
  )
  UPDATE gateways g SET status = 'offline', updated_at = now()
    FROM change, silent
   WHERE g.id = silent.id AND g.status = 'online'`;

/** The gateways table: the gateway API's reads and writes, pairing's, the connection claim and the liveness sweep. */
@Injectable()
export class GatewaysRepository {
  constructor(private readonly sql: Sql) {}

  /** The gateway of this org as the API shows it; inside `manager`'s transaction when given. */
  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID])
  async findById(id: string, orgId: string, manager?: EntityManager): Promise<GatewayRow | undefined> {
    const [row] = await this.sql.rows<GatewayRow>(SQL_GATEWAY_BY_ID, [id, orgId], manager);
    return row;
  }

  @GenerateSql([{ orgId: SAMPLE_UUID, siteIds: null, limit: 100, offset: 0 }], [{ orgId: SAMPLE_UUID, siteIds: [SAMPLE_UUID], status: 'online', limit: 100, offset: 0 }])
  async list(filter: GatewayListFilter): Promise<{ rows: GatewayRow[]; total: number }> {
    const sql = listGatewaysQueries(filter);
    const [rows, [{ total }]] = await Promise.all([
      this.sql.rows<GatewayRow>(sql.page, sql.pageParams),
      this.sql.rows<{ total: number }>(sql.count, sql.countParams),
    ]);
    return { rows, total };
  }

  /**
   * The gateway, locked FOR NO KEY UPDATE in `manager`'s transaction, with the capabilities of
   * its last `session` frame (none when it never sent one): what a new command or configuration
   * is checked against. Not FOR UPDATE: a row inserted meanwhile that references the gateway
   * (a gateway's first configuration report) takes KEY SHARE on it and must not wait.
   */
  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, IN_TRANSACTION])
  async lockWithCapabilities(id: string, orgId: string, manager: EntityManager): Promise<{ id: string; site_id: string; status: GatewayStatus; capabilities: string[] } | undefined> {
    const [row] = await this.sql.rows<{ id: string; site_id: string; status: GatewayStatus; capabilities: string[] | null }>(
      `SELECT g.id, g.site_id, g.status, t.capabilities FROM gateways g LEFT JOIN gateway_telemetry t ON t.gateway_id = g.id
        WHERE g.id = $1 AND g.org_id = $2 FOR NO KEY UPDATE OF g`,
      [id, orgId],
      manager,
    );
    return row && { ...row, capabilities: row.capabilities ?? [] };
  }

  /** These gateways locked FOR NO KEY UPDATE in id order, as a configuration write locks one (a camera moving between two). */
  @GenerateSql([[SAMPLE_UUID, SAMPLE_UUID], IN_TRANSACTION])
  async lockNoKeyInOrder(ids: string[], manager: EntityManager): Promise<void> {
    await this.sql.run('SELECT id FROM gateways WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE', [ids], manager);
  }

  /** The row, locked until the transaction ends: concurrent changes of one gateway go one at a time. */
  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, IN_TRANSACTION])
  lockForUpdate(id: string, orgId: string, manager: EntityManager): Promise<Gateway | null> {
    return manager.getRepository(Gateway).findOne({ where: { id, orgId }, lock: { mode: 'pessimistic_write' } });
  }

  @GenerateSql([SAMPLE_UUID, { name: 'Warehouse A', siteId: SAMPLE_UUID, status: 'disabled' }, IN_TRANSACTION])
  async update(id: string, changes: Partial<Pick<Gateway, 'name' | 'siteId' | 'status'>>, manager: EntityManager): Promise<void> {
    await manager.getRepository(Gateway).update({ id }, changes);
  }

  @GenerateSql([SAMPLE_UUID, IN_TRANSACTION])
  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(Gateway).delete({ id });
  }

  /** A new gateway, status registered; returns its id. */
  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, 'Warehouse A', IN_TRANSACTION])
  async insertRegistered(orgId: string, siteId: string, name: string, manager: EntityManager): Promise<string> {
    const [row] = await this.sql.rows<{ id: string }>(SQL_INSERT_REGISTERED_GATEWAY, [orgId, siteId, name], manager);
    return row.id;
  }

  /** Paired: its key hash is set and it is offline until it connects; its self-reported name is used only if it has none. */
  @GenerateSql([SAMPLE_UUID, { keyHash: SAMPLE_HASH, name: null, version: '2026.04.12', localIp: '192.168.10.24' }, IN_TRANSACTION])
  async markPaired(
    id: string,
    paired: { keyHash: string; name: string | null; version: string | null; localIp: string | null },
    manager: EntityManager,
  ): Promise<void> {
    await this.sql.run(SQL_PAIR_GATEWAY, [id, paired.keyHash, paired.name, paired.version, paired.localIp], manager);
  }

  /** Claims for many upgrades in one statement; the answers are in the order of `requests`. */
  @GenerateSql([[{ keyHash: SAMPLE_HASH, pathGatewayId: SAMPLE_UUID }], SAMPLE_UUID, 'novavms_signals'])
  async claimConnections(requests: ClaimRequest[], instanceId: string, signalChannel: string): Promise<ConnectionClaim[]> {
    const rows = await this.sql.rows<{ owner_id: string | null; key_hash: string | null; org_id: string | null; seq: string | null; busy: boolean | null; deleted: boolean }>(
      SQL_CLAIM_CONNECTIONS,
      [JSON.stringify(requests.map((r, n) => ({ n, ...r }))), instanceId, signalChannel],
    );
    return rows.map((row) => ({
      ownerId: row.owner_id,
      ownerKeyHash: row.key_hash,
      orgId: row.org_id,
      seq: row.seq,
      busy: row.busy === true,
      deleted: row.deleted,
    }));
  }

  /** Status and newest connection of each gateway that still exists. */
  @GenerateSql([[SAMPLE_UUID]])
  connectionStates(ids: string[]): Promise<{ id: string; status: GatewayStatus; seq: string | null }[]> {
    return this.sql.rows('SELECT id, status, connection_seq::text AS seq FROM gateways WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** Returns how many gateways went offline (at most `limit`). */
  @GenerateSql([30, [{ id: SAMPLE_UUID, flushedThrough: new Date(0), dead: false }], 200])
  async markSilentOffline(offlineAfterS: number, holders: ConnectionHolder[], limit: number): Promise<number> {
    const { affected } = await this.sql.run(SQL_MARK_SILENT_OFFLINE, [offlineAfterS, JSON.stringify(holders), limit]);
    return affected;
  }
}
