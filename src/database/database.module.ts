import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migrate';
import { PoolReads } from './pool-reads';

/**
 * The TypeORM connection; migrations run (under an advisory lock) before anything else uses it.
 * PoolReads (plain reads on the same pool) is available everywhere.
 */
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const logger = new Logger('Database');
    return {
      module: DatabaseModule,
      global: true,
      providers: [PoolReads],
      exports: [PoolReads],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config, databaseUrl),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            await runMigrationsLocked(dataSource, (m) => logger.log(m));
            return dataSource;
          },
        }),
      ],
    };
  }
}
