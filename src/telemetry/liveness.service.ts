import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import { HeartbeatBuffer } from './heartbeat-buffer.service';
import { InstanceIdentity } from './instance-identity';

/**
 * $1 OFFLINE_AFTER_S, $2 this instance's id, $3 how recent this instance's own last write must
 * be (seconds) for it to judge others.
 *
 * A gateway whose stored heartbeat is older than OFFLINE_AFTER_S goes offline only when that is
 * known to be true, not merely because its frames have not reached the database yet:
 * - no instance holds its connection (its socket closed, or it was set online by hand); or
 * - the instance that holds it has written everything it received until OFFLINE_AFTER_S after
 *   that heartbeat: it has heard nothing since; or
 * - that instance has written nothing for OFFLINE_AFTER_S while this one could reach the
 *   database all along (available_since): it is dead, or cut off from the database.
 * After an outage every instance's writes are behind; the second rule waits for the holder to
 * catch up, and the third only starts counting once this instance is back — so heartbeats still
 * buffered on any instance never turn into a false offline.
 */
const SQL_SWEEP = `
  WITH judge AS (
    SELECT available_since FROM service_instances
     WHERE id = $2 AND flushed_through > now() - make_interval(secs => $3)
  )
  UPDATE gateways g SET status = 'offline', updated_at = now()
    FROM judge, gateways s
    LEFT JOIN gateway_telemetry t ON t.gateway_id = s.id
    LEFT JOIN service_instances holder ON holder.id = s.connection_instance
   WHERE g.id = s.id AND g.status = 'online'
     AND COALESCE(t.last_heartbeat_at, '-infinity') < now() - make_interval(secs => $1)
     AND (holder.id IS NULL
          OR holder.flushed_through >= COALESCE(t.last_heartbeat_at, '-infinity') + make_interval(secs => $1)
          OR now() - GREATEST(holder.flushed_through, judge.available_since) > make_interval(secs => $1))`;

/**
 * Marks gateways offline once OFFLINE_AFTER_S pass without a heartbeat — including gateways
 * whose socket lived on an instance that died. Every instance sweeps; the statement is
 * idempotent and starts from a partial index on online gateways.
 */
@Injectable()
export class LivenessService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Liveness');
  private readonly task: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly instance: InstanceIdentity,
    private readonly buffer: HeartbeatBuffer,
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
    // This instance judges others only while its own writes are current (its last one succeeded,
    // and recently: two flush intervals and a second).
    if (!this.buffer.writesCurrent) return 0;
    const ownWriteFreshS = (2 * this.config.TELEMETRY_FLUSH_INTERVAL_MS) / 1000 + 1;
    const [, affected] = await this.dataSource.query(SQL_SWEEP, [this.config.offlineAfterS, this.instance.id, ownWriteFreshS]);
    if (affected > 0) this.logger.log(`${affected} gateway(s) went offline: no heartbeat for ${this.config.offlineAfterS}s`);
    return affected as number;
  }
}
