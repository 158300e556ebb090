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
  /** The client's address (recorded as the key's last_peer_address). */
  peer: string;
}

/** What an upgrade learns from its key (see claimConnections). */
export interface ConnectionClaim {
  /** The gateway the key belongs to, when the key is usable; null when no gateway has such a key. */
  ownerId: string | null;
  ownerKeyHash: string | null;
  /** The key (gateway_keys.id). */
  keyId: string | null;
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

/** A key an upgrade may use: active, a rotation's pending key, or retiring within its grace. */
const USABLE_KEY = `(k.state IN ('active', 'pending') OR (k.state = 'retiring' AND k.expires_at > now()))`;

/**
 * $1 ClaimRequest[] as JSON (at most one per path gateway id), $2 this instance, $3 the signal
 * channel. For each request: the gateway whose usable key it is (gateway_keys) and, when it is
 * the gateway of the path and not disabled, the claim — the next sequence number, this instance
 * as the holder of its connection and the key it used — and whether the key belonged to a
 * gateway since deleted. Gateway rows are locked in id order and a row locked by another
 * statement is skipped (`busy`), never waited for: a claim never waits on a flush or an API
 * transaction, and cannot deadlock with one. Every writer of a gateway's keys locks its gateway
 * row first, so the key rows of the claimed gateways are free: the claim records on each key its
 * use (last_used_at, the client's address) and makes a rotation's pending key active (the
 * GatewayCredentials migration's trigger completes the rotation). The claimed connections are
 * announced to every instance (older connections of those gateways end) as
 * `gateways.connected` signals of up to 100 connections each, sent when the statement commits.
 */
const SQL_CLAIM_CONNECTIONS = `
  WITH req AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(n int, "keyHash" character(64), "pathGatewayId" text, peer text)
  ), owner AS (
    SELECT req.n, g.id, g.status, k.id AS key_id, k.key_hash, req.peer, g.id::text = req."pathGatewayId" AS of_path
      FROM req JOIN gateway_keys k ON k.key_hash = req."keyHash" JOIN gateways g ON g.id = k.gateway_id
     WHERE ${USABLE_KEY}
  ), locked AS MATERIALIZED (
    SELECT g.id FROM gateways g
     WHERE g.id IN (SELECT owner.id FROM owner WHERE owner.of_path AND owner.status <> 'disabled')
       AND g.status <> 'disabled'
     ORDER BY g.id
       FOR NO KEY UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE gateways g SET connection_seq = nextval('gateway_connection_seq'), connection_instance = $2, connection_key_id = owner.key_id
      FROM locked JOIN owner ON owner.id = locked.id AND owner.of_path
     WHERE g.id = locked.id
     RETURNING g.id, g.org_id, g.connection_seq
  ), used AS (
    UPDATE gateway_keys k
       SET last_used_at = now(), last_peer_address = left(owner.peer, 64),
           state = CASE WHEN k.state = 'pending' THEN 'active' ELSE k.state END
      FROM claimed JOIN owner ON owner.id = claimed.id AND owner.of_path
     WHERE k.id = owner.key_id
  ), announced AS (
    SELECT count(pg_notify($3, json_build_object('type', 'gateways.connected', 'connections', c.connections)::text)) AS signals
      FROM (SELECT json_agg(json_build_array(id, connection_seq::text)) AS connections
              FROM (SELECT id, connection_seq, (row_number() OVER () - 1) / ${CONNECTIONS_PER_SIGNAL} AS chunk FROM claimed) numbered
             GROUP BY chunk) c
  )
  SELECT req.n, owner.id AS owner_id, owner.key_hash, owner.key_id, claimed.org_id, claimed.connection_seq::text AS seq,
         (claimed.id IS NULL AND owner.status <> 'disabled' AND owner.of_path) AS busy,
         (owner.id IS NULL AND EXISTS (SELECT 1 FROM gateway_tombstones WHERE key_hash = req."keyHash")) AS deleted
    FROM req
    LEFT JOIN owner ON owner.n = req.n
    LEFT JOIN claimed ON claimed.id = owner.id AND owner.of_path
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

  /**
   * Paired (its key is issued by the caller, in the same transaction): a registered gateway is
   * offline until it connects; its self-reported name is used only if it has none. Locks the row.
   */
  @GenerateSql([SAMPLE_UUID, { name: null, version: '2026.04.12', localIp: '192.168.10.24' }, IN_TRANSACTION])
  async markPaired(id: string, paired: { name: string | null; version: string | null; localIp: string | null }, manager: EntityManager): Promise<void> {
    await this.sql.run(SQL_PAIR_GATEWAY, [id, paired.name, paired.version, paired.localIp], manager);
  }

  /** Claims for many upgrades in one statement; the answers are in the order of `requests`. */
  @GenerateSql([[{ keyHash: SAMPLE_HASH, pathGatewayId: SAMPLE_UUID, peer: '198.51.100.7' }], SAMPLE_UUID, 'novavms_signals'])
  async claimConnections(requests: ClaimRequest[], instanceId: string, signalChannel: string): Promise<ConnectionClaim[]> {
    const rows = await this.sql.rows<{ owner_id: string | null; key_hash: string | null; key_id: string | null; org_id: string | null; seq: string | null; busy: boolean | null; deleted: boolean }>(
      SQL_CLAIM_CONNECTIONS,
      [JSON.stringify(requests.map((r, n) => ({ n, ...r }))), instanceId, signalChannel],
    );
    return rows.map((row) => ({
      ownerId: row.owner_id,
      ownerKeyHash: row.key_hash,
      keyId: row.key_id,
      orgId: row.org_id,
      seq: row.seq,
      busy: row.busy === true,
      deleted: row.deleted,
    }));
  }

  /** Status, newest connection and whether that connection's key is still usable, of each gateway that still exists. */
  @GenerateSql([[SAMPLE_UUID]])
  connectionStates(ids: string[]): Promise<{ id: string; status: GatewayStatus; seq: string | null; key_usable: boolean }[]> {
    return this.sql.rows(
      `SELECT g.id, g.status, g.connection_seq::text AS seq, (g.connection_key_id IS NULL OR COALESCE(${USABLE_KEY}, false)) AS key_usable
         FROM gateways g LEFT JOIN gateway_keys k ON k.id = g.connection_key_id
        WHERE g.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Returns how many gateways went offline (at most `limit`). */
  @GenerateSql([30, [{ id: SAMPLE_UUID, flushedThrough: new Date(0), dead: false }], 200])
  async markSilentOffline(offlineAfterS: number, holders: ConnectionHolder[], limit: number): Promise<number> {
    const { affected } = await this.sql.run(SQL_MARK_SILENT_OFFLINE, [offlineAfterS, JSON.stringify(holders), limit]);
    return affected;
  }
}
