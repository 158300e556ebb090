import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { appDataSourceOptions } from '../src/data-source';
import { runMigrationsLocked } from '../src/database/migrate';
import { MIGRATIONS } from '../src/database/migrations/index';
import { createTestDatabase, dropTestDatabase } from './support/test-db';

const config = loadConfig({ LOG_LEVEL: 'silent', DB_POOL_SIZE: '4' });

function newDataSource(url: string): DataSource {
  return new DataSource({ ...appDataSourceOptions(config, url), logging: false });
}

async function appliedMigrations(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await ds.query('SELECT name FROM migrations ORDER BY id');
  return rows.map((r) => r.name);
}

const expectedNames = MIGRATIONS.map((m) => m.name);

describe('migrations', () => {
  const databases: string[] = [];
  const sources: DataSource[] = [];

  async function freshDatabase(): Promise<string> {
    const db = await createTestDatabase();
    databases.push(db.name);
    return db.url;
  }
  async function connect(url: string): Promise<DataSource> {
    const ds = newDataSource(url);
    sources.push(ds);
    return ds.initialize();
  }

  afterAll(async () => {
    for (const ds of sources) if (ds.isInitialized) await ds.destroy();
    for (const name of databases) await dropTestDatabase(name);
  });

  it('on an empty database, builds exactly the schema the entities describe', async () => {
    const ds = await connect(await freshDatabase());
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM pg_tables WHERE schemaname = 'public'`);
    expect(count).toBe(0);

    const logs: string[] = [];
    await runMigrationsLocked(ds, (m) => logs.push(m));
    expect(await appliedMigrations(ds)).toEqual(expectedNames);
    expect(logs).toEqual([expect.stringContaining(`applied ${MIGRATIONS.length} migration(s)`)]);

    const pending = await ds.driver.createSchemaBuilder().log();
    // Printed on failure: the SQL TypeORM would run to make the schema match the entities.
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);

    // Every entity has its table.
    for (const meta of ds.entityMetadatas) {
      const [{ exists }] = await ds.query(`SELECT to_regclass($1) IS NOT NULL AS "exists"`, [`public.${meta.tableName}`]);
      expect({ table: meta.tableName, exists }).toEqual({ table: meta.tableName, exists: true });
    }
  });

  it('a second run applies nothing', async () => {
    const ds = await connect(await freshDatabase());
    await runMigrationsLocked(ds, () => undefined);
    const logs: string[] = [];
    await runMigrationsLocked(ds, (m) => logs.push(m));
    expect(logs).toEqual([]);
    expect(await appliedMigrations(ds)).toEqual(expectedNames);
  });

  it('each migration can be reverted, and re-applied to the same schema', async () => {
    const ds = await connect(await freshDatabase());
    await runMigrationsLocked(ds, () => undefined);
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await appliedMigrations(ds)).toEqual([]);
    await runMigrationsLocked(ds, () => undefined);
    expect((await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
  });

  it('a migration may run longer than the statement timeout; the pooled connections keep theirs', async () => {
    class SlowMigration1999999999999 implements MigrationInterface {
      name = 'SlowMigration1999999999999';
      async up(q: QueryRunner): Promise<void> {
        await q.query('SELECT pg_sleep(0.6)');
      }
      async down(): Promise<void> {}
    }
    const strict = loadConfig({ LOG_LEVEL: 'silent', DB_POOL_SIZE: '3', DB_STATEMENT_TIMEOUT_MS: '200' });
    const ds = new DataSource({ ...appDataSourceOptions(strict, await freshDatabase()), logging: false, migrations: [...MIGRATIONS, SlowMigration1999999999999] });
    sources.push(ds);
    await ds.initialize();
    await runMigrationsLocked(ds, () => undefined);
    expect(await appliedMigrations(ds)).toEqual([...expectedNames, 'SlowMigration1999999999999']);
    const timeouts: { t: string }[][] = await Promise.all(
      [1, 2, 3].map(() => ds.query(`SELECT current_setting('statement_timeout') AS t, pg_sleep(0.05)`)),
    );
    expect(timeouts.map(([r]) => r.t)).toEqual(['200ms', '200ms', '200ms']);
  });

  it('GatewayCounts counts the gateways that were there before it', async () => {
    const ds = await connect(await freshDatabase());
    await runMigrationsLocked(ds, () => undefined);
    // Revert down to (and including) GatewayCounts, then re-apply from there.
    const after = MIGRATIONS.length - MIGRATIONS.findIndex((m) => m.name === 'GatewayCounts1795657492296');
    for (let i = 0; i < after; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect((await appliedMigrations(ds)).includes('GatewayCounts1795657492296')).toBe(false);
    const [{ id: orgId }] = await ds.query(`INSERT INTO orgs (name) VALUES ('o') RETURNING id`);
    const sites: { id: string }[] = await ds.query(`INSERT INTO sites (org_id, name) VALUES ($1, 'a'), ($1, 'b') RETURNING id`, [orgId]);
    await ds.query(
      `INSERT INTO gateways (org_id, site_id) SELECT $1, CASE WHEN g <= 7 THEN $2::uuid ELSE $3::uuid END FROM generate_series(1, 10) g`,
      [orgId, sites[0].id, sites[1].id],
    );
    await runMigrationsLocked(ds, () => undefined);
    const counts = await ds.query(`SELECT site_id, gateways FROM gateway_counts WHERE org_id = $1 ORDER BY gateways DESC`, [orgId]);
    expect(counts).toEqual([
      { site_id: sites[0].id, gateways: 7 },
      { site_id: sites[1].id, gateways: 3 },
    ]);
  });

  // Several instances starting at once: the advisory lock makes one apply, the others wait.
  it.each([1, 2, 3])('three instances migrating the same fresh database at once apply each migration once (round %i)', async () => {
    const url = await freshDatabase();
    const instances = await Promise.all([0, 1, 2].map(() => connect(url)));
    const logs: string[][] = [[], [], []];
    await Promise.all(instances.map((ds, i) => runMigrationsLocked(ds, (m) => logs[i].push(m))));

    const [{ count }] = await instances[0].query('SELECT count(*)::int AS count FROM migrations');
    expect(count).toBe(MIGRATIONS.length);
    expect(await appliedMigrations(instances[0])).toEqual(expectedNames);
    // Exactly one instance reports having applied them; the others found nothing to do.
    expect(logs.filter((l) => l.length > 0)).toEqual([[expect.stringContaining(`applied ${MIGRATIONS.length} migration(s)`)]]);
    expect((await instances[1].driver.createSchemaBuilder().log()).upQueries).toHaveLength(0);
  });
});
