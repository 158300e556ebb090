import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../config/config';
import { ApiKey } from '../auth/api-key.entity';
import { ApiKeysRepository } from '../auth/api-keys.repository';
import { appDataSourceOptions } from '../data-source';
import { resolveDatabase } from '../database/database-url';
import { runMigrationsLocked } from '../database/migrate';
import { Transactions } from '../database/transactions';
import { OrgsRepository } from '../orgs/orgs.repository';
import { OrgsService } from '../orgs/orgs.service';
import { Site } from '../sites/site.entity';
import { SitesRepository } from '../sites/sites.repository';

const USAGE = `usage: npm run admin -- org create --name "Acme" [--site-name "Head office"]

Creates an org, its first site and an admin API key, and prints
{"org_id","site_id","api_key"} as one JSON object. Uses DATABASE_URL, or the
embedded PostgreSQL in EMBEDDED_PG_DIR when it is unset.`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Human-facing progress goes to stderr so that stdout is exactly one JSON object. */
const progress = (m: string) => process.stderr.write(`${m}\n`);

async function runAdmin(argv: string[]): Promise<void> {
  // Library messages go to stderr too; stdout carries only the result.
  const toStderr = (m: unknown) => progress(String(m));
  Logger.overrideLogger({ log: toStderr, error: toStderr, warn: toStderr, debug: () => undefined, verbose: () => undefined });
  const [noun, verb, ...rest] = argv;
  if (noun !== 'org' || verb !== 'create') fail(USAGE);
  let values: { name?: string; 'site-name'?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { name: { type: 'string' }, 'site-name': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  }
  const name = values.name?.trim();
  const siteName = values['site-name']?.trim() ?? 'Default site';
  if (!name || name.length > 200) fail(`--name is required (1-200 characters)\n\n${USAGE}`);
  if (siteName.length < 1 || siteName.length > 100) fail('--site-name must be 1-100 characters');

  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, 1);
    throw e;
  }
  const database = await resolveDatabase(config, progress);
  const dataSource = new DataSource({ ...appDataSourceOptions(config, database.url), logging: ['error'] });
  try {
    await dataSource.initialize();
    await runMigrationsLocked(dataSource, progress);
    const orgs = new OrgsService(
      new Transactions(dataSource),
      new OrgsRepository(),
      new SitesRepository(dataSource.getRepository(Site)),
      new ApiKeysRepository(dataSource.getRepository(ApiKey)),
    );
    const created = await orgs.createOrg(name, siteName);
    process.stdout.write(`${JSON.stringify(created)}\n`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.stop();
  }
}

if (require.main === module) {
  runAdmin(process.argv.slice(2)).then(
    () => process.exit(0),
    (e: unknown) => fail(`admin: ${e instanceof Error ? e.message : String(e)}`, 1),
  );
}
