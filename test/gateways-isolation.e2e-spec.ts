import type { Role } from '../src/auth/roles';
import { bearer, createKey, createSite } from './support/factories';
import { deleteGateway, emptyTelemetry, getGateway, listGateways, patchGateway, telemetry } from './support/gateway-helpers';
import { pairGateway } from './support/gateways';
import { expectErrorBody } from './support/http';
import { createOrg, startTestApp, TestApp } from './support/test-app';

/** Org isolation and site scoping on every gateway endpoint (pair is public and names no org: skipped). */
describe('gateways: org isolation and site scoping', () => {
  let t: TestApp;
  let other: { org_id: string; site_id: string; api_key: string };
  let siteA: string;
  let siteB: string;
  let gwA: string;
  let gwB: string;
  let gwX: string; // another org's
  const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((g) => g.id);
  const count = async (where: string, params: unknown[]) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM gateways WHERE ${where}`, params))[0].n as number;
  const generate = (key: string, siteId: string) =>
    t.http().post('/api/v1/gateways/generate-pairing-code').set(bearer(key)).send({ name: 'Scoped', site_id: siteId });
  /** Snapshot of a gateway as its owner sees it, to show that refused calls changed nothing. */
  const snapshot = (id: string, key = t.adminKey) => getGateway(t, id, key).expect(200).then((r) => r.body);

  beforeAll(async () => {
    t = await startTestApp({ PAIR_GUESS_LIMIT_PER_ADDRESS: '1000', PAIRING_MAX_ACTIVE_CODES: '1000' });
    other = await createOrg(t);
    siteA = t.siteId;
    siteB = await createSite(t, 'Site B');
    gwA = (await pairGateway(t, siteA)).id;
    gwB = (await pairGateway(t, siteB)).id;
    gwX = (await pairGateway(t, other.site_id, other.api_key)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('another org', () => {
    it('list: its gateway is absent and total counts only the caller\'s org', async () => {
      const mine = await listGateways(t, '?limit=1000').expect(200);
      expect(ids(mine)).toEqual(expect.arrayContaining([gwA, gwB]));
      expect(ids(mine)).not.toContain(gwX);
      expect(mine.body.total).toBe(await count('org_id = $1', [t.orgId]));
      const theirs = await listGateways(t, '', other.api_key).expect(200);
      expect(theirs.body).toEqual({ data: [expect.objectContaining({ id: gwX })], total: 1 });
    });

    it('list ?site_id=<their site> is empty for us, and ?site_id=<our site> is empty for them', async () => {
      expect((await listGateways(t, `?site_id=${other.site_id}`).expect(200)).body).toEqual({ data: [], total: 0 });
      expect((await listGateways(t, `?site_id=${siteA}`, other.api_key).expect(200)).body).toEqual({ data: [], total: 0 });
    });

    it.each(['admin', 'operator', 'viewer'] as Role[])('get/telemetry/patch/delete of its gateway → 404 for our %s', async (role) => {
      const key = role === 'admin' ? t.adminKey : (await createKey(t, role)).key;
      const before = await snapshot(gwX, other.api_key);
      expectErrorBody(await getGateway(t, gwX, key), 404, 'not_found');
      expectErrorBody(await telemetry(t, gwX, key), 404, 'not_found');
      const writeStatus: [status: number, error: string] = role === 'viewer' ? [403, 'forbidden'] : [404, 'not_found'];
      expectErrorBody(await patchGateway(t, gwX, { name: 'Stolen' }, key), ...writeStatus);
      expectErrorBody(await patchGateway(t, gwX, { status: 'disabled' }, key), ...writeStatus);
      expectErrorBody(await deleteGateway(t, gwX, key), ...writeStatus);
      expect(await snapshot(gwX, other.api_key)).toEqual(before);
    });

    it('its owner still reads it: 200 and the empty telemetry snapshot', async () => {
      expect((await getGateway(t, gwX, other.api_key).expect(200)).body.id).toBe(gwX);
      expect((await telemetry(t, gwX, other.api_key).expect(200)).body).toEqual(emptyTelemetry(gwX));
    });

    it('and it cannot reach ours either', async () => {
      expectErrorBody(await getGateway(t, gwA, other.api_key), 404, 'not_found');
      expectErrorBody(await deleteGateway(t, gwA, other.api_key), 404, 'not_found');
      await getGateway(t, gwA).expect(200);
    });
  });

  describe.each(['viewer', 'operator', 'admin'] as Role[])('a %s key scoped to site A', (role) => {
    let key: string;
    const writes = role !== 'viewer';
    beforeAll(async () => {
      key = (await createKey(t, role, [siteA])).key;
    });

    it('list shows only site-A gateways and total counts only them', async () => {
      const res = await listGateways(t, '?limit=1000', key).expect(200);
      expect(ids(res)).toContain(gwA);
      expect(ids(res)).not.toContain(gwB);
      expect(ids(res)).not.toContain(gwX);
      expect(res.body.data.every((g: { site_id: string }) => g.site_id === siteA)).toBe(true);
      const expected = await count('org_id = $1 AND site_id = $2', [t.orgId, siteA]);
      expect(res.body.total).toBe(expected);
      expect(expected).toBeLessThan(await count('org_id = $1', [t.orgId]));
      // total counts every match, not the page.
      const page = await listGateways(t, '?limit=1', key).expect(200);
      expect(page.body.data).toHaveLength(1);
      expect(page.body.total).toBe(expected);
      // Filters do not widen the scope.
      const offline = await listGateways(t, '?status=offline&limit=1000', key).expect(200);
      expect(ids(offline)).not.toContain(gwB);
      expect(offline.body.total).toBe(await count(`org_id = $1 AND site_id = $2 AND status = 'offline'`, [t.orgId, siteA]));
    });

    it('?site_id=B gives {data:[], total:0}; ?site_id=A gives site A', async () => {
      expect((await listGateways(t, `?site_id=${siteB}`, key).expect(200)).body).toEqual({ data: [], total: 0 });
      expect((await listGateways(t, `?site_id=${siteB}&status=offline`, key).expect(200)).body).toEqual({ data: [], total: 0 });
      expect(ids(await listGateways(t, `?site_id=${siteA}`, key).expect(200))).toContain(gwA);
    });

    it('reads the site-A gateway and its telemetry', async () => {
      expect((await getGateway(t, gwA, key).expect(200)).body.id).toBe(gwA);
      expect((await telemetry(t, gwA, key).expect(200)).body).toEqual(emptyTelemetry(gwA));
    });

    it('get/telemetry/patch/delete of the site-B gateway → 404 (viewer: 403 on writes); it stays unchanged', async () => {
      const before = await snapshot(gwB);
      expectErrorBody(await getGateway(t, gwB, key), 404, 'not_found');
      expectErrorBody(await telemetry(t, gwB, key), 404, 'not_found');
      const refused: [status: number, error: string] = writes ? [404, 'not_found'] : [403, 'forbidden'];
      expectErrorBody(await patchGateway(t, gwB, { name: 'Hijacked' }, key), ...refused);
      expectErrorBody(await patchGateway(t, gwB, { status: 'disabled' }, key), ...refused);
      expectErrorBody(await patchGateway(t, gwB, { site_id: siteA }, key), ...refused);
      expectErrorBody(await deleteGateway(t, gwB, key), ...refused);
      expect(await snapshot(gwB)).toEqual(before);
    });

    it('generate with site B → 403 and nothing is created; with site A → 201 unless viewer', async () => {
      const before = await count('org_id = $1', [t.orgId]);
      expectErrorBody(await generate(key, siteB), 403, 'forbidden');
      expect(await count('org_id = $1', [t.orgId])).toBe(before);
      const inA = await generate(key, siteA);
      if (writes) {
        expect(inA.status).toBe(201);
        expect(ids(await listGateways(t, '?limit=1000', key).expect(200))).toContain(inA.body.id);
      } else {
        expectErrorBody(inA, 403, 'forbidden');
        expect(await count('org_id = $1', [t.orgId])).toBe(before);
      }
    });

    it('a site-A gateway cannot be moved to site B (403)', async () => {
      const before = await snapshot(gwA);
      expectErrorBody(await patchGateway(t, gwA, { site_id: siteB }, key), 403, 'forbidden');
      expect(await snapshot(gwA)).toEqual(before);
    });
  });

  describe('a viewer can never write', () => {
    it.each([
      ['unscoped', null],
      ['scoped to site A', 'A'],
    ])('%s viewer: generate/patch/delete of its own site\'s gateway → 403, nothing changes', async (_label, scope) => {
      const key = (await createKey(t, 'viewer', scope ? [siteA] : null)).key;
      const before = await snapshot(gwA);
      const total = await count('org_id = $1', [t.orgId]);
      expectErrorBody(await generate(key, siteA), 403, 'forbidden');
      expectErrorBody(await patchGateway(t, gwA, { name: 'Viewer was here' }, key), 403, 'forbidden');
      expectErrorBody(await patchGateway(t, gwA, { status: 'disabled' }, key), 403, 'forbidden');
      expectErrorBody(await deleteGateway(t, gwA, key), 403, 'forbidden');
      expect(await snapshot(gwA)).toEqual(before);
      expect(await count('org_id = $1', [t.orgId])).toBe(total);
      await getGateway(t, gwA, key).expect(200);
    });
  });
});
