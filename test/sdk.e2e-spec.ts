/**
 * The TypeScript SDK (sdk/) against a running server: the page's pairing flow end to end, errors
 * as NovaVMSError, the facade covering every operation of the spec, the generated types up to
 * date with openapi/openapi.json, and the page's examples type-checking.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NovaVMS, NovaVMSError } from '../sdk';
import { startTestApp, TestApp } from './support/test-app';

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
      t = await startTestApp();
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
        from, to, online_seconds: 0, offline_seconds: 0, disabled_seconds: 0, uptime_percent: null, outages: [],
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
