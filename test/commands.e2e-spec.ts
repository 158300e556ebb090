import { randomUUID } from 'node:crypto';
import { walkEvents } from './support/events';
import { bearer, createCamera, createKey, createSite } from './support/factories';
import { pairGateway } from './support/gateways';
import { expectErrorBody } from './support/http';
import { createOrg, MANY_GATEWAYS_FAST_EVENTS, startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/ws-client';
import {
  cancelCommand,
  commandGateway,
  commandReaches,
  connectWithSession,
  expectFrame,
  expectSilence,
  getCommand,
  postCommand,
} from './support/commands';

const PROBE = { type: 'network.probe', params: { host: '192.168.10.31', port: 554 } };
const COMMAND_KEYS = [
  'accepted_at',
  'actor',
  'attempt',
  'completed_at',
  'created_at',
  'error',
  'expires_at',
  'gateway_id',
  'id',
  'late_result',
  'params',
  'result',
  'sent_at',
  'status',
  'timeout_s',
  'type',
];

/** Remote commands (v1.3) on one instance: every transition, every error, the frames, roles and scoping. */
describe('gateway commands (v1.3)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(MANY_GATEWAYS_FAST_EVENTS);
  });
  afterAll(async () => {
    await t?.close();
  });

  const commandEvents = async (gatewayId: string) => (await walkEvents(t, { gateway_id: gatewayId })).events.filter((e) => e.type.startsWith('command.'));

  describe('the happy path', () => {
    it('queued → sent → accepted → succeeded, the receipt after the commit, and a command.succeeded event', async () => {
      const { gw, sock } = await commandGateway(t);
      const created = await postCommand(t, gw.id, PROBE).expect(201);
      expect(Object.keys(created.body).sort()).toEqual(COMMAND_KEYS);
      expect(created.body).toMatchObject({ gateway_id: gw.id, type: 'network.probe', params: PROBE.params, timeout_s: 60, attempt: 0, result: null, error: null });
      expect(created.body.actor.key_id).toEqual(expect.any(String));
      expect(Date.parse(created.body.expires_at) - Date.parse(created.body.created_at)).toBe(300_000);

      const frame = await expectFrame(sock, 'command');
      expect(frame).toEqual({ id: created.body.id, type: 'network.probe', params: PROBE.params, attempt: 1, deadline: expect.stringMatching(/Z$/) });
      const sent = await getCommand(t, created.body.id).expect(200);
      expect(sent.body).toMatchObject({ status: 'sent', attempt: 1, accepted_at: null });
      expect(Date.parse(frame.deadline) - Date.parse(sent.body.sent_at)).toBe(60_000);

      sock.send({ event: 'command_ack', data: { id: created.body.id, status: 'accepted' } });
      const accepted = await commandReaches(t, created.body.id, 'accepted');
      expect(accepted.accepted_at).toEqual(expect.any(String));

      sock.send({ event: 'command_result', data: { id: created.body.id, status: 'succeeded', result: { reachable: true, latency_ms: 2.5 } } });
      expect(await expectFrame(sock, 'command_result_received')).toEqual({ id: created.body.id });
      const done = await getCommand(t, created.body.id).expect(200);
      expect(done.body).toMatchObject({ status: 'succeeded', result: { reachable: true, latency_ms: 2.5 }, error: null });
      expect(done.body.completed_at).toEqual(expect.any(String));

      await eventually(async () => (await commandEvents(gw.id)).length === 1);
      const [event] = await commandEvents(gw.id);
      expect(event).toMatchObject({ type: 'command.succeeded', gateway_id: gw.id, site_id: t.siteId, data: { command_id: created.body.id, type: 'network.probe', status: 'succeeded' } });
      sock.ws.close();
    });

    it('GET with wait_s holds the answer until the command finishes', async () => {
      const { gw, sock } = await commandGateway(t);
      const { body } = await postCommand(t, gw.id, { type: 'gateway.restart_service' }).expect(201);
      await expectFrame(sock, 'command');
      const waiting = getCommand(t, body.id, t.adminKey, 20);
      await new Promise((r) => setTimeout(r, 300));
      sock.send({ event: 'command_result', data: { id: body.id, status: 'succeeded' } });
      const res = await waiting;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'succeeded', result: null });
      // A finished command is answered at once, whatever the wait.
      const started = Date.now();
      await getCommand(t, body.id, t.adminKey, 30).expect(200);
      expect(Date.now() - started).toBeLessThan(5000);
      sock.ws.close();
    });

    it('cameras.discover keeps the devices, with its default timeout filled in', async () => {
      const { gw, sock } = await commandGateway(t);
      const { body } = await postCommand(t, gw.id, { type: 'cameras.discover' }).expect(201);
      expect(body.params).toEqual({ timeout_s: 10 });
      const frame = await expectFrame(sock, 'command');
      const devices = [
        { address: '192.168.10.51', mac: '00:1a:2b:3c:4d:5e', manufacturer: 'Axis', model: 'P3245', onvif_xaddr: 'http://192.168.10.51/onvif/device_service', camera_id: null },
        { address: '192.168.10.52' },
      ];
      sock.send({ event: 'command_result', data: { id: frame.id, status: 'succeeded', result: { devices } } });
      await expectFrame(sock, 'command_result_received');
      const done = await getCommand(t, body.id).expect(200);
      expect(done.body.result.devices).toEqual([devices[0], { address: '192.168.10.52', mac: null, manufacturer: null, model: null, onvif_xaddr: null, camera_id: null }]);
      sock.ws.close();
    });
  });

  describe('the other end states', () => {
    it('rejected by the gateway, failed with its error, failed on a result that does not fit the type', async () => {
      const { gw, sock } = await commandGateway(t);
      const a = (await postCommand(t, gw.id, PROBE).expect(201)).body;
      await expectFrame(sock, 'command');
      const b = (await postCommand(t, gw.id, PROBE).expect(201)).body;
      await expectFrame(sock, 'command');
      const c = (await postCommand(t, gw.id, PROBE).expect(201)).body;
      await expectFrame(sock, 'command');

      sock.send({ event: 'command_ack', data: { id: a.id, status: 'rejected', reason: 'busy: firmware update running' } });
      sock.send({ event: 'command_result', data: { id: b.id, status: 'failed', error: { code: 'unreachable', message: 'no route to host' } } });
      sock.send({ event: 'command_result', data: { id: c.id, status: 'succeeded', result: { latency_ms: 3 } } });
      expect((await expectFrame(sock, 'command_result_received')).id).toBe(b.id);
      expect((await expectFrame(sock, 'command_result_received')).id).toBe(c.id);

      expect(await commandReaches(t, a.id, 'rejected')).toMatchObject({ error: { code: 'rejected', message: 'busy: firmware update running' }, completed_at: expect.any(String) });
      expect((await getCommand(t, b.id)).body).toMatchObject({ status: 'failed', result: null, error: { code: 'unreachable', message: 'no route to host' } });
      const invalid = (await getCommand(t, c.id)).body;
      expect(invalid).toMatchObject({ status: 'failed', result: null, error: { code: 'invalid_result' } });
      expect(invalid.error.message).toContain('result.reachable');

      await eventually(async () => (await commandEvents(gw.id)).length === 3);
      expect((await commandEvents(gw.id)).map((e) => [e.data.command_id, e.type])).toEqual([
        [a.id, 'command.rejected'],
        [b.id, 'command.failed'],
        [c.id, 'command.failed'],
      ]);
      sock.ws.close();
    });

    it('timed_out when no result comes within timeout_s of sent_at; a late result is kept beside it and receipted', async () => {
      const { gw, sock } = await commandGateway(t);
      const { body } = await postCommand(t, gw.id, { ...PROBE, timeout_s: 5 }).expect(201);
      await expectFrame(sock, 'command');
      sock.send({ event: 'command_ack', data: { id: body.id, status: 'accepted' } });
      const timedOut = await commandReaches(t, body.id, 'timed_out', 10_000);
      expect(timedOut.error).toEqual({ code: 'timed_out', message: expect.any(String) });
      expect(Date.parse(timedOut.completed_at) - Date.parse(timedOut.sent_at)).toBeGreaterThanOrEqual(5000);

      sock.send({ event: 'command_result', data: { id: body.id, status: 'succeeded', result: { reachable: false, latency_ms: null } } });
      await expectFrame(sock, 'command_result_received');
      const late = (await getCommand(t, body.id)).body;
      expect(late.status).toBe('timed_out');
      expect(late.result).toBeNull();
      expect(late.late_result).toEqual({ status: 'succeeded', result: { reachable: false, latency_ms: null }, error: null, received_at: expect.stringMatching(/Z$/) });
      await eventually(async () => (await commandEvents(gw.id)).length === 1);
      expect((await commandEvents(gw.id)).map((e) => e.type)).toEqual(['command.timed_out']);
      sock.ws.close();
    });

    it('expired when the gateway does not connect before expires_at', async () => {
      const { gw, sock } = await commandGateway(t);
      sock.ws.close();
      await sock.closed;
      const { body } = await postCommand(t, gw.id, { ...PROBE, expires_in_s: 1 }).expect(201);
      expect(body.status).toBe('queued');
      const expired = await commandReaches(t, body.id, 'expired', 5000);
      expect(expired).toMatchObject({ sent_at: null, attempt: 0, error: { code: 'expired' } });
      await eventually(async () => (await commandEvents(gw.id)).length === 1);
      expect((await commandEvents(gw.id))[0]).toMatchObject({ type: 'command.expired', data: { command_id: body.id, status: 'expired' } });
    });

    it('cancel: only while queued (200, then 409), recorded with the actor; a sent command cannot be canceled', async () => {
      const { gw, sock } = await commandGateway(t);
      sock.ws.close();
      await sock.closed;
      const operator = await createKey(t, 'operator');
      const { body } = await postCommand(t, gw.id, PROBE).expect(201);
      const canceled = await cancelCommand(t, body.id, operator.key).expect(200);
      expect(canceled.body).toMatchObject({ id: body.id, status: 'canceled', error: { code: 'canceled' } });
      expectErrorBody(await cancelCommand(t, body.id), 409, 'conflict');
      await eventually(async () => (await commandEvents(gw.id)).length === 1);
      expect((await commandEvents(gw.id))[0]).toMatchObject({ type: 'command.canceled', data: { command_id: body.id, actor: { key_id: operator.id } } });

      // Connected again: a new command is sent at once and can no longer be canceled.
      const again = await connectWithSession(t.baseUrl, gw, randomUUID());
      const sent = (await postCommand(t, gw.id, PROBE).expect(201)).body;
      // The canceled one is never sent; the new one is.
      expect((await expectFrame(again, 'command')).id).toBe(sent.id);
      await commandReaches(t, sent.id, 'sent');
      const res = await cancelCommand(t, sent.id).expect(409);
      expectErrorBody(res, 409, 'conflict');
      expect(res.body.message).toContain('sent');
      again.ws.close();
    });
  });

  describe('delivery across connections', () => {
    it('a command queued while the gateway is away is sent when it connects with a session', async () => {
      const { gw, sock } = await commandGateway(t);
      sock.ws.close();
      await sock.closed;
      const { body } = await postCommand(t, gw.id, PROBE).expect(201);
      // Without a session frame the connection is not sent commands.
      const bare = await connectWithSession(t.baseUrl, gw);
      await expectSilence(bare, 600);
      bare.send({ event: 'session', data: { boot_id: randomUUID(), capabilities: ['commands.v1'] } });
      expect(await expectFrame(bare, 'command')).toMatchObject({ id: body.id, attempt: 1 });
      bare.ws.close();
    });

    it('after a reconnect, a sent command is sent again with attempt + 1; a result sent twice takes effect once', async () => {
      const { gw, sock, bootId } = await commandGateway(t);
      const { body } = await postCommand(t, gw.id, PROBE).expect(201);
      await expectFrame(sock, 'command');
      sock.send({ event: 'command_ack', data: { id: body.id, status: 'accepted' } });
      await commandReaches(t, body.id, 'accepted');
      sock.ws.terminate();
      await sock.closed;

      const again = await connectWithSession(t.baseUrl, gw, bootId);
      expect(await expectFrame(again, 'command')).toMatchObject({ id: body.id, attempt: 2 });
      const result = { event: 'command_result', data: { id: body.id, status: 'succeeded', result: { reachable: true, latency_ms: 1 } } };
      again.send(result);
      await expectFrame(again, 'command_result_received');
      again.send({ ...result, data: { ...result.data, result: { reachable: false, latency_ms: null } } });
      await expectFrame(again, 'command_result_received');
      const done = (await getCommand(t, body.id)).body;
      expect(done).toMatchObject({ status: 'succeeded', attempt: 2, result: { reachable: true, latency_ms: 1 } });
      await new Promise((r) => setTimeout(r, 300));
      expect((await commandEvents(gw.id)).map((e) => e.type)).toEqual(['command.succeeded']);
      again.ws.close();
    });

    it('gateway.reboot: the offline is `rebooting`, and the command succeeds when the gateway comes back with a new boot id', async () => {
      const { gw, sock, bootId } = await commandGateway(t);
      const { body } = await postCommand(t, gw.id, { type: 'gateway.reboot', timeout_s: 120 }).expect(201);
      await expectFrame(sock, 'command');
      sock.send({ event: 'command_ack', data: { id: body.id, status: 'accepted' } });
      await commandReaches(t, body.id, 'accepted');
      // Online for a second of its own before it goes (availability counts whole seconds).
      await new Promise((r) => setTimeout(r, 1100));
      sock.ws.close(1000);
      await sock.closed;
      await eventually(async () => (await walkEvents(t, { gateway_id: gw.id, type: 'gateway.offline' })).events.length === 1);
      const [offline] = (await walkEvents(t, { gateway_id: gw.id, type: 'gateway.offline' })).events;
      expect(offline.data).toMatchObject({ reason: 'rebooting', command_id: body.id, previous_status: 'online' });

      // Away for a while, as a reboot takes.
      await new Promise((r) => setTimeout(r, 2100));
      const newBoot = randomUUID();
      const back = await connectWithSession(t.baseUrl, gw, newBoot);
      back.send({ event: 'heartbeat', data: {} });
      const done = await commandReaches(t, body.id, 'succeeded');
      expect(done.result).toEqual({ boot_id: newBoot, previous_boot_id: bootId });
      // Finished: it is not sent again.
      await expectSilence(back, 500);

      // The time away is planned, not downtime.
      await eventually(async () => (await t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey))).body.status === 'online');
      // Availability counts whole seconds up to now: let the second of the return pass.
      await new Promise((r) => setTimeout(r, 1100));
      const availability = (await t.http().get(`/api/v1/gateways/${gw.id}/availability`).set(bearer(t.adminKey)).expect(200)).body;
      const outages = availability.outages as { reason: string; ended_at: string | null; duration_seconds: number }[];
      expect(outages.filter((o) => o.reason === 'rebooting')).toEqual([expect.objectContaining({ ended_at: expect.any(String) })]);
      expect(availability.planned_seconds).toBeGreaterThanOrEqual(2);
      // Downtime is only what came before the first frame after pairing (if that crossed a second), never the reboot.
      const unplanned = outages.filter((o) => o.reason !== 'rebooting').reduce((sum, o) => sum + o.duration_seconds, 0);
      expect(availability.offline_seconds).toBe(unplanned);
      back.ws.close();
    });
  });

  it('a reboot that does not come back by its deadline times out, and its outage is downtime from the deadline on', async () => {
    const { gw, sock, bootId } = await commandGateway(t);
    const { body } = await postCommand(t, gw.id, { type: 'gateway.reboot', timeout_s: 5 }).expect(201);
    await expectFrame(sock, 'command');
    sock.send({ event: 'command_ack', data: { id: body.id, status: 'accepted' } });
    const accepted = await commandReaches(t, body.id, 'accepted');
    await new Promise((r) => setTimeout(r, 1100));
    sock.ws.close(1000);
    await sock.closed;
    await eventually(async () => (await walkEvents(t, { gateway_id: gw.id, type: 'gateway.offline' })).events.length === 1);
    const [offline] = (await walkEvents(t, { gateway_id: gw.id, type: 'gateway.offline' })).events;
    const deadline = Date.parse(accepted.sent_at) + 5000;
    expect(offline.data).toMatchObject({ reason: 'rebooting', command_id: body.id, planned_until: new Date(deadline).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    await commandReaches(t, body.id, 'timed_out', 10_000);
    await new Promise((r) => setTimeout(r, Math.max(0, deadline + 3000 - Date.now())));
    // It comes back, not rebooted (same boot id), after its deadline.
    const back = await connectWithSession(t.baseUrl, gw, bootId);
    back.send({ event: 'heartbeat', data: {} });
    await eventually(async () => (await t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey))).body.status === 'online');
    await new Promise((r) => setTimeout(r, 1100));
    const availability = (await t.http().get(`/api/v1/gateways/${gw.id}/availability`).set(bearer(t.adminKey)).expect(200)).body;
    const outages = availability.outages as { reason: string; duration_seconds: number }[];
    const beforeReboot = outages.filter((o) => o.reason !== 'rebooting').reduce((sum, o) => sum + o.duration_seconds, 0);
    expect(availability.planned_seconds).toBeGreaterThanOrEqual(2);
    expect(availability.planned_seconds).toBeLessThanOrEqual(5);
    expect(availability.offline_seconds - beforeReboot).toBeGreaterThanOrEqual(2);
    expect((await getCommand(t, body.id)).body.status).toBe('timed_out');
    back.ws.close();
  });

  describe('errors', () => {
    let ready: Awaited<ReturnType<typeof commandGateway>>;
    beforeAll(async () => {
      ready = await commandGateway(t);
    });
    afterAll(() => ready.sock.ws.close());

    it.each([
      ['an unknown type', { type: 'gateway.selfdestruct' }, 'type'],
      ['no type', { params: {} }, 'type'],
      ['params on a type that has none', { type: 'gateway.reboot', params: { force: true } }, 'params.force'],
      ['camera.reboot without camera_id', { type: 'camera.reboot', params: {} }, 'params.camera_id'],
      ['a probe host that is not a host', { type: 'network.probe', params: { host: 'a b', port: 80 } }, 'params.host'],
      ['a probe port of 0', { type: 'network.probe', params: { host: 'nvr.local', port: 0 } }, 'params.port'],
      ['a discover timeout of 61 s', { type: 'cameras.discover', params: { timeout_s: 61 } }, 'params.timeout_s'],
      ['params that are not an object', { type: 'network.probe', params: [1] }, 'params'],
      ['params over 8 KiB', { type: 'gateway.reboot', params: { pad: 'x'.repeat(9000) } }, 'params'],
      ['timeout_s 4', { ...PROBE, timeout_s: 4 }, 'timeout_s'],
      ['expires_in_s 86401', { ...PROBE, expires_in_s: 86401 }, 'expires_in_s'],
      ['an unknown field', { ...PROBE, priority: 1 }, 'priority'],
      ['a params member named __proto__', JSON.parse('{"type":"gateway.reboot","params":{"__proto__":{"force":true}}}'), 'params.__proto__'],
    ])('400 for %s', async (_what, body, field) => {
      const res = await postCommand(t, ready.gw.id, body).expect(400);
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('400 for a camera not bound to this gateway; a bound one is taken', async () => {
      const other = await pairGateway(t);
      const camera = await createCamera(t, t.siteId, other.id);
      const res = await postCommand(t, ready.gw.id, { type: 'camera.reboot', params: { camera_id: camera } }).expect(400);
      expect(res.body.details).toEqual([{ field: 'params.camera_id', message: 'must be a camera bound to this gateway' }]);
      const mine = await createCamera(t, t.siteId, ready.gw.id);
      await postCommand(t, ready.gw.id, { type: 'camera.reboot', params: { camera_id: mine } }).expect(201);
      await expectFrame(ready.sock, 'command');
    });

    it('409 for a gateway that never declared commands.v1, one disabled, and one offline with expires_in_s 0', async () => {
      const plain = await pairGateway(t);
      const res = await postCommand(t, plain.id, PROBE).expect(409);
      expectErrorBody(res, 409, 'conflict');
      expect(res.body.message).toContain('does not support commands');

      const { gw, sock } = await commandGateway(t);
      sock.ws.close();
      await sock.closed;
      await eventually(async () => (await t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey))).body.status === 'offline');
      const offline = await postCommand(t, gw.id, { ...PROBE, expires_in_s: 0 }).expect(409);
      expect(offline.body.message).toContain('offline');
      await t.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).send({ status: 'disabled' }).expect(200);
      expect((await postCommand(t, gw.id, PROBE).expect(409)).body.message).toContain('disabled');
    });

    it('expires_in_s 0 on an online gateway is sent at once', async () => {
      await eventually(async () => (await t.http().get(`/api/v1/gateways/${ready.gw.id}`).set(bearer(t.adminKey))).body.status === 'online');
      const { body } = await postCommand(t, ready.gw.id, { ...PROBE, expires_in_s: 0 }).expect(201);
      expect((await expectFrame(ready.sock, 'command')).id).toBe(body.id);
    });

    it('429 with Retry-After beyond 16 unfinished commands of a gateway, however many arrive at once', async () => {
      const { gw, sock } = await commandGateway(t);
      sock.ws.close();
      await sock.closed;
      const answers = await Promise.all(Array.from({ length: 24 }, () => postCommand(t, gw.id, PROBE)));
      expect(answers.filter((r) => r.status === 201)).toHaveLength(16);
      const refused = answers.filter((r) => r.status === 429);
      expect(refused).toHaveLength(8);
      for (const r of refused) {
        expectErrorBody(r, 429, 'rate_limited');
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(300);
      }
      // Canceling one makes room for one.
      await cancelCommand(t, answers.find((r) => r.status === 201)!.body.id).expect(200);
      await postCommand(t, gw.id, PROBE).expect(201);
      await postCommand(t, gw.id, PROBE).expect(429);
    });

    it('Idempotency-Key: the same request returns the same command (200), another request 409, twenty at once make one', async () => {
      const key = `probe-${randomUUID()}`;
      const first = await postCommand(t, ready.gw.id, PROBE, t.adminKey, key).expect(201);
      await expectFrame(ready.sock, 'command');
      const again = await postCommand(t, ready.gw.id, PROBE, t.adminKey, key).expect(200);
      expect(again.body.id).toBe(first.body.id);
      expect(again.body.status).not.toBe('queued');
      const other = await postCommand(t, ready.gw.id, { ...PROBE, params: { host: '192.168.10.32', port: 554 } }, t.adminKey, key).expect(409);
      expectErrorBody(other, 409, 'conflict');
      expect(other.body.message).toContain(first.body.id);

      const burstKey = `burst-${randomUUID()}`;
      const burst = await Promise.all(Array.from({ length: 20 }, () => postCommand(t, ready.gw.id, { type: 'gateway.restart_service' }, t.adminKey, burstKey)));
      expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
      expect(burst.filter((r) => r.status === 200)).toHaveLength(19);
      expect(new Set(burst.map((r) => r.body.id)).size).toBe(1);
      expect((await expectFrame(ready.sock, 'command')).id).toBe(burst[0].body.id);
      await expectSilence(ready.sock, 300);

      for (const bad of ['', 'x'.repeat(65), 'naïve', '   ']) {
        const res = await postCommand(t, ready.gw.id, PROBE, t.adminKey, bad);
        expect(res.status).toBe(400);
        expectErrorBody(res, 400, 'validation_error');
      }
    });

    it('400 for a POST without a body', async () => {
      const res = await t.http().post(`/api/v1/gateways/${ready.gw.id}/commands`).set(bearer(t.adminKey));
      expectErrorBody(res, 400, 'validation_error');
    });

    it('404 for an unknown gateway or command, 400 for a bad wait_s or id', async () => {
      expectErrorBody(await postCommand(t, randomUUID(), PROBE), 404, 'not_found');
      expectErrorBody(await getCommand(t, randomUUID()), 404, 'not_found');
      expectErrorBody(await cancelCommand(t, randomUUID()), 404, 'not_found');
      expectErrorBody(await t.http().get(`/api/v1/gateways/${randomUUID()}/commands`).set(bearer(t.adminKey)), 404, 'not_found');
      const { body } = await postCommand(t, ready.gw.id, PROBE).expect(201);
      await expectFrame(ready.sock, 'command');
      for (const w of ['31', '-1', '1.5', 'x']) expectErrorBody(await t.http().get(`/api/v1/commands/${body.id}?wait_s=${w}`).set(bearer(t.adminKey)), 400, 'validation_error');
      expectErrorBody(await t.http().get('/api/v1/commands/not-a-uuid').set(bearer(t.adminKey)), 400, 'validation_error');
    });
  });

  describe('the gateway frames', () => {
    it('answers a malformed ack or result with an error frame, and a report on a command not its own with "Unknown command", changing nothing', async () => {
      const a = await commandGateway(t);
      const b = await commandGateway(t);
      const { body } = await postCommand(t, a.gw.id, PROBE).expect(201);
      await expectFrame(a.sock, 'command');

      b.sock.send({ event: 'command_ack', data: { id: 'nope', status: 'accepted' } });
      expect((await expectFrame(b.sock, 'error')).details.map((d: { field: string }) => d.field)).toEqual(['id']);
      b.sock.send({ event: 'command_result', data: { id: body.id, status: 'failed' } });
      expect((await expectFrame(b.sock, 'error')).details.map((d: { field: string }) => d.field)).toEqual(['error']);
      b.sock.send({ event: 'command_result', data: { id: body.id, status: 'succeeded', result: { reachable: true, latency_ms: 1 } } });
      const unknown = await expectFrame(b.sock, 'error');
      expect(unknown).toMatchObject({ error: 'validation_error', message: `Unknown command ${body.id}` });
      b.sock.send({ event: 'command_ack', data: { id: body.id, status: 'rejected' } });
      await expectFrame(b.sock, 'error');
      expect((await getCommand(t, body.id)).body).toMatchObject({ status: 'sent', result: null });
      a.sock.ws.close();
      b.sock.ws.close();
    });
  });

  describe('a hostile gateway', () => {
    it('a result nested thousands deep is refused as a frame and does not hold up the next results', async () => {
      const { gw, sock } = await commandGateway(t);
      const a = (await postCommand(t, gw.id, { type: 'gateway.restart_service' }).expect(201)).body;
      await expectFrame(sock, 'command');
      const b = (await postCommand(t, gw.id, PROBE).expect(201)).body;
      await expectFrame(sock, 'command');
      const deep = `${'{"x":'.repeat(6000)}1${'}'.repeat(6000)}`;
      sock.send(`{"event":"command_result","data":{"id":"${a.id}","status":"succeeded","result":${deep}}}`);
      expect(await expectFrame(sock, 'error')).toMatchObject({ error: 'validation_error' });
      sock.send({ event: 'command_result', data: { id: b.id, status: 'succeeded', result: { reachable: true, latency_ms: 1 } } });
      expect(await expectFrame(sock, 'command_result_received')).toEqual({ id: b.id });
      expect((await getCommand(t, b.id)).body.status).toBe('succeeded');
      expect((await getCommand(t, a.id)).body.status).toBe('sent');
      sock.ws.close();
    });
  });

  describe('list, roles and scoping', () => {
    it('lists a gateway’s commands oldest first, by status, page by page', async () => {
      const { gw, sock } = await commandGateway(t);
      sock.ws.close();
      await sock.closed;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await postCommand(t, gw.id, PROBE).expect(201)).body.id);
      await cancelCommand(t, ids[1]).expect(200);
      const list = (q: string) => t.http().get(`/api/v1/gateways/${gw.id}/commands${q}`).set(bearer(t.adminKey)).expect(200);
      const first = await list('?limit=2');
      expect(first.body.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
      const rest = await list(`?after=${first.body.next_cursor}`);
      expect(rest.body.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(2));
      const end = await list(`?after=${rest.body.next_cursor}`);
      expect(end.body).toEqual({ data: [], next_cursor: rest.body.next_cursor });
      expect((await list('?status=canceled')).body.data.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
      expectErrorBody(await t.http().get(`/api/v1/gateways/${gw.id}/commands?status=done`).set(bearer(t.adminKey)), 400, 'validation_error');
    });

    it('viewers read, operators send and cancel; other orgs and sites see nothing (404)', async () => {
      const siteB = await createSite(t, 'Site B');
      const { gw, sock } = await commandGateway(t, siteB);
      sock.ws.close();
      await sock.closed;
      const viewer = await createKey(t, 'viewer');
      const operator = await createKey(t, 'operator');
      const scopedOperator = await createKey(t, 'operator', [siteB]);
      const otherSite = await createKey(t, 'admin', [t.siteId]);
      const otherOrg = await createOrg(t, 'Commands other org');

      expectErrorBody(await postCommand(t, gw.id, PROBE, viewer.key), 403, 'forbidden');
      const { body } = await postCommand(t, gw.id, PROBE, scopedOperator.key).expect(201);
      await getCommand(t, body.id, viewer.key).expect(200);
      await t.http().get(`/api/v1/gateways/${gw.id}/commands`).set(bearer(viewer.key)).expect(200);
      expectErrorBody(await cancelCommand(t, body.id, viewer.key), 403, 'forbidden');

      for (const key of [otherSite.key, otherOrg.api_key]) {
        expectErrorBody(await postCommand(t, gw.id, PROBE, key), 404, 'not_found');
        expectErrorBody(await getCommand(t, body.id, key), 404, 'not_found');
        expectErrorBody(await cancelCommand(t, body.id, key), 404, 'not_found');
        expectErrorBody(await t.http().get(`/api/v1/gateways/${gw.id}/commands`).set(bearer(key)), 404, 'not_found');
      }
      expect((await getCommand(t, body.id)).body.status).toBe('queued');
      await cancelCommand(t, body.id, operator.key).expect(200);
      expectErrorBody(await t.http().post(`/api/v1/gateways/${gw.id}/commands`).send(PROBE), 401, 'auth_required');
    });
  });
});
