import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InstanceIdentity } from '../common/instance-identity';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import { Transactions } from '../database/transactions';
import { Metrics } from '../metrics/metrics';
import { GatewayFrames, GatewayLiveStateRepository } from '../gateways/gateway-live-state.repository';
import { IngestWatermarksRepository } from './ingest-watermarks.repository';
import type { SessionReport, TelemetryReport } from './telemetry-report';

interface Pending {
  /** performance.now() (monotonic, ms) of the newest frame. */
  frameAt: number;
  /** Connection sequence number of the socket the frames came from. */
  seq: string;
  /** The socket closed: mark the gateway offline unless a newer connection exists. */
  closed: boolean;
  telemetry?: TelemetryReport;
  /** The newest `session` frame of this connection since the last write. */
  session?: SessionReport;
}

const NOTHING_WRITING: ReadonlyMap<string, Pending> = new Map();

/** An instance that has written nothing for a day is gone; its row is dropped when another starts. */
const GONE_INSTANCE_S = 86_400;

/** Later fields overwrite earlier ones; absent fields keep what was there. */
function mergeReports(a: TelemetryReport | undefined, b: TelemetryReport | undefined): TelemetryReport | undefined {
  if (!a) return b;
  if (!b) return a;
  return { ...a, ...b };
}

/**
 * The ingest of gateway frames: heartbeats, telemetry and socket closes are coalesced in memory —
 * one entry per gateway, however many frames — and written every TELEMETRY_FLUSH_INTERVAL_MS in
 * one transaction for any number of gateways (GatewayLiveStateRepository.applyFrames: a statement
 * for the gateway rows, one for their live state), then this instance's watermark (how far its
 * writes got). A write that fails (the
 * database is gone) keeps its entries, merged under anything newer, for the next one: memory
 * stays at one entry per gateway for an outage of any length, and nothing received is lost.
 */
@Injectable()
export class TelemetryIngest implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TelemetryIngest.name);
  private pending = new Map<string, Pending>();
  /** The entries a flush is writing right now (their frames are not written until it succeeds). */
  private writing: ReadonlyMap<string, Pending> = NOTHING_WRITING;
  private readonly task: PeriodicTask;
  /** The previous write succeeded: this one continues the instance's unbroken availability. */
  private continuous = false;

  constructor(
    private readonly liveState: GatewayLiveStateRepository,
    private readonly watermarks: IngestWatermarksRepository,
    private readonly config: AppConfig,
    private readonly instance: InstanceIdentity,
    private readonly metrics: Metrics,
    private readonly transactions: Transactions,
  ) {
    this.task = new PeriodicTask('telemetry flush', config.TELEMETRY_FLUSH_INTERVAL_MS, () => this.writePending(), this.logger);
    metrics.sample(metrics.oldestUnflushedAge, () => this.oldestPendingAgeS());
  }

  /** Seconds since the oldest frame still waiting to be written arrived; 0 when none waits. */
  private oldestPendingAgeS(): number {
    let oldest = Infinity;
    for (const entries of [this.writing, this.pending]) for (const entry of entries.values()) if (entry.frameAt < oldest) oldest = entry.frameAt;
    return oldest === Infinity ? 0 : (performance.now() - oldest) / 1000;
  }

  onModuleInit(): void {
    this.task.start();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.watermarks.pruneOlderThan(GONE_INSTANCE_S);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
    await this.flush();
  }

  /**
   * This instance's last write succeeded, so its watermark is current — its `available_since`
   * was reset by the first write after any failure.
   */
  get writesCurrent(): boolean {
    return this.continuous;
  }

  /** A heartbeat, or a telemetry or session frame (each also a heartbeat). */
  record(gatewayId: string, seq: string, telemetry?: TelemetryReport, session?: SessionReport): void {
    const entry = this.pending.get(gatewayId);
    const frameAt = performance.now();
    // A late frame of a replaced connection never displaces what the newer one sent.
    if (entry && BigInt(seq) < BigInt(entry.seq)) return;
    if (!entry || entry.seq !== seq) {
      this.pending.set(gatewayId, { frameAt, seq, closed: false, telemetry, session });
      return;
    }
    entry.frameAt = frameAt;
    entry.closed = false;
    entry.telemetry = mergeReports(entry.telemetry, telemetry);
    if (session) entry.session = session;
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
    this.writing = batch;
    const takenAt = performance.now();
    try {
      if (batch.size > 0) {
        const frames = this.frames(batch);
        await this.transactions.run((m) => this.liveState.applyFrames(frames, this.config.offlineAfterS, m));
      }
      await this.watermarks.record(this.instance.id, (performance.now() - takenAt) / 1000, this.continuous);
      this.continuous = true;
      if (batch.size > 0) this.metrics.flushRows.observe(batch.size);
    } catch (e) {
      this.metrics.flushFailures.inc();
      this.continuous = false;
      // Entries that arrived meanwhile are newer and win.
      for (const [id, entry] of batch) {
        const newer = this.pending.get(id);
        if (!newer) this.pending.set(id, entry);
        else if (newer.seq === entry.seq) {
          newer.telemetry = mergeReports(entry.telemetry, newer.telemetry);
          newer.session ??= entry.session;
        }
      }
      throw new Error(`${batch.size} gateway(s) kept for the next flush: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.metrics.flushDuration.observe((performance.now() - takenAt) / 1000);
      this.writing = NOTHING_WRITING;
    }
  }

  private frames(batch: Map<string, Pending>): GatewayFrames[] {
    const now = performance.now();
    return [...batch].map(([id, p]) => ({
      id,
      seq: p.seq,
      closed: p.closed,
      age: Number.isNaN(p.frameAt) ? null : Math.max(0, (now - p.frameAt) / 1000),
      telemetry: p.telemetry !== undefined,
      cpu: p.telemetry?.cpu_percent ?? null,
      memory: p.telemetry?.memory_mb ?? null,
      cameras: p.telemetry?.camera_recording_status ?? null,
      network: p.telemetry?.network_throughput ?? null,
      session: p.session ?? null,
    }));
  }
}
