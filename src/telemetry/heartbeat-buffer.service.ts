import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import type { TelemetryReport } from './frames';

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

/**
 * Coalesces heartbeats, telemetry and socket closes in memory and writes them in one SQL
 * statement per flush, whatever the number of gateways. Times are sent as ages and turned
 * into timestamps by PostgreSQL, so every instance agrees with the database's clock.
 */
@Injectable()
export class HeartbeatBuffer implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('HeartbeatBuffer');
  private pending = new Map<string, Pending>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.TELEMETRY_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  get size(): number {
    return this.pending.size;
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

  /** Writes everything buffered so far; concurrent callers share one flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.pending.size > 0 ? this.flush() : undefined));
    if (this.pending.size === 0) return Promise.resolve();
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.write(batch)
      .catch((e: unknown) => {
        this.logger.warn(`flush of ${batch.size} gateway(s) failed, keeping them for the next one: ${e instanceof Error ? e.message : String(e)}`);
        // Nothing is lost: entries that arrived meanwhile are newer and win.
        for (const [id, entry] of batch) {
          const newer = this.pending.get(id);
          if (!newer) this.pending.set(id, entry);
          else if (newer.seq === entry.seq) newer.telemetry = mergeReports(entry.telemetry, newer.telemetry);
        }
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private async write(batch: Map<string, Pending>): Promise<void> {
    const now = performance.now();
    const rows = [...batch].map(([id, p]) => ({
      id,
      seq: p.seq,
      off: p.closed,
      // Age of the newest frame in seconds; null when the entry only records a close.
      age: Number.isNaN(p.frameAt) ? null : Math.max(0, (now - p.frameAt) / 1000),
      t: p.telemetry !== undefined,
      cpu: p.telemetry?.cpu_percent ?? null,
      mem: p.telemetry?.memory_mb ?? null,
      cams: p.telemetry?.camera_recording_status ?? null,
      net: p.telemetry?.network_throughput ?? null,
    }));
    // One statement. The telemetry row takes the heartbeat and the merged report (absent fields
    // keep their value); the gateway row is written only when its status changes: online on the
    // first fresh frame of the current connection, offline when that connection closed. Gateways
    // deleted meanwhile are skipped: FOR KEY SHARE waits for a concurrent delete and drops the row.
    await this.dataSource.query(
      `WITH v AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS x(id uuid, seq bigint, off boolean, age float8, t boolean, cpu float8, mem float8, cams jsonb, net jsonb)
       ), live AS (
         SELECT g.id FROM gateways g JOIN v ON v.id = g.id FOR KEY SHARE OF g
       ), status AS (
         UPDATE gateways g SET status = CASE WHEN v.off THEN 'offline' ELSE 'online' END, updated_at = now()
           FROM v
          WHERE g.id = v.id AND g.connection_seq IS NOT DISTINCT FROM v.seq
            AND ((v.off AND g.status = 'online') OR (NOT v.off AND g.status = 'offline' AND v.age < $2))
       )
       INSERT INTO gateway_telemetry AS cur
         (gateway_id, last_heartbeat_at, cpu_percent, memory_mb, camera_recording_status, network_throughput, reported_at, updated_at)
       SELECT v.id, now() - make_interval(secs => v.age),
              CASE WHEN v.t THEN COALESCE(v.cpu, old.cpu_percent) ELSE old.cpu_percent END,
              CASE WHEN v.t THEN COALESCE(v.mem, old.memory_mb) ELSE old.memory_mb END,
              COALESCE(v.cams, old.camera_recording_status, '{}'::jsonb),
              COALESCE(v.net, old.network_throughput, '{}'::jsonb),
              CASE WHEN v.t THEN now() - make_interval(secs => v.age) ELSE old.reported_at END,
              now()
         FROM v JOIN live ON live.id = v.id LEFT JOIN gateway_telemetry old ON old.gateway_id = v.id
        WHERE v.age IS NOT NULL
       ON CONFLICT (gateway_id) DO UPDATE SET
         last_heartbeat_at = GREATEST(cur.last_heartbeat_at, EXCLUDED.last_heartbeat_at),
         cpu_percent = EXCLUDED.cpu_percent, memory_mb = EXCLUDED.memory_mb,
         camera_recording_status = EXCLUDED.camera_recording_status,
         network_throughput = EXCLUDED.network_throughput,
         reported_at = EXCLUDED.reported_at, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(rows), this.config.offlineAfterS],
    );
  }
}
