import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { sha256 } from '../support/gateway-helpers';
import { expectNoSecretsInLogs, expectRunning, FAST_INTERVALS, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { spawnService, waitForExit, waitUntilReady } from '../support/service-process';
import { pairFleet, SimGateway, sleep, watchStatuses } from '../support/sim-fleet';
import { eventually } from '../support/ws-client';

jest.setTimeout(240_000);

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });
const getJson = async (url: string, key: string) => (await fetch(url, { headers: auth(key) })).json() as Promise<any>;
const snapshot = (instance: Instance, key: string, id: string) => getJson(`${instance.baseUrl}/api/v1/gateways/${id}/telemetry`, key);
const gateway = (instance: Instance, key: string, id: string) => getJson(`${instance.baseUrl}/api/v1/gateways/${id}`, key);

/** Instances that die, stop and hand gateways over, as a fleet sees it. */
describe('instances dying, stopping and handing gateways over', () => {
  let cluster: OwnCluster;
  const adminKey = newAdminKey();
  const secrets = new Set([adminKey, sha256(adminKey)]);
  const instances: Instance[] = [];
  let siteId: string;

  async function pair(via: Instance, count: number) {
    const paired = await pairFleet(via.baseUrl, adminKey, siteId, count);
    for (const g of paired) secrets.add(g.key).add(sha256(g.key));
    return paired;
  }

  beforeAll(async () => {
    cluster = await startOwnCluster();
    const first = await startInstance('first', cluster.databaseUrl, adminKey, FAST_INTERVALS);
    instances.push(first);
    siteId = (await getJson(`${first.baseUrl}/api/v1/sites`, adminKey)).data[0].id;
  });

  afterAll(async () => {
    await killAll(instances);
    await cluster?.destroy();
  });

  it('kill -9: gateways that reconnect to the survivor stay online; those that do not go offline after OFFLINE_AFTER_S', async () => {
    const a = instances[0];
    const b = await startInstance('B', cluster.databaseUrl, adminKey, FAST_INTERVALS);
    instances.push(b);
    const paired = await pair(a, 12);
    // On B: six reconnect to A after B dies, six die with it (they stop sending and never reconnect).
    const survivors = paired.slice(0, 6).map((g) => new SimGateway(g.id, g.key, [b.baseUrl, a.baseUrl], 0));
    const lost = paired.slice(6).map((g) => new SimGateway(g.id, g.key, [b.baseUrl], 0, { everyMs: 250, reconnect: false }));
    const fleet = [...survivors, ...lost];
    await Promise.all(fleet.map((g) => g.connect()));
    fleet.forEach((g) => g.startSending());
    await eventually(async () => (await Promise.all(fleet.map((g) => gateway(a, adminKey, g.id)))).every((r) => r.status === 'online'), 10_000);
    const watcher = watchStatuses([a.baseUrl], adminKey, (id) => survivors.some((g) => g.id === id));

    b.service.child.kill('SIGKILL');
    await waitForExit(b.service);
    const killedAt = Date.now();
    lost.forEach((g) => g.stop());
    await eventually(async () => survivors.every((g) => g.connectedTo === a.baseUrl), 10_000);
    // The lost ones: offline once OFFLINE_AFTER_S pass without a frame (plus a sweep interval and a flush).
    const offlineAt = await eventually(async () => {
      const rows = await Promise.all(lost.map((g) => gateway(a, adminKey, g.id)));
      return rows.every((r) => r.status === 'offline') ? Date.now() : undefined;
    }, 15_000);
    expect(offlineAt - killedAt).toBeLessThan((Number(FAST_INTERVALS.OFFLINE_AFTER_S) + 3) * 1000);
    await sleep(1000);
    const report = await watcher.stop();
    expect(report.falseOffline).toEqual([]);
    for (const g of survivors) {
      expect(g.closes.map((c) => c.code)).toEqual([1006]);
      await eventually(async () => (await snapshot(a, adminKey, g.id)).memory_mb >= g.lastSent - 5, 3000);
    }
    survivors.forEach((g) => g.stop());
    expectRunning(a);
  });

  it('a newer connection’s report is never overwritten by frames the older instance flushes later', async () => {
    const a = instances[0];
    // B flushes slowly: frames a gateway sent on B are written after those it then sent on A.
    const b = await startInstance('B2', cluster.databaseUrl, adminKey, { ...FAST_INTERVALS, TELEMETRY_FLUSH_INTERVAL_MS: '2000' });
    instances.push(b);
    const paired = await pair(a, 10);
    const fleet = paired.map((g) => new SimGateway(g.id, g.key, [b.baseUrl, a.baseUrl], 0, { everyMs: 1000_000, reconnect: false }));
    const regressions: string[] = [];
    const seen = new Map<string, number>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const g of fleet) {
          const memory = (await snapshot(a, adminKey, g.id)).memory_mb ?? 0;
          if (memory < (seen.get(g.id) ?? 0)) regressions.push(`${g.id}: ${seen.get(g.id)} → ${memory}`);
          seen.set(g.id, Math.max(memory, seen.get(g.id) ?? 0));
        }
        await sleep(50);
      }
    })();
    for (let round = 0; round < 6; round++) {
      const from = round % 2 === 0 ? b : a;
      const to = round % 2 === 0 ? a : b;
      await Promise.all(fleet.map((g) => g.connect([b.baseUrl, a.baseUrl].indexOf(from.baseUrl))));
      fleet.forEach((g) => g.send());
      // The gateway moves: a new socket on the other instance, which reports a newer frame.
      await Promise.all(fleet.map((g) => g.connect([b.baseUrl, a.baseUrl].indexOf(to.baseUrl))));
      fleet.forEach((g) => g.send());
      await sleep(2600);
      for (const g of fleet) expect((await snapshot(a, adminKey, g.id)).memory_mb).toBe(g.lastSent);
    }
    watching = false;
    await watch;
    expect(regressions).toEqual([]);
    fleet.forEach((g) => g.stop());
    await killAll([b]);
    expectRunning(a);
  });

  it('SIGTERM under load: every frame sent before the 1001 close is visible afterwards', async () => {
    const a = instances[0];
    const b = await startInstance('B3', cluster.databaseUrl, adminKey, { ...FAST_INTERVALS, TELEMETRY_FLUSH_INTERVAL_MS: '2500' });
    instances.push(b);
    const paired = await pair(a, 30);
    const fleet = paired.map((g) => new SimGateway(g.id, g.key, [b.baseUrl], 0, { everyMs: 100, reconnect: false }));
    await Promise.all(fleet.map((g) => g.connect()));
    fleet.forEach((g) => g.startSending());
    await sleep(1500);
    b.service.child.kill('SIGTERM');
    await eventually(async () => fleet.every((g) => g.closes.length === 1), 10_000, 20);
    const exit = await waitForExit(b.service, 15_000);
    expect(exit.code).toBe(0);
    for (const g of fleet) {
      expect(g.closes.map((c) => c.code)).toEqual([1001]);
      expect((await snapshot(a, adminKey, g.id)).memory_mb).toBe(g.lastSent);
    }
    fleet.forEach((g) => g.stop());
    expectRunning(a);
  });

  it('never printed a key or a key hash', () => {
    expectNoSecretsInLogs(instances, secrets);
  });
});

/**
 * Ctrl-C in a terminal signals the whole foreground process group. With the embedded
 * PostgreSQL, what the service buffered must still be written before the database stops.
 */
describe('Ctrl-C on a service running the embedded PostgreSQL', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'novavms-ctrl-c-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes the last frames before the database stops, and exits 0', async () => {
    const adminKey = newAdminKey();
    const env = { EMBEDDED_PG_DIR: join(root, 'postgres'), NOVAVMS_BOOTSTRAP_ADMIN_KEY: adminKey, LOG_LEVEL: 'info', TELEMETRY_FLUSH_INTERVAL_MS: '10000' };
    const service = spawnService({ ...env, PORT: String(await freePort()) }, { ownProcessGroup: true });
    await waitUntilReady(service);
    const siteId = (await getJson(`${service.baseUrl}/api/v1/sites`, adminKey)).data[0].id;
    const [paired] = await pairFleet(service.baseUrl, adminKey, siteId, 1);
    const gw = new SimGateway(paired.id, paired.key, [service.baseUrl], 0, { everyMs: 1000_000, reconnect: false });
    await gw.connect();
    gw.send();
    gw.send();
    await sleep(300);
    process.kill(-service.child.pid!, 'SIGINT');
    const exit = await waitForExit(service, 20_000);
    expect(exit.code).toBe(0);
    expect(gw.closes.map((c) => c.code)).toEqual([1001]);

    const again = spawnService({ ...env, PORT: String(await freePort()) });
    try {
      await waitUntilReady(again);
      const telemetry = await getJson(`${again.baseUrl}/api/v1/gateways/${paired.id}/telemetry`, adminKey);
      expect(telemetry.memory_mb).toBe(2);
    } finally {
      again.child.kill('SIGTERM');
      await waitForExit(again);
    }
  });
});
