import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { expectErrorBody } from '../support/http';
import { expectNoSecretsInLogs, expectRunning, FAST_INTERVALS, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { pairFleet, SimGateway, sleep, watchStatuses } from '../support/sim-fleet';
import { eventually } from '../support/ws-client';
import { sha256 } from '../support/gateway-helpers';

jest.setTimeout(240_000);

/** Longer than every periodic task's interval in FAST_INTERVALS, and than OFFLINE_AFTER_S. */
const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_S ?? 6) * 1000;
const GATEWAYS = 20;

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const get = async (url: string, key?: string) => {
  const res = await fetch(url, { headers: key ? auth(key) : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};

/**
 * PostgreSQL stops under two instances with gateways connected to both, for longer than any
 * periodic task's interval, then comes back: what gateways, dashboards and load balancers see.
 */
describe('a PostgreSQL outage under two instances', () => {
  let cluster: OwnCluster;
  let a: Instance;
  let b: Instance;
  let fleet: SimGateway[] = [];
  const adminKey = newAdminKey();
  const secrets = new Set<string>([adminKey, sha256(adminKey)]);

  beforeAll(async () => {
    cluster = await startOwnCluster();
    // A flushes slowly: after recovery B's liveness sweep runs while A's heartbeats are still buffered.
    a = await startInstance('A', cluster.databaseUrl, adminKey, { ...FAST_INTERVALS, TELEMETRY_FLUSH_INTERVAL_MS: '2000' });
    b = await startInstance('B', cluster.databaseUrl, adminKey, FAST_INTERVALS);
    const sites = await get(`${a.baseUrl}/api/v1/sites`, adminKey);
    const paired = await pairFleet(a.baseUrl, adminKey, sites.body.data[0].id, GATEWAYS);
    for (const g of paired) secrets.add(g.key).add(sha256(g.key));
    fleet = paired.map((g, i) => new SimGateway(g.id, g.key, [a.baseUrl, b.baseUrl], i % 2));
    await Promise.all(fleet.map((g) => g.connect()));
    fleet.forEach((g) => g.startSending());
    await eventually(async () => (await get(`${b.baseUrl}/api/v1/gateways?status=online`, adminKey)).body.total === GATEWAYS, 10_000);
  });

  afterAll(async () => {
    fleet.forEach((g) => g.stop());
    await killAll([a, b]);
    await cluster?.destroy();
  });

  it('stays up, answers 503, keeps every socket, and afterwards shows every live gateway online with what it sent', async () => {
    // A key that has not been used yet: its lookup needs the database.
    const viewer = await (
      await fetch(`${a.baseUrl}/api/v1/api-keys`, {
        method: 'POST',
        headers: { ...auth(adminKey), 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'dashboard', role: 'viewer' }),
      })
    ).json();
    secrets.add(viewer.key).add(sha256(viewer.key));
    const watcher = watchStatuses([a.baseUrl, b.baseUrl], adminKey, (id) => fleet.some((g) => g.id === id && g.open));
    // The first gateway declares a session before the outage and a new boot during it, with
    // telemetry before and after the new one: the reboot is recorded once the database is back.
    const [bootBefore, bootDuring] = [randomUUID(), randomUUID()];
    expect(fleet[0].sendSession(bootBefore)).toBe(true);
    await eventually(async () => (await storedBootId(cluster.databaseUrl, fleet[0].id)) === bootBefore, 10_000, 100);

    await cluster.stop();
    const outageStarted = Date.now();
    for (const instance of [a, b]) {
      for (const key of [adminKey, viewer.key]) {
        const started = Date.now();
        const res = await get(`${instance.baseUrl}/api/v1/gateways/${fleet[0].id}`, key);
        expect(Date.now() - started).toBeLessThan(Number(FAST_INTERVALS.DB_CONNECT_TIMEOUT_MS) + 1000);
        expectErrorBody(res as never, 503, 'service_unavailable');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect((await get(`${instance.baseUrl}/readyz`)).status).toBe(503);
    }
    await sleep(1000);
    expect(fleet[0].sendSession(bootDuring)).toBe(true);
    await sleep(OUTAGE_MS - (Date.now() - outageStarted));
    for (const instance of [a, b]) expect((await get(`${instance.baseUrl}/readyz`)).status).toBe(503);
    const sentDuringOutage = fleet.map((g) => g.lastSent);

    await cluster.start();
    await eventually(async () => (await get(`${a.baseUrl}/readyz`)).status === 200 && (await get(`${b.baseUrl}/readyz`)).status === 200, 10_000);
    // Ready means the signal connections are back too: one listening session per instance.
    expect(await listeningSessions(cluster.databaseUrl)).toBe(2);
    // What was sent during the outage reaches the database, seen through either instance.
    for (const [i, g] of fleet.entries()) {
      const via = i % 2 ? a : b;
      await eventually(async () => (await get(`${via.baseUrl}/api/v1/gateways/${g.id}/telemetry`, adminKey)).body.memory_mb >= sentDuringOutage[i], 5000);
    }
    // Long enough for a liveness sweep to act on stale heartbeats, were it going to.
    await sleep((Number(FAST_INTERVALS.OFFLINE_AFTER_S) + 2) * 1000);
    const report = await watcher.stop();

    expect(report.falseOffline).toEqual([]);
    // Nor did the event log record an outage of any of them.
    const offline = await get(`${a.baseUrl}/api/v1/events?type=gateway.offline&limit=1000`, adminKey);
    expect(offline.body.data).toEqual([]);
    const rebooted = await get(`${a.baseUrl}/api/v1/events?type=gateway.rebooted&limit=1000`, adminKey);
    expect(rebooted.body.data.map((e: { gateway_id: string; data: unknown }) => [e.gateway_id, e.data])).toEqual([
      [fleet[0].id, { boot_id: bootDuring, previous_boot_id: bootBefore, firmware: null }],
    ]);
    expect(report.answers.get(200)).toBeGreaterThan(0);
    expect(fleet.flatMap((g) => g.closes)).toEqual([]);
    expectRunning(a);
    expectRunning(b);
  });

  it('closes a socket within 1.5 s of recovery when the gateway is disabled through the other instance', async () => {
    const target = fleet.find((g) => g.connectedTo === a.baseUrl)!;
    await cluster.stop();
    await sleep(OUTAGE_MS);
    await cluster.start();
    const recovered = Date.now();
    // An operator retries the PATCH on B until the database takes it.
    await eventually(async () => {
      const res = await fetch(`${b.baseUrl}/api/v1/gateways/${target.id}`, {
        method: 'PATCH',
        headers: { ...auth(adminKey), 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: 'disabled' }),
      });
      return res.status === 200;
    }, 10_000, 50);
    await eventually(async () => target.closes.length > 0, 3000, 20);
    expect(target.closes).toEqual([{ code: 4403, at: expect.any(Number), url: a.baseUrl }]);
    expect(target.closes[0].at - recovered).toBeLessThan(1500);
    expectRunning(a);
    expectRunning(b);
  });

  it('never printed a key or a key hash', () => {
    expectNoSecretsInLogs([a, b], secrets);
  });
});

/** The boot id of the gateway's last session, as stored (the API does not show sessions yet). */
async function storedBootId(url: string, gatewayId: string): Promise<string | null> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ boot_id: string | null }>('SELECT boot_id FROM gateway_telemetry WHERE gateway_id = $1', [gatewayId]);
    return rows[0]?.boot_id ?? null;
  } finally {
    await db.end();
  }
}

async function listeningSessions(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'novavms-gateway-service:signals' AND datname = current_database()`,
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}
