import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';

const SWEEP_INTERVAL_MS = 1000;

/**
 * Marks gateways offline once OFFLINE_AFTER_S pass without a heartbeat — including gateways
 * whose socket lived on an instance that died. Every instance sweeps; the statement is
 * idempotent and uses a partial index on online gateways.
 */
@Injectable()
export class LivenessService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Liveness');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const [, affected] = await this.dataSource.query(
        `UPDATE gateways g SET status = 'offline', updated_at = now()
          WHERE g.status = 'online'
            AND NOT EXISTS (SELECT 1 FROM gateway_telemetry t
                             WHERE t.gateway_id = g.id AND t.last_heartbeat_at >= now() - make_interval(secs => $1))`,
        [this.config.offlineAfterS],
      );
      if (affected > 0) this.logger.log(`${affected} gateway(s) went offline: no heartbeat for ${this.config.offlineAfterS}s`);
      return affected as number;
    } catch (e) {
      this.logger.warn(`liveness sweep failed: ${e instanceof Error ? e.message : String(e)}`);
      return 0;
    } finally {
      this.running = false;
    }
  }
}
