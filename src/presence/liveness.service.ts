import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InstanceIdentity } from '../common/instance-identity';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { GatewaysRepository } from '../gateways/gateways.repository';
import { IngestWatermarksRepository } from '../telemetry/ingest-watermarks.repository';
import { TelemetryIngest } from '../telemetry/telemetry-ingest.service';
import { judgeHolders } from './liveness-rules';

/** Gateways one statement of the sweep takes offline at most; a sweep runs as many as it needs. */
export const SWEEP_BATCH = 200;

/**
 * Marks gateways offline once OFFLINE_AFTER_S pass without a heartbeat — including gateways
 * whose socket lived on an instance that died — but only when that is known (judgeHolders,
 * GatewaysRepository.markSilentOffline): heartbeats still buffered on an instance that could not
 * reach the database never turn into a false offline. Every instance sweeps; the statement is
 * idempotent and starts from a partial index on online gateways.
 */
@Injectable()
export class LivenessService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LivenessService.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly gateways: GatewaysRepository,
    private readonly watermarks: IngestWatermarksRepository,
    private readonly ingest: TelemetryIngest,
    private readonly config: AppConfig,
    private readonly instance: InstanceIdentity,
    private readonly metrics: Metrics,
  ) {
    this.task = new PeriodicTask('liveness sweep', config.LIVENESS_SWEEP_INTERVAL_MS, () => this.sweep(), this.logger);
  }

  onModuleInit(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Returns how many gateways went offline. Throws when the database does not answer. */
  async sweep(): Promise<number> {
    if (!this.ingest.writesCurrent) return 0;
    // Our own watermark must be recent: two flush intervals and a second.
    const ownFreshS = (2 * this.config.TELEMETRY_FLUSH_INTERVAL_MS) / 1000 + 1;
    const holders = judgeHolders(await this.watermarks.all(), this.instance.id, this.config.offlineAfterS, ownFreshS);
    if (!holders) return 0;
    let affected = 0;
    for (let taken = SWEEP_BATCH; taken === SWEEP_BATCH; affected += taken) {
      taken = await this.gateways.markSilentOffline(this.config.offlineAfterS, holders, SWEEP_BATCH);
      this.metrics.livenessOffline.inc(taken);
    }
    if (affected > 0) this.logger.log(`${affected} gateway(s) went offline: no heartbeat for ${this.config.offlineAfterS}s`);
    return affected;
  }
}
