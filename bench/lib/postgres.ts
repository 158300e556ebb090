/**
 * The PostgreSQL of a benchmark run: BENCH_DATABASE_URL when set, otherwise an embedded cluster
 * (src/database/embedded-postgres.ts, the one the service and the tests use) in a temp folder,
 * removed at the end. Each benchmark gets a fresh database on it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { settings } from './config';
import { processTree } from './proc';
import { log } from './stats';

export interface BenchPostgres {
  /** A superuser URL (its database is not used for benchmarks). */
  adminUrl: string;
  version: string;
  embedded: boolean;
  /** Pids of the postmaster and its backends (embedded only; [] otherwise). */
  pids(): number[];
  stop(): Promise<void>;
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  if (settings.databaseUrl) {
    const version = await serverVersion(settings.databaseUrl);
    log(`PostgreSQL: using BENCH_DATABASE_URL (${version})`);
    return { adminUrl: settings.databaseUrl, version, embedded: false, pids: () => [], stop: async () => undefined };
  }
  const root = mkdtempSync(join(tmpdir(), 'novavms-bench-'));
  const dataDir = join(root, 'postgres');
  log(`PostgreSQL: starting an embedded cluster in ${dataDir}`);
  const pg = await startEmbeddedPostgres({ dataDir, log: (m) => log(m) });
  const version = await serverVersion(pg.url);
  const postmaster = () => {
    const file = join(dataDir, 'postmaster.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  };
  return {
    adminUrl: pg.url,
    version,
    embedded: true,
    pids: () => {
      const pid = postmaster();
      return pid ? processTree(pid) : [];
    },
    stop: async () => {
      await pg.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function serverVersion(url: string): Promise<string> {
  return withClient(url, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
}

export async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new, empty database named novavms_bench_<purpose>_<random>. */
export async function createDatabase(pg: BenchPostgres, purpose: string): Promise<BenchDatabase> {
  const name = `novavms_bench_${purpose}_${randomBytes(4).toString('hex')}`;
  await withClient(pg.adminUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const url = new URL(pg.adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      if (process.env.BENCH_KEEP_DB === '1') return;
      await withClient(pg.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}
