import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresHandle, freePort, startEmbeddedPostgres } from '../../src/database/embedded-postgres';

/**
 * A PostgreSQL cluster of a suite's own, on a fixed port, that the suite may stop and start —
 * a database outage or failover as the service sees it — without touching the server the
 * other suites use. Always embedded, also in the pass where the others use TEST_DATABASE_URL.
 */
export interface OwnCluster {
  /** A database made for the suite on this cluster. */
  databaseUrl: string;
  /** Stops PostgreSQL (fast shutdown: every session is cut, as in a failover). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnCluster(): Promise<OwnCluster> {
  const root = mkdtempSync(join(tmpdir(), 'novavms-faults-'));
  const dataDir = join(root, 'postgres');
  // A free port can be taken by another suite's server before ours binds it: draw another.
  let port = await freePort();
  let handle: EmbeddedPostgresHandle | undefined;
  for (let attempt = 1; !handle; attempt++) {
    try {
      handle = await startEmbeddedPostgres({ dataDir, port });
    } catch (e) {
      if (attempt >= 3 || !String(e).includes('Address already in use')) throw e;
      port = await freePort();
    }
  }
  const admin = new Client({ connectionString: handle.url });
  await admin.connect();
  await admin.query('CREATE DATABASE novavms_faults');
  await admin.end();
  const url = new URL(handle.url);
  url.pathname = '/novavms_faults';
  return {
    databaseUrl: url.toString(),
    stop: async () => {
      await handle?.stop();
      handle = undefined;
    },
    start: async () => {
      handle ??= await startEmbeddedPostgres({ dataDir, port });
    },
    destroy: async () => {
      await handle?.stop();
      handle = undefined;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
