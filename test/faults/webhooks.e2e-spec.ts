import { Client } from 'pg';
import { expectRunning, FAST_INTERVALS, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { waitForExit } from '../support/service-process';
import { sleep } from '../support/sim-fleet';
import { Receiver, startReceiver } from '../support/webhook-receiver';
import { eventually } from '../support/ws-client';

jest.setTimeout(180_000);

const TIMEOUT_MS = 2000;
/** The lease is 2 × WEBHOOK_TIMEOUT_MS + 5 s (webhook-delivery.service.ts). */
const LEASE_MS = 2 * TIMEOUT_MS + 5000;
const ENV = {
  ...FAST_INTERVALS,
  EVENTS_SEQUENCE_INTERVAL_MS: '50',
  WEBHOOK_POLL_INTERVAL_MS: '50',
  WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
  WEBHOOK_RETRY_SCHEDULE_S: '1',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
};

/** Webhook delivery across instances that share the work and die in the middle of it. */
describe('webhook delivery by two instances', () => {
  let cluster: OwnCluster;
  let rx: Receiver;
  const adminKey = newAdminKey();
  const instances: Instance[] = [];

  beforeAll(async () => {
    cluster = await startOwnCluster();
    rx = await startReceiver();
  });
  afterAll(async () => {
    await killAll(instances);
    await rx?.close();
    await cluster?.destroy();
  });

  async function createHook(via: Instance, path: string): Promise<string> {
    const res = await fetch(`${via.baseUrl}/api/v1/webhooks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: rx.url(path), event_types: ['gateway.registered'] }),
    });
    if (res.status !== 201) throw new Error(`create webhook: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  }
  async function insertGateways(count: number): Promise<void> {
    const db = new Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    await db.query(
      `INSERT INTO gateways (org_id, site_id, name) SELECT s.org_id, s.id, 'burst ' || g
         FROM (SELECT org_id, id FROM sites ORDER BY created_at LIMIT 1) s, generate_series(1, $1) g`,
      [count],
    );
    await db.end();
  }
  async function deliveries(via: Instance, id: string): Promise<{ status: string; attempt: number; event_id: string }[]> {
    const res = await fetch(`${via.baseUrl}/api/v1/webhooks/${id}/deliveries?limit=1000`, { headers: { Authorization: `Bearer ${adminKey}` } });
    return ((await res.json()) as { data: { status: string; attempt: number; event_id: string }[] }).data;
  }

  it('kill -9 in the middle of an attempt: the other instance makes it once the lease has run out', async () => {
    const a = await startInstance('A', cluster.databaseUrl, adminKey, ENV);
    instances.push(a);
    // The receiver holds A's request open, answering nothing.
    rx.script('/held', [() => undefined]);
    const hook = await createHook(a, '/held');
    await insertGateways(1);
    await eventually(async () => rx.at('/held').length === 1, 10_000, 20);
    const heldAt = Date.now();
    // Killed well inside its attempt's timeout; the other instance comes up meanwhile.
    a.service.child.kill('SIGKILL');
    await waitForExit(a.service);
    const b = await startInstance('B', cluster.databaseUrl, adminKey, ENV);
    instances.push(b);
    // B makes the attempt again after the lease (A's attempt could not have ended it).
    await eventually(async () => rx.at('/held').length === 2, LEASE_MS + 10_000, 50);
    const [first, second] = rx.at('/held');
    expect(second.at - heldAt).toBeGreaterThanOrEqual(LEASE_MS - 1000);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    await eventually(async () => (await deliveries(b, hook))[0]?.status === 'succeeded', 5000);
    expect((await deliveries(b, hook)).map((d) => [d.attempt, d.status])).toEqual([[1, 'succeeded']]);
    expectRunning(b);
  });

  it('a burst shared by two instances: every event delivered, each attempt made by one instance only', async () => {
    const b = instances[1];
    const a = await startInstance('A again', cluster.databaseUrl, adminKey, ENV);
    instances.push(a);
    const hook = await createHook(a, '/burst');
    const BURST = 300;
    await insertGateways(BURST);
    await eventually(async () => rx.at('/burst').length >= BURST, 30_000, 100);
    await sleep(1500);
    const ids = rx.at('/burst').map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(BURST);
    expect(new Set(ids).size).toBe(BURST);
    const log = await deliveries(a, hook);
    expect(log).toHaveLength(BURST);
    expect(log.every((d) => d.status === 'succeeded' && d.attempt === 1)).toBe(true);
    expectRunning(a);
    expectRunning(b);
  });
});
