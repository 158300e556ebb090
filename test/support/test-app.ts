import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config';
import { OrgsService } from '../../src/orgs/orgs.service';
import { createTestDatabase, dropTestDatabase } from './test-db';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  databaseUrl: string;
  dataSource: DataSource;
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
  try {
    app = await createApp(config, db.url);
    await app.listen(0, '127.0.0.1');
  } catch (e) {
    await app?.close().catch(() => undefined);
    if (db.name) await dropTestDatabase(db.name);
    throw e;
  }
  const started = app;
  const dataSource = app.get(DataSource);
  const [org] = await dataSource.query(`SELECT o.id AS org_id, s.id AS site_id FROM orgs o JOIN sites s ON s.org_id = o.id ORDER BY o.created_at, s.created_at LIMIT 1`);
  const baseUrl = await app.getUrl();
  return {
    app,
    baseUrl: baseUrl.replace('[::1]', '127.0.0.1'),
    databaseUrl: db.url,
    dataSource,
    adminKey,
    orgId: org.org_id,
    siteId: org.site_id,
    http: () => request(started.getHttpServer()),
    close: async () => {
      await started.close();
      if (db.name) await dropTestDatabase(db.name);
    },
  };
}

/** A second org (its own site and admin key), made the way the CLI makes it. */
export async function createOrg(t: TestApp, name = 'Other org'): Promise<{ org_id: string; site_id: string; api_key: string }> {
  return t.app.get(OrgsService).createOrg(name);
}
