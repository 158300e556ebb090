import { randomUUID } from 'node:crypto';
import { walkEvents } from './support/events';
import { bearer, createCamera, createKey, createSite } from './support/factories';
import { connectWithSession, expectFrame, storedCapabilities } from './support/commands';
import { sha256 } from './support/gateway-helpers';
import { pairGateway } from './support/gateways';
import { expectErrorBody, UUID_RE } from './support/http';
import { createOrg, MANY_GATEWAYS_FAST_EVENTS, startTestApp, TestApp } from './support/test-app';
import { closesWithin, connectGateway, eventually, GatewaySocket } from './support/ws-client';

const CREDENTIALS_V1 = ['credentials.v1'];
const KEY_FIELDS = ['created_at', 'expires_at', 'id', 'last_peer_address', 'last_used_at', 'state'];

type Gw = { id: string; apiKey: string };

/** The upgrade's HTTP status: 101 when it connected (the socket is closed again at once). */
async function upgradeStatus(baseUrl: string, gatewayId: string, key: string): Promise<number> {
  return connectGateway(baseUrl, gatewayId, key).then(
    (s) => {
      s.ws.close();
      return 101;
    },
    (e: { status?: number }) => e.status ?? 0,
  );
}

/** Gateway credentials (v1.3) on one instance: listing, rotation, grace, revocation, pairing again, cloned keys, roles and scoping. */
describe('gateway credentials (v1.3)', () => {
  let t: TestApp;
  const sockets: GatewaySocket[] = [];

  beforeAll(async () => {
    t = await startTestApp({ ...MANY_GATEWAYS_FAST_EVENTS, RESYNC_INTERVAL_S: '1' });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.ws.terminate();
  });
  afterAll(async () => {
    await t?.close();
  });

  const credentials = (gatewayId: string, key = t.adminKey) => t.http().get(`/api/v1/gateways/${gatewayId}/credentials`).set(bearer(key));
  const rotate = (gatewayId: string, body?: object, key = t.adminKey) => {
    const req = t.http().post(`/api/v1/gateways/${gatewayId}/rotate-key`).set(bearer(key));
    return body === undefined ? req : req.send(body);
  };
  const revoke = (gatewayId: string, key = t.adminKey) => t.http().post(`/api/v1/gateways/${gatewayId}/revoke-keys`).set(bearer(key));
  const pairingCode = (gatewayId: string, key = t.adminKey) => t.http().post(`/api/v1/gateways/${gatewayId}/pairing-code`).set(bearer(key));
  const eventsOf = async (gatewayId: string, type: string) => (await walkEvents(t, { gateway_id: gatewayId })).events.filter((e) => e.type === type);

  /** A socket with a session declaring credentials.v1, whose capabilities are stored (so rotate-key is allowed). */
  async function attach(gw: Gw, bootId = randomUUID(), key = gw.apiKey): Promise<GatewaySocket> {
    const sock = await connectWithSession(t.baseUrl, { id: gw.id, apiKey: key }, bootId, CREDENTIALS_V1);
    sockets.push(sock);
    await eventually(async () => (await storedCapabilities(t, gw.id))?.includes('credentials.v1'), 8000, 50);
    return sock;
  }

  /** A paired gateway that has declared credentials.v1 once (its socket closed again). */
  async function rotatableGateway(siteId = t.siteId): Promise<Gw> {
    const gw = await pairGateway(t, siteId);
    const sock = await attach(gw);
    sock.ws.close();
    await sock.closed;
    return gw;
  }

  describe('listing', () => {
    it('a paired gateway has one active key: never the key, with its last use and client address', async () => {
      const gw = await pairGateway(t);
      const before = (await credentials(gw.id).expect(200)).body;
      expect(before).toHaveLength(1);
      expect(Object.keys(before[0]).sort()).toEqual(KEY_FIELDS);
      expect(before[0]).toMatchObject({ id: expect.stringMatching(UUID_RE), state: 'active', last_used_at: null, last_peer_address: null, expires_at: null });
      expect(JSON.stringify(before)).not.toContain(gw.apiKey);
      expect(JSON.stringify(before)).not.toContain(sha256(gw.apiKey));

      const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
      sockets.push(sock);
      const after = (await credentials(gw.id).expect(200)).body;
      expect(after).toEqual([{ ...before[0], last_used_at: expect.stringMatching(/Z$/), last_peer_address: '127.0.0.1' }]);
    });

    it('a registered gateway has no key yet', async () => {
      const res = await t.http().post('/api/v1/gateways/generate-pairing-code').set(bearer(t.adminKey)).send({ name: 'Unpaired', site_id: t.siteId }).expect(201);
      expect((await credentials(res.body.id).expect(200)).body).toEqual([]);
    });
  });

  describe('rotation', () => {
    it('while connected: rotate_key at once, ack, the new key connects and replaces the old socket; old key retiring, then events', async () => {
      const gw = await pairGateway(t);
      const old = await attach(gw);
      const [oldKey] = (await credentials(gw.id)).body;

      const res = await rotate(gw.id, { grace_s: 3600 }).expect(202);
      expect(res.body).toEqual({ rotation_id: expect.stringMatching(UUID_RE), status: 'pending' });
      const frame = await expectFrame(old, 'rotate_key');
      expect(frame).toEqual({ rotation_id: res.body.rotation_id, api_key: expect.stringMatching(/^gw_[A-Za-z0-9_-]{43}$/) });
      old.send({ event: 'rotate_key_ack', data: { rotation_id: res.body.rotation_id } });
      await eventually(async () => (await t.dataSource.query('SELECT status FROM gateway_key_rotations WHERE id = $1', [res.body.rotation_id]))[0]?.status === 'acknowledged');
      // Before the gateway used it, the new key is not the gateway's: the list is unchanged.
      expect((await credentials(gw.id)).body).toEqual([{ ...oldKey, last_used_at: expect.any(String), last_peer_address: '127.0.0.1' }]);

      const fresh = await attach(gw, randomUUID(), frame.api_key);
      expect((await closesWithin(old.closed, 3000)).code).toBe(4409);
      const keys = (await credentials(gw.id).expect(200)).body;
      expect(keys.map((k: { state: string }) => k.state)).toEqual(['retiring', 'active']);
      expect(keys[0].id).toBe(oldKey.id);
      expect(Date.parse(keys[0].expires_at) - Date.now()).toBeGreaterThan(3500_000);
      expect(keys[1]).toMatchObject({ expires_at: null, last_peer_address: '127.0.0.1' });

      await eventually(async () => (await eventsOf(gw.id, 'gateway.key_rotated')).length === 1);
      const [rotated] = await eventsOf(gw.id, 'gateway.key_rotated');
      expect(rotated.data).toEqual({
        rotation_id: res.body.rotation_id,
        key_id: keys[1].id,
        previous_key_id: oldKey.id,
        retiring_until: keys[0].expires_at,
        actor: { key_id: expect.any(String), key_name: 'admin' },
      });
      // A second rotation may start now; the new socket is fine.
      expect(fresh.ws.readyState).toBe(fresh.ws.OPEN);
      expect((await eventsOf(gw.id, 'gateway.offline')).length).toBe(0);
    });

    it('while offline: the key is sent on the next connection, after its session', async () => {
      const gw = await rotatableGateway();
      const res = await rotate(gw.id).expect(202);
      const sock = await connectWithSession(t.baseUrl, gw, randomUUID(), CREDENTIALS_V1);
      sockets.push(sock);
      const frame = await expectFrame(sock, 'rotate_key');
      expect(frame.rotation_id).toBe(res.body.rotation_id);
      expect(await upgradeStatus(t.baseUrl, gw.id, frame.api_key)).toBe(101);
      await eventually(async () => (await eventsOf(gw.id, 'gateway.key_rotated')).length === 1);
      // The default grace is a day.
      const [retiring] = (await credentials(gw.id)).body;
      expect(retiring.state).toBe('retiring');
      expect(Math.round((Date.parse(retiring.expires_at) - Date.now()) / 3600_000)).toBe(24);
    });

    it('the gateway restarting before its ack gets a new key on its next connection; the key sent before never works', async () => {
      const gw = await rotatableGateway();
      const res = await rotate(gw.id).expect(202);
      const first = await attach(gw);
      const lost = await expectFrame(first, 'rotate_key');
      first.ws.terminate(); // restarted before storing it
      const second = await attach(gw, randomUUID());
      const again = await expectFrame(second, 'rotate_key');
      expect(again.rotation_id).toBe(res.body.rotation_id);
      expect(again.api_key).not.toBe(lost.api_key);
      expect(await upgradeStatus(t.baseUrl, gw.id, lost.api_key)).toBe(401);
      expect(await upgradeStatus(t.baseUrl, gw.id, again.api_key)).toBe(101);
      expect((await credentials(gw.id)).body.map((k: { state: string }) => k.state)).toEqual(['retiring', 'active']);
    });

    it('the gateway restarting after storing the key, before its ack, connects with it and completes the rotation', async () => {
      const gw = await rotatableGateway();
      await rotate(gw.id).expect(202);
      const sock = await attach(gw);
      const frame = await expectFrame(sock, 'rotate_key');
      sock.ws.terminate();
      const fresh = await attach(gw, randomUUID(), frame.api_key);
      await eventually(async () => (await eventsOf(gw.id, 'gateway.key_rotated')).length === 1);
      // Connected with the new key: nothing more to send.
      await expect(fresh.next(600)).rejects.toThrow('no frame');
    });

    it('a connection with the retiring key is a gateway.retired_key_used event; after the grace it is refused, and its socket closed 4401', async () => {
      const gw = await pairGateway(t);
      const old = await attach(gw);
      await rotate(gw.id, { grace_s: 3 }).expect(202);
      const frame = await expectFrame(old, 'rotate_key');
      await attach(gw, randomUUID(), frame.api_key);
      await closesWithin(old.closed, 3000);

      const back = await connectGateway(t.baseUrl, gw.id, gw.apiKey); // the old box, within the grace
      sockets.push(back);
      await eventually(async () => (await eventsOf(gw.id, 'gateway.retired_key_used')).length === 1);
      const [used] = await eventsOf(gw.id, 'gateway.retired_key_used');
      const [retiring] = (await credentials(gw.id)).body;
      expect(used.data).toEqual({ key_id: retiring.id, peer_address: '127.0.0.1', retiring_until: retiring.expires_at });

      // The grace ends: the socket made with it closes (resync), the key is refused and listed revoked.
      expect((await closesWithin(back.closed, 8000)).code).toBe(4401);
      expect(await upgradeStatus(t.baseUrl, gw.id, gw.apiKey)).toBe(401);
      expect((await credentials(gw.id)).body.map((k: { state: string; expires_at: string | null }) => [k.state, k.expires_at])).toEqual([
        ['revoked', null],
        ['active', null],
      ]);
    });

    it('grace_s 0 revokes the key before at the first connection with the new one', async () => {
      const gw = await rotatableGateway();
      await rotate(gw.id, { grace_s: 0 }).expect(202);
      const sock = await attach(gw);
      const frame = await expectFrame(sock, 'rotate_key');
      expect(await upgradeStatus(t.baseUrl, gw.id, frame.api_key)).toBe(101);
      expect(await upgradeStatus(t.baseUrl, gw.id, gw.apiKey)).toBe(401);
      await eventually(async () => (await eventsOf(gw.id, 'gateway.key_rotated')).length === 1);
      expect((await eventsOf(gw.id, 'gateway.key_rotated'))[0].data.retiring_until).toBeNull();
    });

    it('a second rotation revokes the key retiring from the first: at most two usable keys', async () => {
      const gw = await rotatableGateway();
      let key = gw.apiKey;
      for (let i = 0; i < 2; i++) {
        await rotate(gw.id).expect(202);
        const sock = await attach(gw, randomUUID(), key);
        key = (await expectFrame(sock, 'rotate_key')).api_key;
        expect(await upgradeStatus(t.baseUrl, gw.id, key)).toBe(101);
        sock.ws.terminate();
      }
      expect((await credentials(gw.id)).body.map((k: { state: string }) => k.state)).toEqual(['revoked', 'retiring', 'active']);
      expect(await upgradeStatus(t.baseUrl, gw.id, gw.apiKey)).toBe(401);
    });

    it('refusals: one pending (409, twenty at once make one), no credentials.v1, not paired, disabled, bad grace', async () => {
      const gw = await rotatableGateway();
      const all = await Promise.all(Array.from({ length: 20 }, () => rotate(gw.id, { grace_s: 60 })));
      expect(all.map((r) => r.status).sort()).toEqual([202, ...Array(19).fill(409)]);
      expectErrorBody(all.find((r) => r.status === 409)!, 409, 'conflict');
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM gateway_key_rotations WHERE gateway_id = $1', [gw.id]);
      expect(n).toBe(1);

      const plain = await pairGateway(t);
      const res = await rotate(plain.id);
      expectErrorBody(res, 409, 'conflict');
      expect(res.body.message).toContain('credentials.v1');

      const registered = await t.http().post('/api/v1/gateways/generate-pairing-code').set(bearer(t.adminKey)).send({ name: 'Unpaired', site_id: t.siteId }).expect(201);
      expectErrorBody(await rotate(registered.body.id), 409, 'conflict');

      const disabled = await rotatableGateway();
      await t.http().patch(`/api/v1/gateways/${disabled.id}`).set(bearer(t.adminKey)).send({ status: 'disabled' }).expect(200);
      expectErrorBody(await rotate(disabled.id), 409, 'conflict');

      const other = await rotatableGateway();
      for (const body of [{ grace_s: -1 }, { grace_s: 604801 }, { grace_s: 1.5 }, { grace_s: '60' }, { grace: 60 }]) {
        expectErrorBody(await rotate(other.id, body), 400, 'validation_error');
      }
      expect((await t.dataSource.query('SELECT 1 FROM gateway_key_rotations WHERE gateway_id = $1', [other.id])).length).toBe(0);
      expectErrorBody(await t.http().post(`/api/v1/gateways/${other.id}/rotate-key`).set(bearer(t.adminKey)).set('Content-Type', 'application/json').send('{"grace_s":'), 400, 'validation_error');
    });

    it('a rotate_key_ack that is malformed is an error frame; one for another rotation changes nothing', async () => {
      const gw = await rotatableGateway();
      const res = await rotate(gw.id).expect(202);
      const sock = await attach(gw);
      await expectFrame(sock, 'rotate_key');
      sock.send({ event: 'rotate_key_ack', data: { rotation_id: 'nope', extra: 1 } });
      const error = await expectFrame(sock, 'error');
      expect(error.details).toEqual(expect.arrayContaining([{ field: 'rotation_id', message: 'must be a uuid' }, { field: 'extra', message: 'unknown field' }]));
      sock.send({ event: 'rotate_key_ack', data: { rotation_id: randomUUID() } });
      sock.send({ event: 'heartbeat', data: {} });
      await new Promise((r) => setTimeout(r, 300));
      const [row] = await t.dataSource.query('SELECT status FROM gateway_key_rotations WHERE id = $1', [res.body.rotation_id]);
      expect(row.status).toBe('sent');
    });
  });

  describe('revocation', () => {
    it('every key revoked at once: the socket closes 4401, every key is refused 401, the rotation is canceled, history stays', async () => {
      const gw = await pairGateway(t);
      const camera = await createCamera(t, t.siteId, gw.id);
      const sock = await attach(gw);
      await rotate(gw.id).expect(202);
      const pending = await expectFrame(sock, 'rotate_key');

      const res = await revoke(gw.id).expect(200);
      // The rotation's key, never used, was never the gateway's: it is not listed.
      expect(res.body).toHaveLength(1);
      expect(res.body[0]).toMatchObject({ state: 'revoked', expires_at: null });
      expect((await closesWithin(sock.closed, 3000)).code).toBe(4401);
      expect(await upgradeStatus(t.baseUrl, gw.id, gw.apiKey)).toBe(401);
      expect(await upgradeStatus(t.baseUrl, gw.id, pending.api_key)).toBe(401);
      const [rotation] = await t.dataSource.query('SELECT status FROM gateway_key_rotations WHERE gateway_id = $1', [gw.id]);
      expect(rotation.status).toBe('canceled');
      // The gateway, its camera and its history are still there.
      expect((await t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).expect(200)).body.id).toBe(gw.id);
      expect((await t.http().get(`/api/v1/cameras/${camera}`).set(bearer(t.adminKey)).expect(200)).body.gateway_id).toBe(gw.id);
      expect((await eventsOf(gw.id, 'gateway.paired')).length).toBe(1);
      // Revoking again revokes nothing more.
      expect((await revoke(gw.id).expect(200)).body).toEqual(res.body);
    });
  });

  describe('pairing again', () => {
    it('keeps the id, cameras, configuration and history; the new key works and the one before is refused (its socket closed 4401)', async () => {
      const gw = await pairGateway(t);
      const camera = await createCamera(t, t.siteId, gw.id);
      const sock = await connectWithSession(t.baseUrl, gw, randomUUID(), [...CREDENTIALS_V1, 'config.v1']);
      sockets.push(sock);
      await eventually(async () => (await storedCapabilities(t, gw.id))?.includes('config.v1'), 8000, 50);
      await t.http().put(`/api/v1/gateways/${gw.id}/config`).set(bearer(t.adminKey)).send({ log_level: 'debug' }).expect(200);
      await expectFrame(sock, 'config');

      const code = await pairingCode(gw.id, (await createKey(t, 'operator')).key).expect(201);
      expect(code.body).toEqual({ id: gw.id, pairing_code: expect.stringMatching(/^[A-Z2-9]{6}$/), expires_at: expect.stringMatching(/Z$/), status: 'online' });
      const paired = await t.http().post('/api/v1/gateways/pair').send({ pairing_code: code.body.pairing_code, name: 'Replacement box' }).expect(200);
      expect(paired.body.gateway_id).toBe(gw.id);
      expect(paired.body.api_key).not.toBe(gw.apiKey);

      expect((await closesWithin(sock.closed, 3000)).code).toBe(4401);
      expect(await upgradeStatus(t.baseUrl, gw.id, gw.apiKey)).toBe(401);
      const fresh = await connectGateway(t.baseUrl, gw.id, paired.body.api_key);
      sockets.push(fresh);
      expect((await t.http().get(`/api/v1/cameras/${camera}`).set(bearer(t.adminKey)).expect(200)).body.gateway_id).toBe(gw.id);
      expect((await t.http().get(`/api/v1/gateways/${gw.id}/config`).set(bearer(t.adminKey)).expect(200)).body.desired).toEqual({ log_level: 'debug' });
      const gateway = (await t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).expect(200)).body;
      expect(gateway.name).toBe('Gateway'); // the operator's name is kept
      expect((await eventsOf(gw.id, 'gateway.paired')).length).toBe(1);
      expect((await credentials(gw.id)).body.map((k: { state: string }) => k.state)).toEqual(['revoked', 'active']);
      // The code is spent.
      expectErrorBody(await t.http().post('/api/v1/gateways/pair').send({ pairing_code: code.body.pairing_code }), 409, 'conflict');
    });

    it('after revocation, a revoked gateway is paired again the same way', async () => {
      const gw = await pairGateway(t);
      await revoke(gw.id).expect(200);
      const code = await pairingCode(gw.id).expect(201);
      expect(code.body.status).toBe('offline');
      const paired = await t.http().post('/api/v1/gateways/pair').send({ pairing_code: code.body.pairing_code }).expect(200);
      expect(await upgradeStatus(t.baseUrl, gw.id, paired.body.api_key)).toBe(101);
    });

    it('not for a disabled gateway (409); the codes count toward the org limit (429)', async () => {
      const gw = await pairGateway(t);
      await t.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).send({ status: 'disabled' }).expect(200);
      expectErrorBody(await pairingCode(gw.id), 409, 'conflict');

      const limited = await startTestApp({ PAIRING_MAX_ACTIVE_CODES: '2' });
      try {
        const paired = await pairGateway(limited);
        const first = await limited.http().post(`/api/v1/gateways/${paired.id}/pairing-code`).set(bearer(limited.adminKey)).expect(201);
        // Asked again, the gateway's code is replaced, not added: the first is unknown now.
        const second = await limited.http().post(`/api/v1/gateways/${paired.id}/pairing-code`).set(bearer(limited.adminKey)).expect(201);
        expectErrorBody(await limited.http().post('/api/v1/gateways/pair').send({ pairing_code: first.body.pairing_code }), 404, 'not_found');
        await limited.http().post('/api/v1/gateways/generate-pairing-code').set(bearer(limited.adminKey)).send({ name: 'B', site_id: limited.siteId }).expect(201);
        const over = await limited.http().post('/api/v1/gateways/generate-pairing-code').set(bearer(limited.adminKey)).send({ name: 'C', site_id: limited.siteId });
        expectErrorBody(over, 429, 'rate_limited');
        const other = await pairGateway(limited).catch((e: Error) => e.message);
        expect(other).toContain('429');
        expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect((await limited.http().post('/api/v1/gateways/pair').send({ pairing_code: second.body.pairing_code }).expect(200)).body.gateway_id).toBe(paired.id);
      } finally {
        await limited.close();
      }
    });
  });

  describe('cloned keys', () => {
    /** Box `bootId` connects with `key` while the other box's socket is open: that one is replaced (4409). */
    async function takeOver(gw: Gw, bootId: string, previous?: GatewaySocket): Promise<GatewaySocket> {
      const sock = await connectWithSession(t.baseUrl, gw, bootId, CREDENTIALS_V1);
      sockets.push(sock);
      if (previous) expect((await closesWithin(previous.closed, 3000)).code).toBe(4409);
      // Its session reaches this instance before the next box connects.
      await new Promise((r) => setTimeout(r, 150));
      return sock;
    }

    it('two boxes with one key replacing each other: one gateway.credential_conflict in 10 minutes, naming both', async () => {
      const gw = await pairGateway(t);
      const boxes = [randomUUID(), randomUUID()];
      let sock: GatewaySocket | undefined;
      for (let i = 0; i < 12; i++) sock = await takeOver(gw, boxes[i % 2], sock);
      await eventually(async () => (await eventsOf(gw.id, 'gateway.credential_conflict')).length >= 1, 8000);
      await new Promise((r) => setTimeout(r, 1500));
      const conflicts = await eventsOf(gw.id, 'gateway.credential_conflict');
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0].data.replacements).toBeGreaterThanOrEqual(3);
      expect(conflicts[0].data.peers).toEqual(
        expect.arrayContaining([
          { peer_address: '127.0.0.1', boot_id: boxes[0] },
          { peer_address: '127.0.0.1', boot_id: boxes[1] },
        ]),
      );
    });

    it('one box reconnecting 20 times, each new connection replacing the one before: no conflict', async () => {
      const gw = await pairGateway(t);
      const boot = randomUUID();
      let sock: GatewaySocket | undefined;
      for (let i = 0; i < 20; i++) sock = await takeOver(gw, boot, sock);
      await eventually(async () => (await t.dataSource.query('SELECT count(*)::int AS n FROM gateway_replacements WHERE gateway_id = $1', [gw.id]))[0].n === 19, 8000);
      await new Promise((r) => setTimeout(r, 500));
      expect(await eventsOf(gw.id, 'gateway.credential_conflict')).toEqual([]);
    });
  });

  describe('who may call', () => {
    let gw: Gw;
    let siteB: string;
    beforeAll(async () => {
      gw = await pairGateway(t);
      siteB = await createSite(t, 'Credentials site B');
    });

    const ROUTES = [
      { name: 'GET credentials', call: (id: string, key: string) => credentials(id, key), minRole: 'admin' },
      { name: 'POST rotate-key', call: (id: string, key: string) => rotate(id, { grace_s: 60 }, key), minRole: 'admin' },
      { name: 'POST revoke-keys', call: (id: string, key: string) => revoke(id, key), minRole: 'admin' },
      { name: 'POST pairing-code', call: (id: string, key: string) => pairingCode(id, key), minRole: 'operator' },
    ] as const;

    it.each(ROUTES)('$name: no key or a bad key 401, a gateway key 401, a role below $minRole 403 — and nothing changes', async ({ call, minRole }) => {
      expectErrorBody(await call(gw.id, ''), 401, 'auth_required');
      expectErrorBody(await call(gw.id, 'sk_live_not-a-real-key-at-all-0000'), 401, 'auth_required');
      expectErrorBody(await call(gw.id, gw.apiKey), 401, 'auth_required');
      const below = minRole === 'admin' ? ['viewer', 'operator'] : ['viewer'];
      for (const role of below) expectErrorBody(await call(gw.id, (await createKey(t, role as 'viewer' | 'operator')).key), 403, 'forbidden');
      expect((await credentials(gw.id)).body.map((k: { state: string }) => k.state)).toEqual(['active']);
      expect(await upgradeStatus(t.baseUrl, gw.id, gw.apiKey)).toBe(101);
    });

    it.each(ROUTES)('$name: a gateway of another org, or of a site beyond the key, is 404 and is left alone', async ({ call }) => {
      const other = await createOrg(t, `Other ${randomUUID()}`);
      const scoped = (await createKey(t, 'admin', [siteB])).key;
      expectErrorBody(await call(gw.id, other.api_key), 404, 'not_found');
      expectErrorBody(await call(gw.id, scoped), 404, 'not_found');
      expectErrorBody(await call(randomUUID(), t.adminKey), 404, 'not_found');
      expectErrorBody(await call('not-a-uuid', t.adminKey), 400, 'validation_error');
      expect((await credentials(gw.id)).body.map((k: { state: string }) => k.state)).toEqual(['active']);
      expect(await upgradeStatus(t.baseUrl, gw.id, gw.apiKey)).toBe(101);
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM pairing_codes WHERE gateway_id = $1 AND redeemed_at IS NULL', [gw.id]);
      expect(n).toBe(0);
    });

    it('a site-scoped admin manages the keys of a gateway of its site', async () => {
      const inB = await pairGateway(t, siteB);
      const scoped = (await createKey(t, 'admin', [siteB])).key;
      expect((await credentials(inB.id, scoped).expect(200)).body).toHaveLength(1);
      expect((await revoke(inB.id, scoped).expect(200)).body[0].state).toBe('revoked');
      expect(await upgradeStatus(t.baseUrl, inB.id, inB.apiKey)).toBe(401);
    });
  });
});
