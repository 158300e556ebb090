import { randomUUID } from 'node:crypto';
import { sha256 } from '../support/gateway-helpers';
import { connectWithSession, expectFrame, expectSilence } from '../support/commands';
import { callApi, expectNoSecretsInLogs, expectRunning, FAST_INTERVALS, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { waitForExit } from '../support/service-process';
import { pairFleet, sleep } from '../support/sim-fleet';
import { eventually, GatewaySocket } from '../support/ws-client';

jest.setTimeout(240_000);

const PROBE = { type: 'network.probe', params: { host: '192.168.10.31', port: 554 } };
const RESULT = { reachable: true, latency_ms: 4 };

/**
 * Remote commands across instances, as the operator and the gateway see them: created on one
 * instance, sent by the one holding the socket, read on a third; the sending instance killed
 * before the result; the gateway moving to another instance mid-command; the database gone
 * while a result comes in.
 */
describe('commands across instances and faults', () => {
  let cluster: OwnCluster;
  const adminKey = newAdminKey();
  const secrets = new Set([adminKey, sha256(adminKey)]);
  const instances: Instance[] = [];
  const sockets: GatewaySocket[] = [];
  const timers: NodeJS.Timeout[] = [];
  let siteId: string;

  const api = (instance: Instance, method: string, path: string, body?: unknown) => callApi(instance, adminKey, method, path, body);
  const command = async (instance: Instance, id: string) => (await api(instance, 'GET', `/api/v1/commands/${id}`)).body;
  const commandEvents = async (instance: Instance, gatewayId: string) =>
    ((await api(instance, 'GET', `/api/v1/events?gateway_id=${gatewayId}&limit=1000`)).body.data as { type: string; data: any }[]).filter((e) => e.type.startsWith('command.'));

  /** A gateway socket on `instance` with a session declaring commands.v1, sending heartbeats. */
  async function attach(instance: Instance, gw: { id: string; key: string }, bootId: string): Promise<GatewaySocket> {
    const sock = await connectWithSession(instance.baseUrl, { id: gw.id, apiKey: gw.key }, bootId);
    sockets.push(sock);
    const beat = setInterval(() => sock.ws.readyState === sock.ws.OPEN && sock.send({ event: 'heartbeat', data: {} }), 500);
    timers.push(beat);
    sock.ws.once('close', () => clearInterval(beat));
    return sock;
  }

  /** A paired gateway whose session is stored (so commands may be created for it). */
  async function readyGateway(via: Instance, on: Instance): Promise<{ gw: { id: string; key: string }; sock: GatewaySocket; bootId: string }> {
    const [gw] = await pairFleet(via.baseUrl, adminKey, siteId, 1);
    secrets.add(gw.key).add(sha256(gw.key));
    const bootId = randomUUID();
    const sock = await attach(on, gw, bootId);
    await eventually(async () => (await api(via, 'POST', `/api/v1/gateways/${gw.id}/commands`, { ...PROBE, expires_in_s: 0, timeout_s: 5 })).status !== 409, 10_000, 200).then(async () => {
      // That probe was only to see the session stored: answer it so it does not linger.
      const probe = await expectFrame(sock, 'command');
      sock.send({ event: 'command_result', data: { id: probe.id, status: 'succeeded', result: RESULT } });
      await expectFrame(sock, 'command_result_received');
    });
    return { gw, sock, bootId };
  }

  beforeAll(async () => {
    cluster = await startOwnCluster();
    for (const name of ['A', 'B', 'C']) instances.push(await startInstance(name, cluster.databaseUrl, adminKey, FAST_INTERVALS));
    siteId = (await api(instances[0], 'GET', '/api/v1/sites')).body.data[0].id;
  });

  afterAll(async () => {
    timers.forEach(clearInterval);
    sockets.forEach((s) => s.ws.terminate());
    await killAll(instances);
    await cluster?.destroy();
  });

  it('created on A, sent by B (which holds the socket), its result read on C while waiting there', async () => {
    const [a, b, c] = instances;
    const { gw, sock } = await readyGateway(a, b);
    const created = await api(a, 'POST', `/api/v1/gateways/${gw.id}/commands`, PROBE);
    expect(created.status).toBe(201);
    const frame = await expectFrame(sock, 'command');
    expect(frame).toMatchObject({ id: created.body.id, attempt: 1 });
    const waiting = fetch(`${c.baseUrl}/api/v1/commands/${created.body.id}?wait_s=20`, { headers: { Authorization: `Bearer ${adminKey}` } }).then((r) => r.json() as Promise<any>);
    await sleep(300);
    sock.send({ event: 'command_ack', data: { id: frame.id, status: 'accepted' } });
    sock.send({ event: 'command_result', data: { id: frame.id, status: 'succeeded', result: RESULT } });
    await expectFrame(sock, 'command_result_received');
    expect(await waiting).toMatchObject({ id: created.body.id, status: 'succeeded', result: RESULT, attempt: 1 });
    await eventually(async () => (await commandEvents(c, gw.id)).some((e) => e.data.command_id === created.body.id));
    expect((await commandEvents(c, gw.id)).filter((e) => e.data.command_id === created.body.id).map((e) => e.type)).toEqual(['command.succeeded']);
  });

  it('the instance that sent it killed (-9) before the result: sent again on the next connection, finished once', async () => {
    const [a, , c] = instances;
    const victim = await startInstance('D', cluster.databaseUrl, adminKey, FAST_INTERVALS);
    instances.push(victim);
    const { gw, sock, bootId } = await readyGateway(a, victim);
    const { body } = await api(a, 'POST', `/api/v1/gateways/${gw.id}/commands`, { ...PROBE, timeout_s: 60 });
    const frame = await expectFrame(sock, 'command');
    sock.send({ event: 'command_ack', data: { id: frame.id, status: 'accepted' } });
    await eventually(async () => (await command(a, body.id)).status === 'accepted');

    victim.service.child.kill('SIGKILL');
    await waitForExit(victim.service);
    await sock.closed;
    // The gateway reconnects to C (same boot) and is sent what was running, attempt + 1.
    const again = await attach(c, gw, bootId);
    const resent = await expectFrame(again, 'command');
    expect(resent).toMatchObject({ id: body.id, attempt: 2 });
    again.send({ event: 'command_result', data: { id: body.id, status: 'succeeded', result: RESULT } });
    await expectFrame(again, 'command_result_received');
    expect(await command(a, body.id)).toMatchObject({ status: 'succeeded', attempt: 2, result: RESULT });
    await sleep(500);
    expect((await commandEvents(a, gw.id)).filter((e) => e.data.command_id === body.id).map((e) => e.type)).toEqual(['command.succeeded']);
  });

  it('the gateway moves to another instance mid-command: only the newest connection is sent it, and its result counts once', async () => {
    const [a, b] = instances;
    const { gw, sock, bootId } = await readyGateway(a, a);
    const { body } = await api(b, 'POST', `/api/v1/gateways/${gw.id}/commands`, PROBE);
    await expectFrame(sock, 'command');
    sock.send({ event: 'command_ack', data: { id: body.id, status: 'accepted' } });
    await eventually(async () => (await command(b, body.id)).status === 'accepted');

    // A new connection on B replaces the one on A (4409); B sends what is running again.
    const moved = await attach(b, gw, bootId);
    expect((await sock.closed).code).toBe(4409);
    expect(await expectFrame(moved, 'command')).toMatchObject({ id: body.id, attempt: 2 });
    // The result was already on its way through the old connection? It is the gateway's: it counts, once.
    moved.send({ event: 'command_result', data: { id: body.id, status: 'succeeded', result: RESULT } });
    moved.send({ event: 'command_result', data: { id: body.id, status: 'succeeded', result: { reachable: false, latency_ms: null } } });
    await expectFrame(moved, 'command_result_received');
    await expectFrame(moved, 'command_result_received');
    expect(await command(a, body.id)).toMatchObject({ status: 'succeeded', attempt: 2, result: RESULT });

    // A command created now goes to B's socket only.
    const next = await api(a, 'POST', `/api/v1/gateways/${gw.id}/commands`, { type: 'gateway.restart_service' });
    expect((await expectFrame(moved, 'command')).id).toBe(next.body.id);
    await expectSilence(moved, 300);
  });

  it('the database gone while a result comes in: no receipt until it is back, then the result is written once and receipted', async () => {
    const [a, b] = instances;
    const { gw, sock } = await readyGateway(a, b);
    const { body } = await api(a, 'POST', `/api/v1/gateways/${gw.id}/commands`, { ...PROBE, timeout_s: 120 });
    await expectFrame(sock, 'command');
    sock.send({ event: 'command_ack', data: { id: body.id, status: 'accepted' } });
    await eventually(async () => (await command(a, body.id)).status === 'accepted');

    await cluster.stop();
    try {
      sock.send({ event: 'command_result', data: { id: body.id, status: 'succeeded', result: RESULT } });
      // Not committed, so not receipted: the gateway keeps it.
      await expectSilence(sock, 2500);
      // The API answers 503 meanwhile, with the documented body.
      const during = await api(a, 'POST', `/api/v1/gateways/${gw.id}/commands`, PROBE);
      expect(during.status).toBe(503);
      expect(during.body).toEqual({ error: 'service_unavailable', message: expect.any(String) });
    } finally {
      await cluster.start();
    }
    expect(await expectFrame(sock, 'command_result_received', 20_000)).toEqual({ id: body.id });
    const done = await command(a, body.id);
    expect(done).toMatchObject({ status: 'succeeded', result: RESULT, attempt: 1 });
    await eventually(async () => (await commandEvents(a, gw.id)).some((e) => e.data.command_id === body.id), 10_000);
    expect((await commandEvents(a, gw.id)).filter((e) => e.data.command_id === body.id).map((e) => e.type)).toEqual(['command.succeeded']);
    for (const i of instances.filter((x) => x.name !== 'D')) expectRunning(i);
    expectNoSecretsInLogs(instances, secrets);
  });
});
