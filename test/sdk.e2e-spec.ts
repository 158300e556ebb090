/**
 * The TypeScript SDK (sdk/) against a running server: the page's pairing flow end to end, errors
 * as NovaVMSError, the facade covering every operation of the spec, the generated types up to
 * date with openapi/openapi.json, and the page's examples type-checking.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NovaVMS, NovaVMSError, type ConfigDocument } from '../sdk';
import { commandGateway, connectWithSession, expectFrame, storedCapabilities } from './support/commands';
import { bearer, createCamera } from './support/factories';
import { pairGateway } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';
import { closesWithin, connectGateway, eventually } from './support/ws-client';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The error a promise rejects with, which must be a NovaVMSError. */
async function sdkError(p: Promise<unknown>): Promise<NovaVMSError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NovaVMSError) return e;
    throw e;
  }
  throw new Error('expected a NovaVMSError, the call succeeded');
}

describe('TypeScript SDK', () => {
  describe('against a running server', () => {
    let t: TestApp;
    let novavms: NovaVMS;
    beforeAll(async () => {
      // A session's capabilities are stored by the telemetry flush: often, so commandGateway is quick.
      t = await startTestApp({ TELEMETRY_FLUSH_INTERVAL_MS: '100' });
      novavms = new NovaVMS({ baseUrl: t.baseUrl, apiKey: t.adminKey });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('drives the pairing flow of the page: list → generatePairingCode → pair → get → telemetry → update → delete', async () => {
      const before = await novavms.gateways.list();
      expect(before).toEqual({ data: [], total: 0 });

      const pairing = await novavms.gateways.generatePairingCode({ name: 'Acme Logistics — Warehouse A', siteId: t.siteId });
      expect(pairing).toEqual({ id: expect.stringMatching(UUID), pairing_code: expect.stringMatching(/^[A-Z2-9]{6}$/), expires_at: expect.stringMatching(ISO_Z), status: 'registered' });

      // The gateway itself has no user key: pair() is public.
      const gatewaySide = new NovaVMS({ baseUrl: t.baseUrl });
      const paired = await gatewaySide.gateways.pair({
        pairingCode: pairing.pairing_code,
        name: 'Self-reported name',
        version: '2026.04.12',
        localIp: '192.168.10.24',
      });
      expect(paired).toEqual({ gateway_id: pairing.id, api_key: expect.stringMatching(/^gw_/), org_id: t.orgId, ice_servers: [] });

      const gw = await novavms.gateways.get(pairing.id);
      expect(gw).toEqual({
        id: pairing.id,
        name: 'Acme Logistics — Warehouse A',
        site_id: t.siteId,
        status: 'offline',
        version: '2026.04.12',
        local_ip: '192.168.10.24',
        last_heartbeat_at: null,
        created_at: expect.stringMatching(ISO_Z),
      });

      const listed = await novavms.gateways.list({ siteId: t.siteId, status: 'offline', limit: 10, offset: 0 });
      expect(listed.total).toBe(1);
      expect(listed.data.map((g) => g.id)).toEqual([pairing.id]);
      expect((await novavms.gateways.list({ status: 'online' })).total).toBe(0);

      const telemetry = await novavms.gateways.telemetry(pairing.id);
      expect(telemetry).toMatchObject({ gateway_id: pairing.id, cpu_percent: null, memory_mb: null, last_heartbeat_at: null });

      const renamed = await novavms.gateways.update(pairing.id, { name: 'Acme Logistics — Warehouse A (Rev 2)' });
      expect(renamed).toMatchObject({ id: pairing.id, name: 'Acme Logistics — Warehouse A (Rev 2)', status: 'offline' });
      expect((await novavms.gateways.update(pairing.id, { status: 'disabled' })).status).toBe('disabled');

      await expect(novavms.gateways.delete(pairing.id)).resolves.toBeUndefined();
      const gone = await sdkError(novavms.gateways.get(pairing.id));
      expect(gone.status).toBe(404);
      expect(gone.body).toEqual({ error: 'not_found', message: expect.any(String) });
      expect(await novavms.gateways.list()).toEqual({ data: [], total: 0 });
    });

    it('reads the v1.2 event log, availability and recording coverage: events.list, gateways.availability, cameras.recordingCoverage', async () => {
      const pairing = await novavms.gateways.generatePairingCode({ name: 'Events via SDK', siteId: t.siteId });
      const camera = await novavms.cameras.create({ name: 'Dock camera', siteId: t.siteId });
      let page = await novavms.events.list({ gatewayId: pairing.id, type: 'gateway.registered' });
      for (let i = 0; page.data.length === 0 && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        page = await novavms.events.list({ gatewayId: pairing.id, type: 'gateway.registered' });
      }
      expect(page.data).toEqual([expect.objectContaining({ type: 'gateway.registered', gateway_id: pairing.id, site_id: t.siteId })]);
      const next = await novavms.events.list({ gatewayId: pairing.id, after: page.next_cursor });
      expect(next.data).toEqual([]);
      const to = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      const from = new Date(Date.parse(to) - 3600_000).toISOString().replace('.000Z', 'Z');
      expect(await novavms.gateways.availability(pairing.id, { from, to })).toEqual({
        from, to, online_seconds: 0, offline_seconds: 0, planned_seconds: 0, disabled_seconds: 0, uptime_percent: null, outages: [],
      });
      expect(await novavms.cameras.recordingCoverage(camera.id, { from, to })).toEqual({
        from, to, recording_seconds: 0, not_recording_seconds: 0, unknown_seconds: 3600, coverage_percent: null, gaps: [{ started_at: from, ended_at: null, status: 'unknown' }],
      });
      const err = await sdkError(novavms.gateways.availability(pairing.id, { from: to, to: from }));
      expect([err.status, err.code]).toEqual([400, 'validation_error']);
    });

    it('throws a redeemed code as a typed 409 NovaVMSError with the documented body', async () => {
      const pairing = await novavms.gateways.generatePairingCode({ name: 'Dock', siteId: t.siteId });
      await novavms.gateways.pair({ pairingCode: pairing.pairing_code });
      const err = await sdkError(novavms.gateways.pair({ pairingCode: pairing.pairing_code }));
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe('NovaVMSError');
      expect(err.operation).toBe('gateways_pair');
      expect(err.status).toBe(409);
      expect(err.code).toBe('conflict');
      expect(err.body).toEqual({ error: 'conflict', message: expect.any(String) });
      expect(err.details).toBeUndefined();
      expect(err.message).toBe(`gateways_pair: 409 conflict: ${err.body.message}`);
    });

    it('throws validation errors with their details, and a missing key as 401', async () => {
      const invalid = await sdkError(novavms.gateways.generatePairingCode({ name: '', siteId: t.siteId }));
      expect(invalid.status).toBe(400);
      expect(invalid.code).toBe('validation_error');
      expect(invalid.details).toEqual(expect.arrayContaining([{ field: 'name', message: expect.any(String) }]));

      const anonymous = await sdkError(new NovaVMS({ baseUrl: t.baseUrl }).gateways.list());
      expect(anonymous.status).toBe(401);
      expect(anonymous.code).toBe('auth_required');
    });

    it('reaches the other groups too', async () => {
      expect(await novavms.health.live()).toEqual({ status: 'ok' });
      expect(await novavms.health.ready()).toEqual({ status: 'ok' });
      const site = await novavms.sites.create({ name: 'Second site' });
      expect((await novavms.sites.list()).data.map((s) => s.id)).toContain(site.id);
      const key = await novavms.apiKeys.create({ name: 'viewer', role: 'viewer', siteIds: [site.id] });
      expect(key).toMatchObject({ role: 'viewer', site_ids: [site.id], key: expect.stringMatching(/^sk_live_/) });
      const viewer = new NovaVMS({ baseUrl: t.baseUrl, apiKey: key.key });
      expect((await viewer.sites.list()).data.map((s) => s.id)).toEqual([site.id]);
      const forbidden = await sdkError(viewer.gateways.generatePairingCode({ name: 'x', siteId: site.id }));
      expect(forbidden.status).toBe(403);
      await novavms.apiKeys.delete(key.id);
      expect((await sdkError(viewer.sites.list())).status).toBe(401);
      const camera = await novavms.cameras.create({ name: 'Cam', siteId: site.id });
      expect(await novavms.cameras.get(camera.id)).toMatchObject({ name: 'Cam', site_id: site.id });
      expect(await novavms.cameras.update(camera.id, { name: 'Cam 2' })).toMatchObject({ name: 'Cam 2' });
      expect((await novavms.cameras.list({ siteId: site.id })).total).toBe(1);
      await novavms.cameras.delete(camera.id);
    });

    it('sends a v1.3 remote command: gateways.commands.create (idempotent) → commands.wait → gateways.commands.list, and cancel of a finished one as 409', async () => {
      // Every request the SDK makes (at its start) and every answer's status, to see what was sent.
      const requests: { method: string; url: string; idempotencyKey: string | null }[] = [];
      const statuses: number[] = [];
      const sdk = new NovaVMS({
        baseUrl: t.baseUrl,
        apiKey: t.adminKey,
        fetch: async (req) => {
          requests.push({ method: req.method, url: req.url, idempotencyKey: req.headers.get('idempotency-key') });
          const res = await fetch(req);
          statuses.push(res.status);
          return res;
        },
      });
      expect(sdk.gateways.commands).toBe(sdk.commands);

      const { gw, sock } = await commandGateway(t);
      try {
        const probe = { type: 'network.probe', params: { host: '192.168.10.31', port: 554 } } as const;
        const created = await sdk.gateways.commands.create(gw.id, probe, { idempotencyKey: 'sdk-probe-1' });
        expect(created).toMatchObject({ id: expect.stringMatching(UUID), gateway_id: gw.id, type: 'network.probe', params: probe.params, timeout_s: 60, result: null, error: null });
        // The same request with the same key: the same command (200, not a second one).
        const again = await sdk.commands.create(gw.id, probe, { idempotencyKey: 'sdk-probe-1' });
        expect(again.id).toBe(created.id);
        expect(requests.map((r) => [r.method, r.idempotencyKey])).toEqual([['POST', 'sdk-probe-1'], ['POST', 'sdk-probe-1']]);
        expect(statuses).toEqual([201, 200]);

        const frame = await expectFrame(sock, 'command');
        expect(frame).toMatchObject({ id: created.id, type: 'network.probe', params: probe.params, attempt: 1 });

        // Running out of time is not an error: wait returns the command as it is.
        const before = Date.now();
        const unfinished = await sdk.commands.wait(created.id, { timeoutS: 1 });
        expect(unfinished).toMatchObject({ id: created.id, status: 'sent', completed_at: null });
        expect(Date.now() - before).toBeGreaterThanOrEqual(900);

        requests.length = 0;
        let settled = false;
        const waiting = sdk.commands.wait(created.id, { timeoutS: 10 });
        void waiting.then(() => (settled = true), () => (settled = true));
        // The answer is held by the server (one request, wait_s=10) while the gateway reports.
        await eventually(async () => requests.some((r) => r.url.includes('wait_s=10')), 5000, 10);
        expect(settled).toBe(false);
        sock.send({ event: 'command_result', data: { id: created.id, status: 'succeeded', result: { reachable: true, latency_ms: 1 } } });
        expect(await expectFrame(sock, 'command_result_received')).toEqual({ id: created.id });
        const done = await waiting;
        expect(done).toMatchObject({ id: created.id, status: 'succeeded', result: { reachable: true, latency_ms: 1 }, error: null, completed_at: expect.stringMatching(ISO_Z) });
        expect(requests.map((r) => [r.method, new URL(r.url).pathname + new URL(r.url).search])).toEqual([['GET', `/api/v1/commands/${created.id}?wait_s=10`]]);

        const page = await sdk.gateways.commands.list(gw.id);
        expect(page.data.map((c) => [c.id, c.status])).toEqual([[created.id, 'succeeded']]);
        expect(page.next_cursor).toEqual(expect.any(String));
        expect((await sdk.commands.list(gw.id, { status: 'queued', limit: 10 })).data).toEqual([]);
        expect(await sdk.commands.get(created.id)).toMatchObject({ id: created.id, status: 'succeeded' });

        const err = await sdkError(sdk.commands.cancel(created.id));
        expect(err).toBeInstanceOf(NovaVMSError);
        expect([err.operation, err.status, err.code]).toEqual(['commands_cancel', 409, 'conflict']);
        expect(err.body).toEqual({ error: 'conflict', message: expect.any(String) });
      } finally {
        sock.ws.close();
        await sock.closed;
      }
    });

    it('manages a v1.3 configuration: config.get → put and patch with ifMatch → a stale ifMatch as 412 → update() through a concurrent write → schema', async () => {
      // Every request the SDK makes, with the headers that matter here.
      const requests: { method: string; path: string; ifMatch: string | null; contentType: string | null }[] = [];
      const sdk = new NovaVMS({
        baseUrl: t.baseUrl,
        apiKey: t.adminKey,
        fetch: async (req) => {
          requests.push({ method: req.method, path: new URL(req.url).pathname, ifMatch: req.headers.get('if-match'), contentType: req.headers.get('content-type') });
          return fetch(req);
        },
      });
      expect(sdk.gateways.config).toBe(sdk.config);

      // A gateway whose session declaring config.v1 is stored (else a write is 409).
      const gw = await pairGateway(t);
      const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
      try {
        await expectFrame(sock, 'hello');
        sock.send({ event: 'session', data: { boot_id: randomUUID(), capabilities: ['config.v1'], config_version: 0 } });
        await eventually(async () => (await storedCapabilities(t, gw.id))?.includes('config.v1'), 8000, 50);
        const camera = await createCamera(t, t.siteId, gw.id);
        const path = `/api/v1/gateways/${gw.id}/config`;

        const initial = await sdk.config.get(gw.id);
        expect(initial).toEqual({ etag: '"0"', config: { desired: {}, desired_version: 0, reported: {}, applied_version: null, reported_at: null, sync: 'unknown', errors: [] } });

        const desired: ConfigDocument = { log_level: 'debug', retention_days: 30, cameras: { [camera]: { recording: 'continuous', fps: 25 } } };
        const written = await sdk.config.put(gw.id, desired, { ifMatch: initial.etag });
        expect(written.etag).toBe('"1"');
        expect(written.config).toMatchObject({ desired, desired_version: 1, sync: 'unknown' });
        expect(await expectFrame(sock, 'config')).toEqual({ version: 1, desired });

        // RFC 7396: null deletes log_level, the camera's members merge.
        const merged = await sdk.gateways.config.patch(gw.id, { log_level: null, cameras: { [camera]: { fps: 10 } } }, { ifMatch: written.etag });
        expect(merged.etag).toBe('"2"');
        expect(merged.config.desired).toEqual({ retention_days: 30, cameras: { [camera]: { recording: 'continuous', fps: 10 } } });
        expect(merged.config.desired_version).toBe(2);
        expect(await expectFrame(sock, 'config')).toEqual({ version: 2, desired: merged.config.desired });
        expect(requests).toEqual([
          { method: 'GET', path, ifMatch: null, contentType: null },
          { method: 'PUT', path, ifMatch: '"0"', contentType: 'application/json' },
          { method: 'PATCH', path, ifMatch: '"1"', contentType: 'application/merge-patch+json' },
        ]);

        // An ETag of an older version: 412 precondition_failed, and nothing written.
        const stale = await sdkError(sdk.config.put(gw.id, { log_level: 'warn' }, { ifMatch: written.etag }));
        expect(stale).toBeInstanceOf(NovaVMSError);
        expect([stale.operation, stale.status, stale.code]).toEqual(['config_put', 412, 'precondition_failed']);
        expect(stale.body).toEqual({ error: 'precondition_failed', message: expect.any(String) });
        const stalePatch = await sdkError(sdk.config.patch(gw.id, { retention_days: 7 }, { ifMatch: '"1"' }));
        expect([stalePatch.operation, stalePatch.status, stalePatch.code]).toEqual(['config_patch', 412, 'precondition_failed']);
        expect(await sdk.config.get(gw.id)).toEqual({ etag: '"2"', config: expect.objectContaining({ desired: merged.config.desired, desired_version: 2 }) });

        // update(): another write comes in between its read and its write (a raw PUT, the first
        // time only); its write is refused (412), so it reads again, changes that and writes it.
        requests.length = 0;
        const seen: ConfigDocument[] = [];
        const updated = await sdk.config.update(gw.id, async (current) => {
          seen.push(structuredClone(current));
          if (seen.length === 1) await t.http().put(path).set(bearer(t.adminKey)).set('If-Match', '"2"').send({ ...current, timezone: 'Europe/Berlin' }).expect(200);
          return { ...current, heartbeat_interval_s: 15 };
        });
        expect(seen).toEqual([merged.config.desired, { ...merged.config.desired, timezone: 'Europe/Berlin' }]);
        expect(updated.etag).toBe('"4"');
        expect(updated.config).toMatchObject({ desired: { ...merged.config.desired, timezone: 'Europe/Berlin', heartbeat_interval_s: 15 }, desired_version: 4 });
        expect(requests.map((r) => [r.method, r.ifMatch])).toEqual([['GET', null], ['PUT', '"2"'], ['GET', null], ['PUT', '"3"']]);

        // A configuration that changes under every attempt: 5 retries, then the 412 is thrown.
        requests.length = 0;
        let calls = 0;
        const givenUp = await sdkError(
          sdk.config.update(gw.id, async (current) => {
            calls += 1;
            await t.http().put(path).set(bearer(t.adminKey)).send({ ...current, retention_days: calls }).expect(200);
            return { ...current, log_level: 'error' };
          }),
        );
        expect([givenUp.operation, givenUp.status, givenUp.code]).toEqual(['config_put', 412, 'precondition_failed']);
        expect(calls).toBe(6);
        expect(requests.map((r) => r.method)).toEqual(Array.from({ length: 6 }, () => ['GET', 'PUT']).flat());
        expect((await sdk.config.get(gw.id)).config).toMatchObject({ desired: { retention_days: 6 }, desired_version: 10 });

        const schema = await sdk.config.schema();
        expect(schema).toMatchObject({ $schema: expect.stringContaining('json-schema.org'), type: 'object', properties: expect.objectContaining({ log_level: expect.any(Object) }) });
      } finally {
        sock.ws.close();
        await sock.closed;
      }
    });

    it('manages v1.3 gateway keys: credentials.list → rotateKey (409 before credentials.v1, then 202 and the rotate_key frame) → revokeKeys (4401) → gateways.createPairingCode pairs it again', async () => {
      // Every request the SDK makes, with its body.
      const requests: { method: string; path: string; body: string }[] = [];
      const sdk = new NovaVMS({
        baseUrl: t.baseUrl,
        apiKey: t.adminKey,
        fetch: async (req) => {
          requests.push({ method: req.method, path: new URL(req.url).pathname, body: await req.clone().text() });
          return fetch(req);
        },
      });
      expect(sdk.gateways.credentials).toBe(sdk.credentials);

      const gw = await pairGateway(t);
      const base = `/api/v1/gateways/${gw.id}`;
      const [key, ...more] = await sdk.gateways.credentials.list(gw.id);
      expect(more).toEqual([]);
      expect(key).toEqual({ id: expect.stringMatching(UUID), state: 'active', created_at: expect.stringMatching(ISO_Z), last_used_at: null, last_peer_address: null, expires_at: null });

      // Its session never declared credentials.v1: a rotation is a typed 409, and grace_s is validated.
      const refused = await sdkError(sdk.credentials.rotateKey(gw.id));
      expect(refused).toBeInstanceOf(NovaVMSError);
      expect([refused.operation, refused.status, refused.code]).toEqual(['credentials_rotateKey', 409, 'conflict']);
      expect(refused.body).toEqual({ error: 'conflict', message: expect.stringContaining('credentials.v1') });
      const invalid = await sdkError(sdk.credentials.rotateKey(gw.id, { graceS: 604801 }));
      expect([invalid.operation, invalid.status, invalid.code]).toEqual(['credentials_rotateKey', 400, 'validation_error']);
      expect(invalid.details).toEqual(expect.arrayContaining([{ field: 'grace_s', message: expect.any(String) }]));
      // Without graceS the required body is sent empty, so the API's default applies.
      expect(requests).toEqual([
        { method: 'GET', path: `${base}/credentials`, body: '' },
        { method: 'POST', path: `${base}/rotate-key`, body: '{}' },
        { method: 'POST', path: `${base}/rotate-key`, body: '{"grace_s":604801}' },
      ]);

      const sock = await connectWithSession(t.baseUrl, gw, randomUUID(), ['credentials.v1']);
      try {
        await eventually(async () => (await storedCapabilities(t, gw.id))?.includes('credentials.v1'), 8000, 50);
        const rotation = await sdk.credentials.rotateKey(gw.id, { graceS: 60 });
        expect(rotation).toEqual({ rotation_id: expect.stringMatching(UUID), status: 'pending' });
        expect(await expectFrame(sock, 'rotate_key')).toEqual({ rotation_id: rotation.rotation_id, api_key: expect.stringMatching(/^gw_/) });
        const second = await sdkError(sdk.gateways.credentials.rotateKey(gw.id));
        expect([second.operation, second.status, second.code]).toEqual(['credentials_rotateKey', 409, 'conflict']);

        // Every key revoked (the rotation's, never used, is not listed) and the socket closed 4401.
        const revoked = await sdk.credentials.revokeKeys(gw.id);
        expect(revoked).toEqual([{ ...key, state: 'revoked', last_used_at: expect.stringMatching(ISO_Z), last_peer_address: '127.0.0.1' }]);
        expect((await closesWithin(sock.closed, 3000)).code).toBe(4401);
        expect(await sdk.credentials.list(gw.id)).toEqual(revoked);
      } finally {
        sock.ws.close();
        await sock.closed;
      }

      // An operator key pairs a gateway again, but may not see or change its keys (admin).
      const operatorKey = await sdk.apiKeys.create({ name: 'sdk operator', role: 'operator' });
      const operator = new NovaVMS({ baseUrl: t.baseUrl, apiKey: operatorKey.key });
      const forbidden = await sdkError(operator.credentials.list(gw.id));
      expect([forbidden.operation, forbidden.status, forbidden.code]).toEqual(['credentials_list', 403, 'forbidden']);
      // A paired gateway that never connected is offline; the revoked one stays online until OFFLINE_AFTER_S.
      const idle = await pairGateway(t);
      expect(await operator.gateways.createPairingCode(idle.id)).toEqual({ id: idle.id, pairing_code: expect.stringMatching(/^[A-Z2-9]{6}$/), expires_at: expect.stringMatching(ISO_Z), status: 'offline' });
      const code = await operator.gateways.createPairingCode(gw.id);
      expect(code).toEqual({ id: gw.id, pairing_code: expect.stringMatching(/^[A-Z2-9]{6}$/), expires_at: expect.stringMatching(ISO_Z), status: 'online' });
      const again = await new NovaVMS({ baseUrl: t.baseUrl }).gateways.pair({ pairingCode: code.pairing_code });
      expect(again.gateway_id).toBe(gw.id);
      expect(again.api_key).not.toBe(gw.apiKey);
      expect((await sdk.credentials.list(gw.id)).map((k) => [k.id === key!.id, k.state])).toEqual([[true, 'revoked'], [false, 'active']]);

      const missing = await sdkError(sdk.gateways.createPairingCode(randomUUID()));
      expect([missing.operation, missing.status, missing.code]).toEqual(['gateways_createPairingCode', 404, 'not_found']);
      await sdk.gateways.update(gw.id, { status: 'disabled' });
      const disabled = await sdkError(sdk.gateways.createPairingCode(gw.id));
      expect([disabled.operation, disabled.status, disabled.code]).toEqual(['gateways_createPairingCode', 409, 'conflict']);
      await sdk.apiKeys.delete(operatorKey.id);
    });

  });

  it('has a method for every operation of the spec, named after its operationId', () => {
    const spec = JSON.parse(readFileSync(join(ROOT, 'openapi', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { operationId?: string }>> };
    const ids = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    const novavms = new NovaVMS({ baseUrl: 'http://127.0.0.1:1' }) as unknown as Record<string, Record<string, unknown>>;
    const missing = ids.filter((id) => {
      const [group, method] = (id ?? '').split('_');
      return typeof novavms[group!]?.[method!] !== 'function';
    });
    expect(ids.length).toBeGreaterThanOrEqual(19);
    expect(missing).toEqual([]);
  });

  it('is generated from the committed spec: `npm run sdk` output is up to date', async () => {
    const out = mkdtempSync(join(tmpdir(), 'novavms-sdk-'));
    try {
      await run(process.execPath, [join(ROOT, 'scripts', 'generate-sdk.mjs'), '--out', out], { cwd: ROOT });
      const fresh = readFileSync(join(out, 'schema.ts'), 'utf8');
      const committed = readFileSync(join(ROOT, 'sdk', 'schema.ts'), 'utf8');
      // Compare whole files; on a mismatch the message says what to run.
      if (fresh !== committed) throw new Error('sdk/schema.ts is stale: run `npm run sdk` (openapi/openapi.json changed since it was generated)');
      // Generating twice gives the same bytes.
      await run(process.execPath, [join(ROOT, 'scripts', 'generate-sdk.mjs'), '--out', out], { cwd: ROOT });
      expect(readFileSync(join(out, 'schema.ts'), 'utf8')).toBe(fresh);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("type-checks, with the page's examples (and rejects their misuse)", async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(run(process.execPath, [tsc, '-p', join(ROOT, 'sdk', 'tsconfig.json')], { cwd: ROOT }).then(() => 'ok')).resolves.toBe('ok');
  });
});
