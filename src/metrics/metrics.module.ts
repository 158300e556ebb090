import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics';
import { MetricsServer } from './metrics-server';
import { PoolMetrics } from './pool-metrics';

/** The metrics registry, for every module to move its figures, its listener (METRICS_PORT), and the pool's gauges. */
@Global()
@Module({ providers: [Metrics, MetricsServer, PoolMetrics], exports: [Metrics, MetricsServer] })
export class MetricsModule {}
