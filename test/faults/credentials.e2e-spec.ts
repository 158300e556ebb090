import { randomUUID } from 'node:crypto';
import { connectWithSession, expectFrame } from '../support/commands';
import { sha256 } from '../support/gateway-helpers';
import { callApi, expectNoSecretsInLogs, expectRunning, FAST_INTERVALS, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { waitForExit } from '../support/service-process';
import { pairFleet, sleep } from '../support/sim-fleet';
import { closesWithin, connectGateway, eventually, GatewaySocket } from '../support/ws-client';

jest.setTimeout(240_000);

const CREDENTIALS_V1 = ['credentials.v1'];

/**
 * Gateway keys across instances, as the operator and the gateway see them: a revocation taken on
 * one instance closing the socket held by another at once (not at its next resync) and refusing
 * the key there; the instance that sent a rotation's key killed before the gateway used it; two
 * boxes with one key on two instances.
 */
describe('credentials across instances and faults', () => {
  let cluster: OwnCluster;
  const adminKey = newAdminKey();
  const secrets = new Set([adminKey, sha256(adminKey)]);
  const instances: Instance[] = [];
  const sockets: GatewaySocket[] = [];
  let siteId: string;
  // Resync only every 30 s: what happens within seconds is the signals' doing.
  const ENV = { ...FAST_INTERVALS, RESYNC_INTERVAL_S: '30' };

  const api = (instance: Instance, method: string, path: string, body?: unknown) => callApi(instance, adminKey, method, path, body);
  const eventsOf = async (instance: Instance, gatewayId: string, type: string) =>
    ((await api(instance, 'GET', `/api/v1/events?gateway_id=${gatewayId}&limit=1000`)).body.data as { type: string; data: any }[]).filter((e) => e.type === type);
  const upgrade = (instance: Instance, gatewayId: string, key: string) =>
    connectGateway(instance.baseUrl, gatewayId, key).then(
      (s) => (s.ws.close(), 101),
      (e: { status?: number }) => e.status ?? 0,
    );

  async function attach(instance: Instance, gw: { id: string; key: string }, bootId = randomUUID(), key = gw.key): Promise<GatewaySocket> {
    secrets.add(key).add(sha256(key));
    const sock = await connectWithSession(instance.baseUrl, { id: gw.id, apiKey: key }, bootId, CREDENTIALS_V1);
    sockets.push(sock);
    return sock;
  }

  async function pairOne(via: Instance): Promise<{ id: string; key: string }> {
    const [gw] = await pairFleet(via.baseUrl, adminKey, siteId, 1);
    secrets.add(gw.key).add(sha256(gw.key));
    return gw;
  }

  /** Asks for a rotation once the gateway's session with credentials.v1 is stored (409 until then). */
  async function rotateWhenReady(via: Instance, gatewayId: string): Promise<string> {
    const res = await eventually(async () => {
      const r = await api(via, 'POST', `/api/v1/gateways/${gatewayId}/rotate-key`, { grace_s: 600 });
      return r.status === 202 ? r : undefined;
    }, 10_000, 200);
    return res.body.rotation_id;
  }

  beforeAll(async () => {
    cluster = await startOwnCluster();
    for (const name of ['A', 'B', 'C']) instances.push(await startInstance(name, cluster.databaseUrl, adminKey, ENV));
    siteId = (await api(instances[0], 'GET', '/api/v1/sites')).body.data[0].id;
  });

  afterAll(async () => {
    sockets.forEach((s) => s.ws.terminate());
    for (const i of instances) if (!i.exit) expectRunning(i);
    expectNoSecretsInLogs(instances, secrets);
    await killAll(instances);
    await cluster?.destroy();
  });

  it('revoked on A while the socket lives on B: closed 4401 within a second, and the key refused on B, where it was just used', async () => {
    const [a, b] = instances;
    const gw = await pairOne(a);
    // B has accepted the key a moment ago, twice.
    expect(await upgrade(b, gw.id, gw.key)).toBe(101);
    const sock = await attach(b, gw);
    const revoked = await api(a, 'POST', `/api/v1/gateways/${gw.id}/revoke-keys`);
    expect(revoked.status).toBe(200);
    expect((await closesWithin(sock.closed, 1500)).code).toBe(4401);
    expect(await upgrade(b, gw.id, gw.key)).toBe(401);
    expect(await upgrade(a, gw.id, gw.key)).toBe(401);
  });

  it('pairing again on A while the old box is connected to B: the old socket closes 4401, the new box connects anywhere', async () => {
    const [a, b, c] = instances;
    const gw = await pairOne(a);
    const old = await attach(b, gw);
    const code = await api(a, 'POST', `/api/v1/gateways/${gw.id}/pairing-code`);
    expect(code.status).toBe(201);
    const paired = await fetch(`${a.baseUrl}/api/v1/gateways/pair`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ pairing_code: code.body.pairing_code }),
    }).then((r) => r.json() as Promise<{ gateway_id: string; api_key: string }>);
    secrets.add(paired.api_key).add(sha256(paired.api_key));
    expect(paired.gateway_id).toBe(gw.id);
    expect((await closesWithin(old.closed, 1500)).code).toBe(4401);
    expect(await upgrade(b, gw.id, gw.key)).toBe(401);
    expect(await upgrade(c, gw.id, paired.api_key)).toBe(101);
  });

  it('the instance that sent the new key killed (-9) before the gateway used it: the gateway connects elsewhere with the new key and the rotation completes', async () => {
    const [a, , c] = instances;
    const victim = await startInstance('D', cluster.databaseUrl, adminKey, ENV);
    instances.push(victim);
    const gw = await pairOne(a);
    const sock = await attach(victim, gw);
    const rotationId = await rotateWhenReady(a, gw.id);
    const frame = await expectFrame(sock, 'rotate_key');
    expect(frame.rotation_id).toBe(rotationId);
    secrets.add(frame.api_key).add(sha256(frame.api_key));

    victim.service.child.kill('SIGKILL');
    await waitForExit(victim.service);
    await sock.closed;
    // Stored before the crash, never acknowledged: it works on C, and completes the rotation there.
    const fresh = await attach(c, gw, randomUUID(), frame.api_key);
    await eventually(async () => (await eventsOf(a, gw.id, 'gateway.key_rotated')).length === 1, 10_000, 200);
    expect((await eventsOf(a, gw.id, 'gateway.key_rotated'))[0].data.rotation_id).toBe(rotationId);
    const keys = (await api(a, 'GET', `/api/v1/gateways/${gw.id}/credentials`)).body;
    expect(keys.map((k: { state: string }) => k.state)).toEqual(['retiring', 'active']);
    expect(fresh.ws.readyState).toBe(fresh.ws.OPEN);
  });

  it('the instance that sent the new key killed before the gateway stored it: the gateway, back with its old key on C, is sent a new one there', async () => {
    const [a, , c] = instances;
    const victim = await startInstance('E', cluster.databaseUrl, adminKey, ENV);
    instances.push(victim);
    const gw = await pairOne(a);
    const bootId = randomUUID();
    const sock = await attach(victim, gw, bootId);
    const rotationId = await rotateWhenReady(a, gw.id);
    const lost = await expectFrame(sock, 'rotate_key');
    secrets.add(lost.api_key).add(sha256(lost.api_key));

    victim.service.child.kill('SIGKILL');
    await waitForExit(victim.service);
    await sock.closed;
    const back = await attach(c, gw, bootId);
    const again = await expectFrame(back, 'rotate_key');
    secrets.add(again.api_key).add(sha256(again.api_key));
    expect(again.rotation_id).toBe(rotationId);
    back.send({ event: 'rotate_key_ack', data: { rotation_id: rotationId } });
    expect(await upgrade(a, gw.id, lost.api_key)).toBe(401);
    await attach(a, gw, bootId, again.api_key);
    expect((await closesWithin(back.closed, 3000)).code).toBe(4409);
    await eventually(async () => (await eventsOf(a, gw.id, 'gateway.key_rotated')).length === 1, 10_000, 200);
    // The old key is retiring, still usable within the grace.
    expect(await upgrade(c, gw.id, gw.key)).toBe(101);
    await eventually(async () => (await eventsOf(a, gw.id, 'gateway.retired_key_used')).length === 1, 10_000, 200);
  });

  it('two boxes with one key, one on A and one on B, replacing each other: one gateway.credential_conflict', async () => {
    const [a, b] = instances;
    const gw = await pairOne(a);
    const boxes = [
      { on: a, boot: randomUUID() },
      { on: b, boot: randomUUID() },
    ];
    let previous: GatewaySocket | undefined;
    for (let i = 0; i < 10; i++) {
      const box = boxes[i % 2];
      const sock = await attach(box.on, gw, box.boot);
      if (previous) expect((await closesWithin(previous.closed, 3000)).code).toBe(4409);
      previous = sock;
      await sleep(300);
    }
    await eventually(async () => (await eventsOf(a, gw.id, 'gateway.credential_conflict')).length >= 1, 10_000, 200);
    await sleep(2000);
    const conflicts = await eventsOf(b, gw.id, 'gateway.credential_conflict');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].data.peers.map((p: { boot_id: string }) => p.boot_id).sort()).toEqual(boxes.map((x) => x.boot).sort());
  });
});
