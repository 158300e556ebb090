import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { runMigrationsLocked } from './migrate';
import { Sql } from './sql';
import { Transactions } from './transactions';

/**
 * The TypeORM connection; migrations run (under an advisory lock) before anything else uses it.
 * Sql (for repositories) and Transactions (for services) are available everywhere.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DataSourceOptions): DynamicModule {
    const logger = new Logger(DatabaseModule.name);
    return {
      module: DatabaseModule,
      global: true,
      providers: [Sql, Transactions],
      exports: [Sql, Transactions],
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => options,
          dataSourceFactory: async () => {
            const dataSource = await new DataSource(options).initialize();
            await runMigrationsLocked(dataSource, (m) => logger.log(m));
            return dataSource;
          },
        }),
      ],
    };
  }
}
