import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Single-statement reads on the hottest GET paths, sent straight to TypeORM's own pg pool: the
 * same connections, pool limits and timeouts, without the query-runner object, event broadcast
 * and bookkeeping TypeORM adds to every `dataSource.query`, which cost as much as the query on
 * these routes. Failed and slow statements are reported through TypeORM's logger, as theirs are.
 * Anything that writes or needs a transaction goes through TypeORM.
 */
@Injectable()
export class PoolReads {
  private readonly slowMs: number;

  constructor(private readonly dataSource: DataSource) {
    this.slowMs = dataSource.options.maxQueryExecutionTime ?? Infinity;
  }

  async rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const started = performance.now();
    try {
      const result = await pool.query(sql, params);
      return result.rows as T[];
    } catch (e) {
      this.dataSource.logger.logQueryError(e instanceof Error ? e : String(e), sql);
      throw e;
    } finally {
      const ms = performance.now() - started;
      if (ms > this.slowMs) this.dataSource.logger.logQuerySlow(Math.round(ms), sql);
    }
  }
}
