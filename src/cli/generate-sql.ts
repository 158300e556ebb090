/**
 * npm run sql: regenerates every repository's committed `.sql` snapshot (src/sql-snapshots.ts)
 * on a fresh database — DATABASE_URL's server when set, else a temporary embedded PostgreSQL.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../config/config';
import { appDataSourceOptions } from '../data-source';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { renderSqlSnapshots } from '../sql-snapshots';

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const root = mkdtempSync(join(tmpdir(), 'novavms-sql-'));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: join(root, 'postgres') });
  const adminUrl = process.env.DATABASE_URL ?? embedded!.url;
  const name = `novavms_sql_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const files = await renderSqlSnapshots(appDataSourceOptions(config, url.toString()));
    for (const [file, text] of files) {
      writeFileSync(resolve(__dirname, '..', '..', file), text);
      process.stderr.write(`wrote ${file}\n`);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`generate-sql: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
