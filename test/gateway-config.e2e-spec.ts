import { randomUUID } from 'node:crypto';
import { expectFrame, expectSilence, storedCapabilities } from './support/commands';
import { walkEvents } from './support/events';
import { bearer, createCamera, createKey, createSite } from './support/factories';
import { pairGateway } from './support/gateways';
import { expectErrorBody } from './support/http';
import { createOrg, MANY_GATEWAYS_FAST_EVENTS, startTestApp, TestApp } from './support/test-app';
import { connectGateway, eventually, GatewaySocket } from './support/ws-client';

type Gw = { id: string; apiKey: string };

/** Gateway configuration (v1.3): versions, ETag and If-Match, the schema, the push and the reports. */
describe('gateway configuration (v1.3)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(MANY_GATEWAYS_FAST_EVENTS);
  });
  afterAll(async () => {
    await t?.close();
  });

  const path = (id: string) => `/api/v1/gateways/${id}/config`;
  const get = (id: string, key = t.adminKey) => t.http().get(path(id)).set(bearer(key));
  const put = (id: string, body: unknown, ifMatch?: string, key = t.adminKey) => {
    const req = t.http().put(path(id)).set(bearer(key));
    if (ifMatch !== undefined) req.set('If-Match', ifMatch);
    return req.send(body as object);
  };
  const patch = (id: string, body: unknown, ifMatch?: string, key = t.adminKey) => {
    const req = t.http().patch(path(id)).set(bearer(key)).set('Content-Type', 'application/merge-patch+json');
    if (ifMatch !== undefined) req.set('If-Match', ifMatch);
    return req.send(JSON.stringify(body));
  };
  const configEvents = async (id: string) => (await walkEvents(t, { gateway_id: id })).events.filter((e) => e.type.startsWith('gateway.config_'));

  async function connect(gw: Gw, configVersion?: number): Promise<GatewaySocket> {
    const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await expectFrame(sock, 'hello');
    sock.send({ event: 'session', data: { boot_id: randomUUID(), capabilities: ['config.v1'], ...(configVersion !== undefined ? { config_version: configVersion } : {}) } });
    return sock;
  }
  /** A paired gateway whose session declaring config.v1 is stored, still connected. */
  async function configGateway(siteId = t.siteId): Promise<{ gw: Gw; sock: GatewaySocket }> {
    const gw = await pairGateway(t, siteId);
    const sock = await connect(gw, 0);
    await eventually(async () => (await storedCapabilities(t, gw.id))?.includes('config.v1'), 8000);
    return { gw, sock };
  }

  it('starts empty at version 0, unknown; a PUT is version 1, pushed at once; the report makes it in_sync; each step an event', async () => {
    const { gw, sock } = await configGateway();
    const empty = await get(gw.id).expect(200);
    expect(empty.headers.etag).toBe('"0"');
    expect(empty.body).toEqual({ desired: {}, desired_version: 0, reported: {}, applied_version: null, reported_at: null, sync: 'unknown', errors: [] });

    const desired = { heartbeat_interval_s: 10, log_level: 'info', timezone: 'Europe/Berlin', ntp_servers: ['pool.ntp.org'] };
    const written = await put(gw.id, desired, '"0"').expect(200);
    expect(written.headers.etag).toBe('"1"');
    expect(written.body).toMatchObject({ desired, desired_version: 1, sync: 'unknown' });
    expect(await expectFrame(sock, 'config')).toEqual({ version: 1, desired });

    sock.send({ event: 'config_report', data: { version: 1, status: 'applied', reported: desired } });
    const synced = await eventually(async () => {
      const r = await get(gw.id);
      return r.body.sync === 'in_sync' ? r.body : undefined;
    });
    expect(synced).toMatchObject({ desired_version: 1, applied_version: 1, reported: desired, errors: [] });
    expect(synced.reported_at).toEqual(expect.stringMatching(/Z$/));

    await eventually(async () => (await configEvents(gw.id)).length === 2);
    const [changed, applied] = await configEvents(gw.id);
    expect(changed).toMatchObject({ type: 'gateway.config_changed', data: { version: 1, changed_paths: ['heartbeat_interval_s', 'log_level', 'ntp_servers', 'timezone'], actor: { key_id: expect.any(String) } } });
    expect(applied).toMatchObject({ type: 'gateway.config_applied', data: { version: 1 } });

    // The same document again changes nothing: no version, no event, no push.
    expect((await put(gw.id, desired).expect(200)).headers.etag).toBe('"1"');
    await expectSilence(sock, 300);
    expect(await configEvents(gw.id)).toHaveLength(2);
    sock.ws.close();
  });

  it('PATCH merges (RFC 7396: null deletes); a stale If-Match is 412; of two writers with one ETag exactly one wins', async () => {
    const { gw, sock } = await configGateway();
    const camera = await createCamera(t, t.siteId, gw.id);
    await put(gw.id, { log_level: 'debug', retention_days: 30, cameras: { [camera]: { recording: 'continuous', fps: 25 } } }).expect(200);
    await expectFrame(sock, 'config');
    const merged = await patch(gw.id, { log_level: null, cameras: { [camera]: { fps: 10 } } }, '"1"').expect(200);
    expect(merged.body.desired).toEqual({ retention_days: 30, cameras: { [camera]: { recording: 'continuous', fps: 10 } } });
    expect(merged.headers.etag).toBe('"2"');
    expect((await expectFrame(sock, 'config')).version).toBe(2);

    const stale = await patch(gw.id, { retention_days: 7 }, '"1"');
    expectErrorBody(stale, 412, 'precondition_failed');
    expect(stale.body.message).toContain('version 2');
    expectErrorBody(await put(gw.id, {}, 'seven'), 400, 'validation_error');
    // Weak tags, lists and * name versions too.
    await patch(gw.id, { retention_days: 14 }, 'W/"2"').expect(200);
    await patch(gw.id, { retention_days: 15 }, '"1", "3"').expect(200);
    await patch(gw.id, { retention_days: 16 }, '*').expect(200);

    const [a, b] = await Promise.all([put(gw.id, { retention_days: 1 }, '"5"'), put(gw.id, { retention_days: 2 }, '"5"')]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? 1 : 2;
    expect((await get(gw.id)).body).toMatchObject({ desired: { retention_days: winner }, desired_version: 6 });
    sock.ws.close();
  });

  it('refuses what is not the schema (400 with details), a camera not bound to the gateway, more than 32 KiB (413), and a gateway without config.v1 (409)', async () => {
    const { gw, sock } = await configGateway();
    const other = await pairGateway(t);
    const elsewhere = await createCamera(t, t.siteId, other.id);
    const cases: [unknown, string][] = [
      [{ color: 'blue' }, 'color'],
      [{ log_level: 'loud' }, 'log_level'],
      [{ heartbeat_interval_s: 1 }, 'heartbeat_interval_s'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ ntp_servers: ['a b'] }, 'ntp_servers.0'],
      [{ cameras: { 'not-a-uuid': { recording: 'off' } } }, 'cameras.not-a-uuid'],
      [{ cameras: { [elsewhere]: { recording: 'off' } } }, `cameras.${elsewhere}`],
      [{ cameras: { [randomUUID()]: { fps: 10 } } }, 'recording'],
    ];
    for (const [body, field] of cases) {
      const res = await put(gw.id, body);
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details.map((d: { field: string }) => d.field).join(' ')).toContain(field);
    }
    // No body at all is not a document.
    for (const res of [await t.http().put(path(gw.id)).set(bearer(t.adminKey)), await t.http().patch(path(gw.id)).set(bearer(t.adminKey))]) {
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    }
    // A member named __proto__ is an unknown field, in a document and in a merge patch.
    for (const res of [await put(gw.id, JSON.parse('{"__proto__":{"log_level":"debug"}}')), await patch(gw.id, JSON.parse('{"__proto__":{"log_level":"debug"}}'))]) {
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details).toEqual([{ field: '__proto__', message: 'unknown field' }]);
    }
    const big = { ntp_servers: [], cameras: Object.fromEntries(Array.from({ length: 300 }, () => [randomUUID(), { recording: 'motion', stream_profile: 'x'.repeat(32) }])) };
    expectErrorBody(await put(gw.id, big), 413, 'payload_too_large');
    expect((await get(gw.id)).body.desired_version).toBe(0);
    await expectSilence(sock, 200);

    const plain = await pairGateway(t);
    const res = await put(plain.id, { log_level: 'info' });
    expectErrorBody(res, 409, 'conflict');
    expect(res.body.message).toContain('config.v1');
    sock.ws.close();
  });

  it('a gateway that was away is sent only the latest version when it connects behind; an older report is ignored, one ahead is an error', async () => {
    const { gw, sock } = await configGateway();
    await put(gw.id, { log_level: 'info' }).expect(200);
    await expectFrame(sock, 'config');
    sock.send({ event: 'config_report', data: { version: 1, status: 'applied', reported: { log_level: 'info' } } });
    await eventually(async () => (await get(gw.id)).body.applied_version === 1);
    sock.ws.close();
    await sock.closed;
    await put(gw.id, { log_level: 'warn' }).expect(200);
    await put(gw.id, { log_level: 'error' }).expect(200);

    const back = await connect(gw, 1);
    expect(await expectFrame(back, 'config')).toEqual({ version: 3, desired: { log_level: 'error' } });
    await expectSilence(back, 300);
    back.send({ event: 'config_report', data: { version: 3, status: 'applied', reported: { log_level: 'error' } } });
    await eventually(async () => (await get(gw.id)).body.sync === 'in_sync');
    back.send({ event: 'config_report', data: { version: 2, status: 'applied', reported: { log_level: 'warn' } } });
    back.send({ event: 'config_report', data: { version: 9, status: 'applied', reported: {} } });
    expect(await expectFrame(back, 'error')).toMatchObject({ error: 'validation_error', details: [{ field: 'version', message: 'must be at most 3' }] });
    expect((await get(gw.id)).body).toMatchObject({ applied_version: 3, reported: { log_level: 'error' }, sync: 'in_sync' });

    // A gateway that connects already up to date is sent nothing.
    back.ws.close();
    await back.closed;
    const current = await connect(gw, 3);
    await expectSilence(current, 500);
    current.ws.close();
  });

  it('a rejection of the desired version is rejected with its errors, until a new version', async () => {
    const { gw, sock } = await configGateway();
    await put(gw.id, { upstream_cap_mbps: 5000 }).expect(200);
    await expectFrame(sock, 'config');
    const errors = [{ path: 'upstream_cap_mbps', message: 'the uplink is 100 Mbit/s' }];
    sock.send({ event: 'config_report', data: { version: 1, status: 'rejected', reported: {}, errors } });
    const rejected = await eventually(async () => {
      const r = (await get(gw.id)).body;
      return r.sync === 'rejected' ? r : undefined;
    });
    expect(rejected.errors).toEqual(errors);
    await eventually(async () => (await configEvents(gw.id)).some((e) => e.type === 'gateway.config_rejected'));
    expect((await configEvents(gw.id)).find((e) => e.type === 'gateway.config_rejected')!.data).toEqual({ version: 1, errors });
    // A rejection needs a reason; malformed reports are error frames.
    sock.send({ event: 'config_report', data: { version: 1, status: 'rejected', reported: {} } });
    expect((await expectFrame(sock, 'error')).details.map((d: { field: string }) => d.field)).toEqual(['errors']);
    sock.send({ event: 'config_report', data: { version: 1, status: 'applied', reported: { log_level: 'loud' } } });
    expect((await expectFrame(sock, 'error')).details.map((d: { field: string }) => d.field)).toEqual(['reported.log_level']);

    await put(gw.id, { upstream_cap_mbps: 50 }).expect(200);
    expect((await expectFrame(sock, 'config')).version).toBe(2);
    expect((await get(gw.id)).body).toMatchObject({ sync: 'pending', errors: [] });
    sock.ws.close();
  });

  it('a camera moved to another gateway takes its section along: both versions move in one transaction, and a deleted camera leaves', async () => {
    const a = await configGateway();
    const b = await configGateway();
    const camera = await createCamera(t, t.siteId, a.gw.id);
    const stays = await createCamera(t, t.siteId, a.gw.id);
    await put(a.gw.id, { log_level: 'info', cameras: { [camera]: { recording: 'motion', fps: 12 }, [stays]: { recording: 'off' } } }).expect(200);
    await expectFrame(a.sock, 'config');
    await put(b.gw.id, { log_level: 'warn' }).expect(200);
    await expectFrame(b.sock, 'config');

    await t.http().patch(`/api/v1/cameras/${camera}`).set(bearer(t.adminKey)).send({ gateway_id: b.gw.id }).expect(200);
    expect((await get(a.gw.id)).body).toMatchObject({ desired_version: 2, desired: { log_level: 'info', cameras: { [stays]: { recording: 'off' } } } });
    expect((await get(a.gw.id)).body.desired.cameras[camera]).toBeUndefined();
    expect((await get(b.gw.id)).body).toMatchObject({ desired_version: 2, desired: { log_level: 'warn', cameras: { [camera]: { recording: 'motion', fps: 12 } } } });
    // Both gateways are sent their new documents.
    expect((await expectFrame(a.sock, 'config')).version).toBe(2);
    expect(await expectFrame(b.sock, 'config')).toEqual({ version: 2, desired: { log_level: 'warn', cameras: { [camera]: { recording: 'motion', fps: 12 } } } });
    await eventually(async () => (await configEvents(b.gw.id)).filter((e) => e.type === 'gateway.config_changed').length === 2);
    const moved = (await configEvents(b.gw.id)).filter((e) => e.type === 'gateway.config_changed')[1];
    expect(moved.data).toMatchObject({ version: 2, reason: 'camera_moved', changed_paths: [`cameras.${camera}`] });

    // Renaming it moves nothing; deleting it removes its section.
    await t.http().patch(`/api/v1/cameras/${camera}`).set(bearer(t.adminKey)).send({ name: 'Renamed' }).expect(200);
    expect((await get(b.gw.id)).body.desired_version).toBe(2);
    await t.http().delete(`/api/v1/cameras/${camera}`).set(bearer(t.adminKey)).expect(204);
    expect((await get(b.gw.id)).body).toMatchObject({ desired_version: 3, desired: { log_level: 'warn' } });
    expect((await get(b.gw.id)).body.desired.cameras).toBeUndefined();
    a.sock.ws.close();
    b.sock.ws.close();
  });

  it('viewers read, operators write; other orgs and sites see nothing (404); the schema is served to any key', async () => {
    const siteB = await createSite(t, 'Config site B');
    const { gw, sock } = await configGateway(siteB);
    sock.ws.close();
    const viewer = await createKey(t, 'viewer');
    const operator = await createKey(t, 'operator', [siteB]);
    const otherSite = await createKey(t, 'admin', [t.siteId]);
    const otherOrg = await createOrg(t, 'Config other org');
    await get(gw.id, viewer.key).expect(200);
    expectErrorBody(await put(gw.id, { log_level: 'info' }, undefined, viewer.key), 403, 'forbidden');
    expectErrorBody(await patch(gw.id, { log_level: 'info' }, undefined, viewer.key), 403, 'forbidden');
    await put(gw.id, { log_level: 'info' }, undefined, operator.key).expect(200);
    for (const key of [otherSite.key, otherOrg.api_key]) {
      expectErrorBody(await get(gw.id, key), 404, 'not_found');
      expectErrorBody(await put(gw.id, { log_level: 'debug' }, undefined, key), 404, 'not_found');
      expectErrorBody(await patch(gw.id, { log_level: 'debug' }, undefined, key), 404, 'not_found');
    }
    expect((await get(gw.id)).body.desired).toEqual({ log_level: 'info' });
    expectErrorBody(await get(randomUUID()), 404, 'not_found');

    const schema = await t.http().get('/api/v1/config-schema').set(bearer(viewer.key)).expect(200);
    expect(schema.body).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false });
    expect(Object.keys(schema.body.properties).sort()).toEqual(['cameras', 'heartbeat_interval_s', 'log_level', 'ntp_servers', 'retention_days', 'timezone', 'upstream_cap_mbps']);
    expectErrorBody(await t.http().get('/api/v1/config-schema'), 401, 'auth_required');
  });
});
