import { SignalBus } from '../src/signals/signal-bus';
import { bearer } from './support/factories';
import { pairGateway } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';
import { closesWithin, connectGateway, eventually } from './support/ws-client';

const ENV = { HEARTBEAT_INTERVAL_S: '1', OFFLINE_AFTER_S: '3', TELEMETRY_FLUSH_INTERVAL_MS: '200' };

describe('two instances on one PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp(ENV);
    b = await startTestApp(ENV, a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('closes a socket held by A with 4403 within 1 s when B disables the gateway', async () => {
    const gw = await pairGateway(a);
    const sock = await connectGateway(a.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    await b.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(b.adminKey)).send({ status: 'disabled' }).expect(200);
    expect((await closesWithin(sock.closed, 1000)).code).toBe(4403);
  });

  it('closes a socket held by A with 4404 within 1 s when B deletes the gateway', async () => {
    const gw = await pairGateway(a);
    const sock = await connectGateway(a.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    await b.http().delete(`/api/v1/gateways/${gw.id}`).set(bearer(b.adminKey)).expect(204);
    expect((await closesWithin(sock.closed, 1000)).code).toBe(4404);
  });

  it('shows telemetry sent to A through B within 2 s', async () => {
    const gw = await pairGateway(a);
    const sock = await connectGateway(a.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    sock.send({ event: 'telemetry', data: { cpu_percent: 42.5, memory_mb: 1024 } });
    const snapshot = await eventually(async () => {
      const res = await b.http().get(`/api/v1/gateways/${gw.id}/telemetry`).set(bearer(b.adminKey));
      return res.body.cpu_percent === 42.5 ? res.body : undefined;
    }, 2000);
    expect(snapshot).toMatchObject({ memory_mb: 1024, last_heartbeat_at: expect.stringMatching(/Z$/) });
    const gwRes = await b.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(b.adminKey)).expect(200);
    expect(gwRes.body.status).toBe('online');
    sock.ws.close();
    await sock.closed;
  });

  it('lets the newer connection win across instances: the socket on A closes 4409', async () => {
    const gw = await pairGateway(a);
    const older = await connectGateway(a.baseUrl, gw.id, gw.apiKey);
    await older.next();
    const newer = await connectGateway(b.baseUrl, gw.id, gw.apiKey);
    await newer.next();
    expect((await closesWithin(older.closed, 1000)).code).toBe(4409);
    // The older socket's close must not mark the gateway offline while the newer one is live.
    newer.send({ event: 'heartbeat', data: {} });
    await eventually(async () => (await b.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(b.adminKey))).body.status === 'online', 2000);
    await new Promise((r) => setTimeout(r, 600));
    expect((await b.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(b.adminKey))).body.status).toBe('online');
    newer.ws.close();
    await newer.closed;
  });

  it('re-establishes A’s listen connection after pg_terminate_backend, and signals arrive again', async () => {
    const bus = a.app.get(SignalBus);
    const pid = await bus.listenerPid();
    expect(pid).toEqual(expect.any(Number));
    const [{ ok }] = await a.dataSource.query('SELECT pg_terminate_backend($1) AS ok', [pid]);
    expect(ok).toBe(true);
    const newPid = await eventually(async () => {
      const p = await bus.listenerPid();
      return p !== undefined && p !== pid ? p : undefined;
    }, 5000);
    expect(newPid).not.toBe(pid);
    const gw = await pairGateway(a);
    const sock = await connectGateway(a.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    await b.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(b.adminKey)).send({ status: 'disabled' }).expect(200);
    expect((await closesWithin(sock.closed, 1000)).code).toBe(4403);
  });

  it('catches a signal sent while the listen connection was down (resync)', async () => {
    const gw = await pairGateway(a);
    const sock = await connectGateway(a.baseUrl, gw.id, gw.apiKey);
    await sock.next();
    const bus = a.app.get(SignalBus);
    const pid = await bus.listenerPid();
    // Kill the listener and disable at once: the NOTIFY may be lost, the resync must not be.
    await Promise.all([
      a.dataSource.query('SELECT pg_terminate_backend($1)', [pid]),
      b.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(b.adminKey)).send({ status: 'disabled' }).expect(200),
    ]);
    expect((await closesWithin(sock.closed, 5000)).code).toBe(4403);
  });
});
