import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { sha256 } from '../support/gateway-helpers';
import { expectRunning, FAST_INTERVALS, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { waitForExit } from '../support/service-process';
import { SimGateway, sleep, watchStatuses } from '../support/sim-fleet';
import { eventually } from '../support/ws-client';

jest.setTimeout(300_000);

const GATEWAYS = 1000;
/** Long enough for 1,000 gateways to reconnect to the other instance on this machine, as in production (3 missed heartbeats). */
const ENV = { ...FAST_INTERVALS, OFFLINE_AFTER_S: '10', DB_POOL_SIZE: '20' };

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const getJson = async (url: string, key: string) => (await fetch(url, { headers: auth(key) })).json() as Promise<any>;

/** Every event of one type, walking the cursor. */
async function eventsOfType(instance: Instance, key: string, type: string): Promise<{ gateway_id: string }[]> {
  const out: { gateway_id: string }[] = [];
  let after = '0';
  for (;;) {
    const page = await getJson(`${instance.baseUrl}/api/v1/events?type=${type}&limit=1000&after=${after}`, key);
    out.push(...page.data);
    after = page.next_cursor;
    if (page.data.length < 1000) return out;
  }
}

/** Exit 0 after SIGTERM; otherwise the end of the instance's log says why. */
async function expectCleanExit(instance: Instance): Promise<void> {
  const exit = await waitForExit(instance.service, 30_000);
  if (exit.code !== 0) throw new Error(`${instance.name} exited ${exit.code} after SIGTERM:\n${instance.logs().slice(-4000)}`);
}

/** v1.2 presence: a rolling restart of both instances, with a fleet on them, is no outage of any gateway. */
describe('rolling restart of two instances with 1,000 gateways', () => {
  let cluster: OwnCluster;
  const adminKey = newAdminKey();
  const instances: Instance[] = [];

  beforeAll(async () => {
    cluster = await startOwnCluster();
  });
  afterAll(async () => {
    await killAll(instances);
    await cluster?.destroy();
  });

  it('SIGTERM of each instance in turn: zero gateway.offline events, never offline through REST', async () => {
    let a = await startInstance('A', cluster.databaseUrl, adminKey, ENV);
    const b = await startInstance('B', cluster.databaseUrl, adminKey, ENV);
    instances.push(a, b);

    // A fleet paired behind the API's back (pairing 1,000 through it is not what this tests).
    const db = new Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    const keys = Array.from({ length: GATEWAYS }, () => `gw_${randomBytes(32).toString('base64url')}`);
    const ids: string[] = (
      await db.query(
        `WITH s AS (SELECT org_id, id FROM sites ORDER BY created_at LIMIT 1),
              k AS MATERIALIZED (SELECT gen_random_uuid() AS id, hash, n FROM unnest($1::text[]) WITH ORDINALITY AS k(hash, n)),
              g AS (INSERT INTO gateways (id, org_id, site_id, name, status, paired_at)
                    SELECT k.id, s.org_id, s.id, 'fleet ' || k.n, 'offline', now() FROM s, k ORDER BY k.n),
              keys AS (INSERT INTO gateway_keys (org_id, gateway_id, key_hash, state) SELECT s.org_id, k.id, k.hash, 'active' FROM s, k)
         SELECT k.id FROM k ORDER BY k.n`,
        [keys.map(sha256)],
      )
    ).rows.map((r: { id: string }) => r.id);
    await db.end();

    const fleet = ids.map((id, i) => new SimGateway(id, keys[i], [a.baseUrl, b.baseUrl], 0, { everyMs: 1000, reconnect: true }));
    for (let i = 0; i < fleet.length; i += 100) await Promise.all(fleet.slice(i, i + 100).map((g) => g.connect()));
    fleet.forEach((g) => g.startSending());
    const allOnline = async (via: Instance) => {
      const page = await getJson(`${via.baseUrl}/api/v1/gateways?status=online&limit=1000`, adminKey);
      return page.total === GATEWAYS;
    };
    await eventually(() => allOnline(b), 30_000, 250);
    const watcher = watchStatuses([a.baseUrl, b.baseUrl], adminKey, () => true, 250);

    // A stops; its gateways reconnect to B. A comes back on the same address.
    a.service.child.kill('SIGTERM');
    await expectCleanExit(a);
    await eventually(async () => fleet.every((g) => g.connectedTo === b.baseUrl), 30_000, 100);
    a = await startInstance('A again', cluster.databaseUrl, adminKey, { ...ENV, PORT: a.env.PORT });
    instances.push(a);
    await sleep(2000);

    // Then B stops; everything moves back to A.
    b.service.child.kill('SIGTERM');
    await expectCleanExit(b);
    await eventually(async () => fleet.every((g) => g.connectedTo === a.baseUrl), 30_000, 100);
    // Past OFFLINE_AFTER_S since the last move, so a wrong offline would have been written by now.
    await sleep((Number(ENV.OFFLINE_AFTER_S) + 3) * 1000);

    const report = await watcher.stop();
    expect(report.falseOffline.slice(0, 5)).toEqual([]);
    expect(await allOnline(a)).toBe(true);
    expect(await eventsOfType(a, adminKey, 'gateway.offline')).toEqual([]);
    // One online event per gateway: the first connection; the moves added none.
    const online = await eventsOfType(a, adminKey, 'gateway.online');
    expect(online).toHaveLength(GATEWAYS);
    expect(new Set(online.map((e) => e.gateway_id)).size).toBe(GATEWAYS);
    for (const g of fleet) expect(g.closes.map((c) => c.code)).toEqual([1001, 1001]);

    fleet.forEach((g) => g.stop());
    expectRunning(a);
  });
});
