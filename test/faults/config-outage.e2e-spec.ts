import { randomUUID } from 'node:crypto';
import { sha256 } from '../support/gateway-helpers';
import { Client } from 'pg';
import { expectFrame } from '../support/commands';
import { callApi, expectNoSecretsInLogs, expectRunning, FAST_INTERVALS, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { pairFleet, sleep } from '../support/sim-fleet';
import { connectGateway, eventually, GatewaySocket } from '../support/ws-client';

jest.setTimeout(240_000);

/**
 * Configuration through a PostgreSQL outage, as the gateway and the operator see it: a report
 * sent while the database is gone is written once it is back, and a change written right after
 * the outage reaches the gateway on the other instance, whose listen connection was lost with
 * the database.
 */
describe('configuration through a database outage', () => {
  let cluster: OwnCluster;
  const adminKey = newAdminKey();
  const secrets = new Set([adminKey, sha256(adminKey)]);
  const instances: Instance[] = [];
  let sock: GatewaySocket | undefined;
  let beat: NodeJS.Timeout | undefined;

  const api = (instance: Instance, method: string, path: string, body?: unknown) => callApi(instance, adminKey, method, path, body);

  beforeAll(async () => {
    cluster = await startOwnCluster();
    for (const name of ['A', 'B']) instances.push(await startInstance(name, cluster.databaseUrl, adminKey, FAST_INTERVALS));
  });
  afterAll(async () => {
    clearInterval(beat);
    sock?.ws.terminate();
    await killAll(instances);
    await cluster?.destroy();
  });

  it('keeps a report sent during the outage and writes it after; pushes a change written right after to the other instance\'s socket', async () => {
    const [a, b] = instances;
    const siteId = (await api(a, 'GET', '/api/v1/sites')).body.data[0].id;
    const [gw] = await pairFleet(a.baseUrl, adminKey, siteId, 1);
    secrets.add(gw.key).add(sha256(gw.key));
    sock = await connectGateway(a.baseUrl, gw.id, gw.key);
    await expectFrame(sock, 'hello');
    sock.send({ event: 'session', data: { boot_id: randomUUID(), capabilities: ['config.v1'], config_version: 0 } });
    beat = setInterval(() => sock?.ws.readyState === sock?.ws.OPEN && sock?.send({ event: 'heartbeat', data: {} }), 500);
    const capabilities = async () => ((await pgQuery(cluster.databaseUrl, 'SELECT capabilities FROM gateway_telemetry WHERE gateway_id = $1', [gw.id]))[0] as { capabilities: string[] | null } | undefined)?.capabilities;
    await eventually(async () => (await capabilities())?.includes('config.v1'), 10_000, 200);

    expect((await api(b, 'PUT', `/api/v1/gateways/${gw.id}/config`, { log_level: 'debug' })).status).toBe(200);
    const v1 = await expectFrame(sock, 'config');
    expect(v1).toEqual({ version: 1, desired: { log_level: 'debug' } });

    await cluster.stop();
    try {
      // Applied while the database is gone: kept by A, not lost.
      sock.send({ event: 'config_report', data: { version: 1, status: 'applied', reported: { log_level: 'debug' } } });
      await sleep(2500);
      expect((await api(b, 'GET', `/api/v1/gateways/${gw.id}/config`)).status).toBe(503);
    } finally {
      await cluster.start();
    }
    // A change as soon as the database answers, through B; A hears of it by its signal, or by its resync and poll once it listens again.
    await eventually(async () => (await api(b, 'PUT', `/api/v1/gateways/${gw.id}/config`, { log_level: 'warn' })).status === 200, 20_000, 200);
    expect(await expectFrame(sock, 'config', 20_000)).toEqual({ version: 2, desired: { log_level: 'warn' } });

    const events = async () => ((await api(b, 'GET', `/api/v1/events?gateway_id=${gw.id}&limit=1000`)).body.data as { type: string; data: any }[]).filter((e) => e.type.startsWith('gateway.config_'));
    await eventually(async () => (await events()).some((e) => e.type === 'gateway.config_applied'), 10_000);
    // The report retried after the outage and the new write race each other: either order, each once.
    expect((await events()).map((e) => `${e.type} ${e.data.version}`).sort()).toEqual(['gateway.config_applied 1', 'gateway.config_changed 1', 'gateway.config_changed 2']);
    sock.send({ event: 'config_report', data: { version: 2, status: 'applied', reported: { log_level: 'warn' } } });
    await eventually(async () => (await api(a, 'GET', `/api/v1/gateways/${gw.id}/config`)).body.sync === 'in_sync', 10_000);
    instances.forEach(expectRunning);
    expectNoSecretsInLogs(instances, secrets);
  });
});

async function pgQuery(url: string, text: string, params: unknown[]): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}
