import { DataSourceOptions } from 'typeorm';

export type EntityList = NonNullable<DataSourceOptions['entities']>;
import { AppConfig } from '../config/config';
import { TypeOrmLogger } from './typeorm-logger';
import { MIGRATIONS } from './migrations/index';

/**
 * TypeORM options for the service, the CLI and the tests alike (the entities come from the
 * composition root, src/data-source.ts). Every wait is bounded: the pool size, the time to get a
 * connection, and the time one statement may run.
 */
export function dataSourceOptions(config: AppConfig, url: string, entities: EntityList): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn', 'migration'],
    logger: new TypeOrmLogger(),
    maxQueryExecutionTime: 1000,
    applicationName: 'novavms-gateway-service',
    poolSize: config.DB_POOL_SIZE,
    connectTimeoutMS: config.DB_CONNECT_TIMEOUT_MS,
    extra: {
      max: config.DB_POOL_SIZE,
      connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
      statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
      idle_in_transaction_session_timeout: config.DB_STATEMENT_TIMEOUT_MS * 2,
      idleTimeoutMillis: 30000,
    },
  };
}
