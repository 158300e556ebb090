import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * One PostgreSQL per test run: TEST_DATABASE_URL or DATABASE_URL when given, otherwise an
 * embedded cluster in a temporary folder. Each suite then makes its own database on it.
 */
export default async function globalSetup(): Promise<void> {
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (given) {
    process.env.NOVAVMS_TEST_ADMIN_URL = given;
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'novavms-test-'));
  const log = process.env.TEST_LOG_LEVEL ? (m: string) => process.stderr.write(`${m}\n`) : undefined;
  const pg = await startEmbeddedPostgres({ dataDir: join(root, 'postgres'), log });
  process.env.NOVAVMS_TEST_ADMIN_URL = pg.url;
  Object.assign(globalThis, { __novavmsPg: { pg, root } });
}
