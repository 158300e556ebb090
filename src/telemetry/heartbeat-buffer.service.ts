import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import type { TelemetryReport } from './frames';

interface Pending {
  /** process.hrtime-free monotonic time (ms) of the newest frame. */
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
    // One statement: heartbeat times and online/offline on gateways, then the telemetry upsert
    // for the gateways that still exist (the UPDATE locks them against a concurrent delete).
    await this.dataSource.query(
      `WITH v AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS x(id uuid, seq bigint, off boolean, age float8, t boolean, cpu float8, mem float8, cams jsonb, net jsonb)
       ), hb AS (
         UPDATE gateways g SET
           last_heartbeat_at = CASE WHEN v.age IS NULL THEN g.last_heartbeat_at
                                    ELSE GREATEST(g.last_heartbeat_at, now() - make_interval(secs => v.age)) END,
           status = CASE
             WHEN v.off AND g.status = 'online' AND g.connection_seq IS NOT DISTINCT FROM v.seq THEN 'offline'
             WHEN NOT v.off AND g.status = 'offline' AND g.connection_seq IS NOT DISTINCT FROM v.seq
                  AND v.age < $2 THEN 'online'
             ELSE g.status END
         FROM v WHERE g.id = v.id
         RETURNING g.id
       )
       INSERT INTO gateway_telemetry AS cur
         (gateway_id, cpu_percent, memory_mb, camera_recording_status, network_throughput, reported_at, updated_at)
       SELECT v.id, COALESCE(v.cpu, old.cpu_percent), COALESCE(v.mem, old.memory_mb),
              COALESCE(v.cams, old.camera_recording_status, '{}'::jsonb),
              COALESCE(v.net, old.network_throughput, '{}'::jsonb),
              now() - make_interval(secs => v.age), now()
         FROM v JOIN hb ON hb.id = v.id LEFT JOIN gateway_telemetry old ON old.gateway_id = v.id
        WHERE v.t
       ON CONFLICT (gateway_id) DO UPDATE SET
         cpu_percent = EXCLUDED.cpu_percent, memory_mb = EXCLUDED.memory_mb,
         camera_recording_status = EXCLUDED.camera_recording_status,
         network_throughput = EXCLUDED.network_throughput,
         reported_at = EXCLUDED.reported_at, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(rows), this.config.offlineAfterS],
    );
  }
}
