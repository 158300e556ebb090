import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { join, relative } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config';
import { OrgsService } from '../../src/orgs/orgs.service';
import { attachContractRecorder, ContractRecorder } from './contract';
import { createTestDatabase, dropTestDatabase } from './test-db';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  databaseUrl: string;
  dataSource: DataSource;
  /** What the contract check (test/support/contract.ts) saw of this app's responses so far. */
  contract: ContractRecorder;
  /** The bootstrap admin key of the Default org. */
  adminKey: string;
  orgId: string;
  siteId: string;
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * Boots the real application on a fresh database and a real port. With `shareWith`, a second
 * instance on the same database (as behind a load balancer); closing it leaves the database.
 */
export async function startTestApp(env: Record<string, string> = {}, shareWith?: TestApp): Promise<TestApp> {
  const db = shareWith ? { url: shareWith.databaseUrl, name: undefined } : await createTestDatabase();
  const adminKey = shareWith?.adminKey ?? `sk_live_${randomBytes(24).toString('base64url')}`;
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NOVAVMS_BOOTSTRAP_ADMIN_KEY: adminKey,
    DB_POOL_SIZE: '10',
    ...env,
  });
  let app: INestApplication | undefined;
  let contract: ContractRecorder | undefined;
  try {
    app = await createApp(config, db.url);
    // Every response this app sends is checked against the committed openapi/openapi.json.
    contract = attachContractRecorder(app.getHttpServer());
    await app.listen(0, '127.0.0.1');
  } catch (e) {
    await app?.close().catch(() => undefined);
    if (db.name) await dropTestDatabase(db.name);
    throw e;
  }
  const started = app;
  const recorder = contract!;
  const dataSource = app.get(DataSource);
  const [org] = await dataSource.query(`SELECT o.id AS org_id, s.id AS site_id FROM orgs o JOIN sites s ON s.org_id = o.id ORDER BY o.created_at, s.created_at LIMIT 1`);
  const baseUrl = await app.getUrl();
  return {
    app,
    baseUrl: baseUrl.replace('[::1]', '127.0.0.1'),
    databaseUrl: db.url,
    dataSource,
    contract: recorder,
    adminKey,
    orgId: org.org_id,
    siteId: org.site_id,
    http: () => request(started.getHttpServer()),
    close: async () => {
      let closeError: unknown;
      try {
        await started.close();
        if (db.name) await dropTestDatabase(db.name);
      } catch (e) {
        closeError = e;
      }
      recorder.detach();
      const suite = suiteName();
      // The test runner's output is its own; the checked-response count only on request.
      if (process.env.TEST_LOG_LEVEL) process.stderr.write(`${recorder.summary(suite)}\n`);
      if (recorder.violations.length > 0) {
        throw new Error(
          `${recorder.violations.length} response(s) in ${suite} break the committed contract openapi/openapi.json:\n${recorder.report()}` +
            (closeError ? `\n(closing the app failed as well: ${String(closeError)})` : ''),
        );
      }
      if (closeError) throw closeError;
    },
  };
}

/** The running suite's file, relative to the repository ("test/pairing.e2e-spec.ts"). */
function suiteName(): string {
  const path = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
  return path ? relative(join(__dirname, '..', '..'), path) : 'unknown suite';
}

/** A second org (its own site and admin key), made the way the CLI makes it. */
export async function createOrg(t: TestApp, name = 'Other org'): Promise<{ org_id: string; site_id: string; api_key: string }> {
  return t.app.get(OrgsService).createOrg(name);
}

/**
 * Settings for suites that pair many gateways and follow their sessions and events closely:
 * no pairing limits in the way, and flushes and event numbering fast enough to wait on.
 */
export const MANY_GATEWAYS_FAST_EVENTS = {
  PAIR_GUESS_LIMIT_PER_ADDRESS: '1000',
  PAIRING_MAX_ACTIVE_CODES: '1000',
  TELEMETRY_FLUSH_INTERVAL_MS: '100',
  EVENTS_SEQUENCE_INTERVAL_MS: '50',
};
