import { Client } from 'pg';
import { AppConfig } from '../config/config';
import { startEmbeddedPostgres } from './embedded-postgres';

const EMBEDDED_DATABASE = 'novavms';

export interface DatabaseTarget {
  url: string;
  /** Stops the embedded cluster when this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

/** Creates `name` on the server behind `adminUrl` unless it exists. */
async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (e) {
    // Two processes may race to create it; the loser sees a duplicate.
    if ((e as { code?: string }).code !== '42P04' && (e as { code?: string }).code !== '23505') throw e;
  } finally {
    await client.end();
  }
}

/** DATABASE_URL when set; otherwise the embedded cluster in EMBEDDED_PG_DIR (started if needed). */
export async function resolveDatabase(config: AppConfig, log: (m: string) => void): Promise<DatabaseTarget> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => undefined };
  const embedded = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT, log });
  try {
    await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
  } catch (e) {
    await embedded.stop();
    throw e;
  }
  const url = new URL(embedded.url);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return { url: url.toString(), stop: () => embedded.stop() };
}
