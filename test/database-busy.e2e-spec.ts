import { Client } from 'pg';
import { bearer } from './support/factories';
import { insertGateways } from './support/gateway-helpers';
import { expectErrorBody } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/**
 * When PostgreSQL cannot answer in time (here: the gateways table held by an exclusive lock
 * past the statement timeout) the read routes answer 503 service_unavailable with Retry-After,
 * never a 500, and recover as soon as the database does.
 */
describe('read routes while the database is busy', () => {
  let t: TestApp;
  let gatewayId: string;
  const paths = () => [`/api/v1/gateways/${gatewayId}`, '/api/v1/gateways?limit=5', `/api/v1/gateways/${gatewayId}/telemetry`];

  beforeAll(async () => {
    t = await startTestApp({ DB_STATEMENT_TIMEOUT_MS: '300' });
    [gatewayId] = await insertGateways(t, t.orgId, t.siteId, 1);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every pooled connection has the statement timeout, the one that ran the migrations included', async () => {
    // Ten statements at once ask for all ten pooled connections; the service's own loops may hold
    // one for a moment, so rounds go on until every one of the ten has answered.
    const timeouts = new Map<number, string>();
    for (let round = 0; round < 20 && timeouts.size < 10; round++) {
      const rows: { timeout: string; pid: number }[][] = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.dataSource.query(`SELECT current_setting('statement_timeout') AS timeout, pg_backend_pid() AS pid, pg_sleep(0.1)`),
        ),
      );
      for (const [r] of rows) timeouts.set(r.pid, r.timeout);
    }
    expect(timeouts.size).toBeGreaterThanOrEqual(10);
    expect([...timeouts.values()]).toEqual(Array(timeouts.size).fill('300ms'));
  });

  it.each([0, 1, 2])('route %i: 503 service_unavailable with Retry-After, then 200 once the lock is gone', async (i) => {
    const path = paths()[i];
    const get = () => t.http().get(path).set(bearer(t.adminKey));
    await get().expect(200); // the key is now cached: only the route's own query meets the lock

    const locker = new Client({ connectionString: t.databaseUrl });
    locker.on('error', () => undefined);
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE gateways IN ACCESS EXCLUSIVE MODE');
      const res = await get();
      expectErrorBody(res, 503, 'service_unavailable');
      expect(res.headers['retry-after']).toBe('1');
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    await get().expect(200);
  });
});
