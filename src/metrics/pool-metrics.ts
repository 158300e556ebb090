import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Metrics } from './metrics';

/** The pg pool's connections (all, idle) and the queries waiting for one, read when scraped. */
@Injectable()
export class PoolMetrics {
  constructor(dataSource: DataSource, metrics: Metrics) {
    const pool = () => (dataSource.driver as PostgresDriver).master as Pool;
    metrics.sample(metrics.poolTotal, () => pool().totalCount);
    metrics.sample(metrics.poolIdle, () => pool().idleCount);
    metrics.sample(metrics.poolWaiting, () => pool().waitingCount);
  }
}
