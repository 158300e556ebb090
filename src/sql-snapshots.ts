import { Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, Logger as OrmLogger } from 'typeorm';
import { ApiKeysRepository } from './auth/api-keys.repository';
import { CamerasRepository } from './cameras/cameras.repository';
import { CommandsRepository } from './commands/commands.repository';
import { GatewayKeysRepository } from './credentials/gateway-keys.repository';
import { KeyRotationsRepository } from './credentials/key-rotations.repository';
import { ReplacementsRepository } from './credentials/replacements.repository';
import { EventLogRepository } from './events/event-log.repository';
import { GatewayConfigRepository } from './gateway-config/gateway-config.repository';
import { ENTITIES } from './data-source';
import { DatabaseModule } from './database/database.module';
import { Sql } from './database/sql';
import { sqlSamples, withManager } from './database/sql-snapshot';
import { GatewayLiveStateRepository } from './gateways/gateway-live-state.repository';
import { GatewaysRepository } from './gateways/gateways.repository';
import { PairingCodesRepository } from './gateways/pairing-codes.repository';
import { OrgsRepository } from './orgs/orgs.repository';
import { PairingGuessesRepository } from './pairing/pairing-guesses.repository';
import { SitesRepository } from './sites/sites.repository';
import { IngestWatermarksRepository } from './telemetry/ingest-watermarks.repository';
import { WebhookDeliveriesRepository } from './webhooks/webhook-deliveries.repository';
import { WebhooksRepository } from './webhooks/webhooks.repository';

/** Every repository, and where the SQL it sends is committed. */
export const SQL_SNAPSHOTS: { repository: Type; file: string }[] = [
  { repository: ApiKeysRepository, file: 'src/auth/api-keys.repository.sql' },
  { repository: CamerasRepository, file: 'src/cameras/cameras.repository.sql' },
  { repository: CommandsRepository, file: 'src/commands/commands.repository.sql' },
  { repository: GatewayKeysRepository, file: 'src/credentials/gateway-keys.repository.sql' },
  { repository: KeyRotationsRepository, file: 'src/credentials/key-rotations.repository.sql' },
  { repository: ReplacementsRepository, file: 'src/credentials/replacements.repository.sql' },
  { repository: EventLogRepository, file: 'src/events/event-log.repository.sql' },
  { repository: GatewayConfigRepository, file: 'src/gateway-config/gateway-config.repository.sql' },
  { repository: GatewaysRepository, file: 'src/gateways/gateways.repository.sql' },
  { repository: GatewayLiveStateRepository, file: 'src/gateways/gateway-live-state.repository.sql' },
  { repository: PairingCodesRepository, file: 'src/gateways/pairing-codes.repository.sql' },
  { repository: OrgsRepository, file: 'src/orgs/orgs.repository.sql' },
  { repository: PairingGuessesRepository, file: 'src/pairing/pairing-guesses.repository.sql' },
  { repository: SitesRepository, file: 'src/sites/sites.repository.sql' },
  { repository: IngestWatermarksRepository, file: 'src/telemetry/ingest-watermarks.repository.sql' },
  { repository: WebhooksRepository, file: 'src/webhooks/webhooks.repository.sql' },
  { repository: WebhookDeliveriesRepository, file: 'src/webhooks/webhook-deliveries.repository.sql' },
];

const TRANSACTION_CONTROL = /^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b/i;

/** A statement as committed: surrounding blank lines and the indentation common to its lines removed. */
function layout(statement: string): string {
  const lines = statement.replace(/\s+$/gm, '').split('\n');
  while (lines.length && !lines[0].trim()) lines.shift();
  const indents = lines.slice(1).filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(common))].join('\n').trim();
}

/**
 * Calls every GenerateSql-marked method of every repository with its samples — each in a
 * transaction that is rolled back — on a migrated database, and renders what each sent, by
 * repository file. Only repositories are built, so no background task sends anything meanwhile.
 */
export async function renderSqlSnapshots(options: DataSourceOptions): Promise<Map<string, string>> {
  const statements: string[] = [];
  let capturing = false;
  const logger: OrmLogger = {
    logQuery: (query) => void (capturing && statements.push(query)),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
  @Module({
    imports: [DatabaseModule.forRoot({ ...options, logging: ['query'], logger } as DataSourceOptions), TypeOrmModule.forFeature(ENTITIES)],
    providers: SQL_SNAPSHOTS.map((s) => s.repository),
  })
  class SqlSnapshotModule {}
  const app = await NestFactory.createApplicationContext(SqlSnapshotModule, { logger: false });
  const out = new Map<string, string>();
  try {
    app.get(Sql).observer = (text) => void (capturing && statements.push(text));
    const dataSource = app.get(DataSource);
    const rollback = new Error('rollback');
    for (const { repository, file } of SQL_SNAPSHOTS) {
      const instance = app.get(repository) as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const sections = [`-- Generated by \`npm run sql\` (src/sql-snapshots.ts): every statement ${repository.name} sends. Do not edit.`];
      for (const [method, argumentLists] of sqlSamples(repository)) {
        const seen = new Set<string>();
        for (const sample of argumentLists) {
          statements.length = 0;
          await dataSource
            .transaction(async (m) => {
              capturing = true;
              try {
                await instance[method](...withManager(sample, m));
              } catch {
                // Sample values need not satisfy constraints: the statement was sent, and is what counts.
              } finally {
                capturing = false;
              }
              throw rollback;
            })
            .catch((e: unknown) => {
              if (e !== rollback) throw e;
            });
          const text = statements.filter((s) => !TRANSACTION_CONTROL.test(s.trim())).map((s) => `${layout(s)};`).join('\n\n');
          if (seen.has(text)) continue;
          seen.add(text);
          sections.push(`-- ${repository.name}.${method}\n${text}`);
        }
      }
      out.set(file, `${sections.join('\n\n')}\n`);
    }
  } finally {
    await app.close();
  }
  return out;
}
