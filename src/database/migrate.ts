import { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm/migration/MigrationExecutor';

/** Any constant shared by every instance: the key of the migrations advisory lock. */
const MIGRATION_LOCK_KEY = 0x4e6f7661; // "Nova"

/**
 * Runs pending migrations while holding a session advisory lock, so that several instances
 * starting at once apply each migration exactly once and the others wait for the result. The
 * migrations run on the connection that holds the lock, without a statement timeout (a
 * backfill over a large table may take longer than a request's statement may).
 */
export async function runMigrationsLocked(dataSource: DataSource, log: (m: string) => void): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      if (applied.length > 0) log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    // The connection goes back to the pool that serves requests: restore its statement timeout
    // (the connection's start-up setting), or every request it serves would be unbounded.
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
  }
}
