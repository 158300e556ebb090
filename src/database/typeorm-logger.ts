import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as OrmLogger } from 'typeorm';

const short = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 300);

/**
 * TypeORM's messages through the application logger, so they are JSON lines like every other
 * log line. Parameters are never logged: they can hold key hashes and customer data.
 */
export class TypeOrmLogger implements OrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Queries are not logged one by one: too many, and the slow ones are reported below.
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn(`query failed: ${error instanceof Error ? error.message : error} — ${short(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${short(query)}`);
  }

  logSchemaBuild(message: string): void {
    this.logger.log(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = message instanceof Error ? message.message : String(message);
    if (level === 'warn') this.logger.warn(text);
    else this.logger.log(text);
  }
}
