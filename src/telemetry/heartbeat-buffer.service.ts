import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import type { TelemetryReport } from './frames';
import { InstanceIdentity } from './instance-identity';

interface Pending {
  /** performance.now() (monotonic, ms) of the newest frame. */
  frameAt: number;
  /** Connection sequence number of the socket the frames came from. */
  seq: string;
  /** The socket closed: mark the gateway offline unless a newer connection exists. */
  closed: boolean;
  telemetry?: TelemetryReport;
}

/** Later fields overwrite earlier ones; absent fields keep what was there. */
function mergeReports(a: TelemetryReport | undefined, b: TelemetryReport | undefined): TelemetryReport | undefined {
  if (!a) return b;
  if (!b) return a;
  return { ...a, ...b };
}

/** The report of this batch applies to the row: it comes from the row's connection or a newer one. */
const FROM_NEWEST = 'v.seq >= COALESCE(cur.connection_seq, v.seq)';
const reported = (column: string, value: string) => `${column} = CASE WHEN ${FROM_NEWEST} THEN COALESCE(${value}, cur.${column}) ELSE cur.${column} END`;

/**
 * One statement per flush, whatever the number of gateways:
 * - the gateway row changes only with its status: online on the first fresh frame of the current
 *   connection, offline when that connection closed;
 * - this instance's row in service_instances records how far its writes got (`flushed_through`,
 *   the moment the batch was taken) and since when they have succeeded without a break;
 * - the telemetry row (made when the connection was accepted) takes the heartbeat and the report.
 *   It is updated in place, so the merge (absent fields keep their value) reads the row as it is
 *   once locked — two instances flushing one gateway at once cannot lose an update — and a
 *   report from an older connection than the one that last wrote the row is dropped.
 * Times travel as ages and become timestamps on the database's clock.
 */
const SQL_FLUSH = `
  WITH v AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb)
      AS x(id uuid, seq bigint, closed boolean, age float8, telemetry boolean, cpu float8, memory float8, cameras jsonb, network jsonb)
  ), status AS (
    UPDATE gateways g SET status = CASE WHEN v.closed THEN 'offline' ELSE 'online' END, updated_at = now()
      FROM v
     WHERE g.id = v.id AND g.connection_seq IS NOT DISTINCT FROM v.seq
       AND ((v.closed AND g.status = 'online') OR (NOT v.closed AND g.status = 'offline' AND v.age < $2))
  ), watermark AS (
    INSERT INTO service_instances AS i (id, flushed_through, available_since)
    VALUES ($3, now() - make_interval(secs => $4), now() - make_interval(secs => $4))
    ON CONFLICT (id) DO UPDATE SET flushed_through = EXCLUDED.flushed_through,
      available_since = CASE WHEN $5 THEN i.available_since ELSE EXCLUDED.available_since END
  )
  UPDATE gateway_telemetry cur SET
    connection_seq = GREATEST(cur.connection_seq, v.seq),
    last_heartbeat_at = GREATEST(cur.last_heartbeat_at, now() - make_interval(secs => v.age)),
    ${reported('cpu_percent', 'v.cpu')},
    ${reported('memory_mb', 'v.memory')},
    ${reported('camera_recording_status', 'v.cameras')},
    ${reported('network_throughput', 'v.network')},
    ${reported('reported_at', 'CASE WHEN v.telemetry THEN now() - make_interval(secs => v.age) END')},
    updated_at = now()
  FROM v
  WHERE cur.gateway_id = v.id AND v.age IS NOT NULL`;

/**
 * Coalesces heartbeats, telemetry and socket closes in memory — one entry per gateway, however
 * many frames — and writes them in one SQL statement per flush. A flush that fails (the database
 * is gone) keeps its entries, merged under anything newer, for the next one: memory stays at one
 * entry per gateway for an outage of any length, and nothing received is lost.
 */
@Injectable()
export class HeartbeatBuffer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('HeartbeatBuffer');
  private pending = new Map<string, Pending>();
  private readonly task: PeriodicTask;
  /** The previous write succeeded: this one continues the instance's unbroken availability. */
  private continuous = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly instance: InstanceIdentity,
  ) {
    this.task = new PeriodicTask('telemetry flush', config.TELEMETRY_FLUSH_INTERVAL_MS, () => this.writePending(), this.logger);
  }

  onModuleInit(): void {
    this.task.start();
  }

  /**
   * This instance's last write succeeded, so its row in service_instances is current — its
   * `available_since` was reset by the first write after any failure.
   */
  get writesCurrent(): boolean {
    return this.continuous;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    await this.flush();
  }

  /** A heartbeat, or a telemetry frame (which is also a heartbeat). */
  record(gatewayId: string, seq: string, telemetry?: TelemetryReport): void {
    const entry = this.pending.get(gatewayId);
    const frameAt = performance.now();
    if (!entry || entry.seq !== seq) {
      this.pending.set(gatewayId, { frameAt, seq, closed: false, telemetry });
      return;
    }
    entry.frameAt = frameAt;
    entry.closed = false;
    entry.telemetry = mergeReports(entry.telemetry, telemetry);
  }

  /** The socket with this sequence number closed. */
  closed(gatewayId: string, seq: string): void {
    const entry = this.pending.get(gatewayId);
    if (entry && entry.seq === seq) entry.closed = true;
    // A replaced socket closes after its successor has started reporting: keep the successor's frames.
    else if (!entry || BigInt(entry.seq) < BigInt(seq)) this.pending.set(gatewayId, { frameAt: Number.NaN, seq, closed: true });
  }

  /**
   * Writes everything buffered so far (after a flush in flight, if any). Never rejects: a
   * failure is logged and the entries wait for the next flush.
   */
  flush(): Promise<void> {
    return this.task.runNow();
  }

  private async writePending(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    const takenAt = performance.now();
    try {
      await this.write(batch, takenAt);
      this.continuous = true;
    } catch (e) {
      this.continuous = false;
      // Entries that arrived meanwhile are newer and win.
      for (const [id, entry] of batch) {
        const newer = this.pending.get(id);
        if (!newer) this.pending.set(id, entry);
        else if (newer.seq === entry.seq) newer.telemetry = mergeReports(entry.telemetry, newer.telemetry);
      }
      throw new Error(`${batch.size} gateway(s) kept for the next flush: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async write(batch: Map<string, Pending>, takenAt: number): Promise<void> {
    const now = performance.now();
    const rows = [...batch].map(([id, p]) => ({
      id,
      seq: p.seq,
      closed: p.closed,
      // Age of the newest frame in seconds; null when the entry only records a close.
      age: Number.isNaN(p.frameAt) ? null : Math.max(0, (now - p.frameAt) / 1000),
      telemetry: p.telemetry !== undefined,
      cpu: p.telemetry?.cpu_percent ?? null,
      memory: p.telemetry?.memory_mb ?? null,
      cameras: p.telemetry?.camera_recording_status ?? null,
      network: p.telemetry?.network_throughput ?? null,
    }));
    await this.dataSource.query(SQL_FLUSH, [
      JSON.stringify(rows),
      this.config.offlineAfterS,
      this.instance.id,
      Math.max(0, (now - takenAt) / 1000),
      this.continuous,
    ]);
  }
}
