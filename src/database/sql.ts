import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

export interface SqlResult<T> {
  rows: T[];
  /** Rows written by an INSERT/UPDATE/DELETE. */
  affected: number;
}

/**
 * Hand-written SQL for repositories, one statement at a time. Inside a transaction it runs on
 * the transaction's connection (`manager`); otherwise straight on TypeORM's own pg pool — the
 * same connections, pool limits and timeouts, without the query-runner object, event broadcast
 * and bookkeeping TypeORM adds to every `dataSource.query`, which cost as much as the query on
 * the hottest routes. Failed and slow statements are reported through TypeORM's logger either way.
 *
 * Only repositories (and infrastructure: health, signals) use it; services use repositories.
 */
@Injectable()
export class Sql {
  private readonly slowMs: number;
  /**
   * Sees every statement sent straight to the pool before it runs (the SQL snapshot generator;
   * statements in a transaction go through TypeORM, whose logger sees them).
   */
  observer?: (text: string) => void;

  constructor(private readonly dataSource: DataSource) {
    this.slowMs = dataSource.options.maxQueryExecutionTime ?? Infinity;
  }

  async rows<T>(text: string, params: unknown[] = [], manager?: EntityManager): Promise<T[]> {
    return (await this.run<T>(text, params, manager)).rows;
  }

  async run<T>(text: string, params: unknown[] = [], manager?: EntityManager): Promise<SqlResult<T>> {
    if (manager?.queryRunner) {
      const result = await manager.queryRunner.query(text, params, true);
      return { rows: (result.records ?? []) as T[], affected: result.affected ?? 0 };
    }
    this.observer?.(text);
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const started = performance.now();
    try {
      const result = await pool.query(text, params);
      return { rows: result.rows as T[], affected: result.rowCount ?? 0 };
    } catch (e) {
      this.dataSource.logger.logQueryError(e instanceof Error ? e : String(e), text);
      throw e;
    } finally {
      const ms = performance.now() - started;
      if (ms > this.slowMs) this.dataSource.logger.logQuerySlow(Math.round(ms), text);
    }
  }

  /** How to open a connection of one's own (the LISTEN connection of the signals). */
  connectionOptions(): { url: string; connectTimeoutMs: number } {
    const options = this.dataSource.options as { url?: string; connectTimeoutMS?: number };
    return { url: options.url ?? '', connectTimeoutMs: options.connectTimeoutMS ?? 5000 };
  }
}
