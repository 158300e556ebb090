import { bearer, createKey, createSite } from './support/factories';
import { gatewayRow, GET_KEYS, getGateway, pair, patchGateway, setStatus, Status, STATUSES } from './support/gateway-helpers';
import { generateCode, pairGateway } from './support/gateways';
import { expectErrorBody } from './support/http';
import { createOrg, startTestApp, TestApp } from './support/test-app';

/** The page: "valid transitions are online|offline|registered → disabled and disabled → offline". */
const ALLOWED = new Set(['registered→disabled', 'offline→disabled', 'online→disabled', 'disabled→offline']);

describe('PATCH /api/v1/gateways/{id}: status transitions, rename, move', () => {
  let t: TestApp;
  let siteB: string;

  /** A gateway in the given status: registered (code issued), offline (paired), online (SQL), disabled (PATCH). */
  async function gatewayIn(status: Status): Promise<string> {
    if (status === 'registered') return (await generateCode(t)).id;
    const { id } = await pairGateway(t);
    if (status === 'online') await setStatus(t, id, 'online');
    if (status === 'disabled') await patchGateway(t, id, { status: 'disabled' }).expect(200);
    expect((await gatewayRow(t, id))?.status).toBe(status);
    return id;
  }

  beforeAll(async () => {
    // Gateways made online by SQL get a heartbeat at set-up; a long OFFLINE_AFTER_S keeps the
    // liveness sweep from taking them offline while the suite runs.
    t = await startTestApp({ PAIR_GUESS_LIMIT_PER_ADDRESS: '1000', PAIRING_MAX_ACTIVE_CODES: '1000', OFFLINE_AFTER_S: '3600' });
    siteB = await createSite(t, 'Site B');
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('every starting status × requested status', () => {
    const cases = STATUSES.flatMap((from) => (['disabled', 'offline'] as const).map((to) => [from, to] as const));
    it.each(cases)('%s → %s', async (from, to) => {
      const id = await gatewayIn(from);
      const before = (await getGateway(t, id).expect(200)).body;
      const res = await patchGateway(t, id, { status: to });
      if (ALLOWED.has(`${from}→${to}`)) {
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(GET_KEYS);
        expect(res.body).toEqual({ ...before, status: to });
        expect((await getGateway(t, id).expect(200)).body).toEqual(res.body);
      } else {
        expectErrorBody(res, 400, 'validation_error');
        expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['status']);
        expect((await getGateway(t, id).expect(200)).body).toEqual(before);
      }
      expect((await gatewayRow(t, id))?.status).toBe(ALLOWED.has(`${from}→${to}`) ? to : from);
    });

    // Statuses a client may never ask for, from every starting status.
    const never = STATUSES.flatMap((from) => (['online', 'registered', null] as const).map((to) => [from, to] as const));
    // BUG (for null from disabled): @IsOptional() lets status: null through and isAllowedTransition('disabled', null)
    // is true, so the UPDATE writes NULL into a NOT NULL column: 500 internal_error instead of 400.
    it.each(never)('%s → %s is refused with 400 and the status is unchanged', async (from, to) => {
      const id = await gatewayIn(from);
      expectErrorBody(await patchGateway(t, id, { status: to }), 400, 'validation_error');
      expect((await gatewayRow(t, id))?.status).toBe(from);
    });
  });

  it('a refused transition applies nothing else of the same request', async () => {
    const id = await gatewayIn('offline');
    expectErrorBody(await patchGateway(t, id, { name: 'Renamed', site_id: siteB, status: 'offline' }), 400, 'validation_error');
    expect(await gatewayRow(t, id)).toMatchObject({ name: 'Gateway', site_id: t.siteId, status: 'offline' });
  });

  it('name and status in one request are both applied', async () => {
    const id = await gatewayIn('online');
    const res = await patchGateway(t, id, { name: 'Decommissioned', status: 'disabled' }).expect(200);
    expect(res.body).toMatchObject({ id, name: 'Decommissioned', status: 'disabled' });
  });

  it('renames: 200 with the GET shape, and GET shows the new name', async () => {
    const id = await gatewayIn('offline');
    const before = (await getGateway(t, id).expect(200)).body;
    const res = await patchGateway(t, id, { name: 'Acme Logistics — Warehouse A (Rev 2)' }).expect(200);
    expect(res.body).toEqual({ ...before, name: 'Acme Logistics — Warehouse A (Rev 2)' });
    expect((await getGateway(t, id).expect(200)).body).toEqual(res.body);
  });

  it('moves to another site of the org; the site filter follows', async () => {
    const id = await gatewayIn('offline');
    const res = await patchGateway(t, id, { site_id: siteB }).expect(200);
    expect(res.body).toMatchObject({ id, site_id: siteB, status: 'offline' });
    const listB = await t.http().get(`/api/v1/gateways?site_id=${siteB}`).set(bearer(t.adminKey)).expect(200);
    expect(listB.body.data.map((g: { id: string }) => g.id)).toContain(id);
    const listA = await t.http().get(`/api/v1/gateways?site_id=${t.siteId}&limit=1000`).set(bearer(t.adminKey)).expect(200);
    expect(listA.body.data.map((g: { id: string }) => g.id)).not.toContain(id);
  });

  it('refuses a site of another org with 400 and leaves the gateway where it was', async () => {
    const other = await createOrg(t);
    const id = await gatewayIn('offline');
    const res = await patchGateway(t, id, { site_id: other.site_id });
    expectErrorBody(res, 400, 'validation_error');
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['site_id']);
    expect((await gatewayRow(t, id))?.site_id).toBe(t.siteId);
  });

  it('a scoped operator cannot move a gateway to a site outside its list (403), but can rename it', async () => {
    const scoped = (await createKey(t, 'operator', [t.siteId])).key;
    const id = await gatewayIn('offline');
    expectErrorBody(await patchGateway(t, id, { site_id: siteB }, scoped), 403, 'forbidden');
    expectErrorBody(await patchGateway(t, id, { name: 'Moved?', site_id: siteB }, scoped), 403, 'forbidden');
    expect(await gatewayRow(t, id)).toMatchObject({ site_id: t.siteId, name: 'Gateway' });
    await patchGateway(t, id, { name: 'Renamed by scoped key' }, scoped).expect(200);
    // A key holding both sites may move it.
    const both = (await createKey(t, 'operator', [t.siteId, siteB])).key;
    expect((await patchGateway(t, id, { site_id: siteB }, both).expect(200)).body.site_id).toBe(siteB);
  });

  describe('disabling kills the unredeemed pairing code', () => {
    it('the code of a disabled gateway is 404, also after disabled → offline', async () => {
      const issued = await generateCode(t);
      await patchGateway(t, issued.id, { status: 'disabled' }).expect(200);
      expectErrorBody(await pair(t, issued.pairing_code), 404, 'not_found');
      await patchGateway(t, issued.id, { status: 'offline' }).expect(200);
      expectErrorBody(await pair(t, issued.pairing_code), 404, 'not_found');
      const after = await gatewayRow(t, issued.id);
      expect(after).toMatchObject({ status: 'offline', key_hash: null });
    });

    it('with the code in lower case and dashes it is still 404', async () => {
      const issued = await generateCode(t);
      await patchGateway(t, issued.id, { status: 'disabled' }).expect(200);
      const messy = `${issued.pairing_code.slice(0, 3).toLowerCase()}-${issued.pairing_code.slice(3).toLowerCase()}`;
      expectErrorBody(await pair(t, messy), 404, 'not_found');
    });

    it('another gateway\'s live code is untouched by disabling this one', async () => {
      const keep = await generateCode(t);
      const kill = await generateCode(t);
      await patchGateway(t, kill.id, { status: 'disabled' }).expect(200);
      await pair(t, keep.pairing_code).expect(200);
    });

    it('a disabled paired gateway\'s (redeemed) code is 404, not 409', async () => {
      const paired = await pairGateway(t);
      await patchGateway(t, paired.id, { status: 'disabled' }).expect(200);
      expectErrorBody(await pair(t, paired.code), 404, 'not_found');
    });
  });
});
