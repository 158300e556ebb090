import { isoUtc } from '../src/common/time';
import { apiTime } from '../src/gateways/gateway.sql';
import { createSite } from './support/factories';
import { getGateway, insertGateways, ISO_Z, LIST_ITEM_KEYS, listGateways, GET_KEYS, Status, STATUSES } from './support/gateway-helpers';
import { pairGateway } from './support/gateways';
import { expectErrorBody } from './support/http';
import { createOrg, startTestApp, TestApp } from './support/test-app';

describe('GET /api/v1/gateways: shape, filters, paging', () => {
  let t: TestApp;
  let siteB: string;
  /** id → {site, status} of every gateway of the main org. */
  const made = new Map<string, { site: string; status: Status }>();
  let bulk: { org_id: string; site_id: string; api_key: string };
  let paired: { id: string };
  const BULK = 1005;
  const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((g) => g.id);
  const sorted = (xs: string[]) => [...xs].sort();

  beforeAll(async () => {
    // Gateways made online by SQL get a heartbeat at set-up; a long OFFLINE_AFTER_S keeps the
    // liveness sweep from taking them offline while the suite runs.
    t = await startTestApp({ PAIR_GUESS_LIMIT_PER_ADDRESS: '1000', PAIRING_MAX_ACTIVE_CODES: '1000', OFFLINE_AFTER_S: '3600' });
    siteB = await createSite(t, 'Site B');
    const layout: [string, Status, number][] = [
      [t.siteId, 'offline', 3],
      [t.siteId, 'online', 2],
      [t.siteId, 'disabled', 1],
      [t.siteId, 'registered', 1],
      [siteB, 'offline', 2],
      [siteB, 'registered', 1],
    ];
    for (const [site, status, n] of layout) {
      for (const id of await insertGateways(t, t.orgId, site, n, { status, spreadS: 7 })) made.set(id, { site, status });
    }
    paired = await pairGateway(t);
    made.set(paired.id, { site: t.siteId, status: 'offline' });
    await t.dataSource.query(
      `UPDATE gateway_telemetry SET last_heartbeat_at = '2026-04-21T14:20:04.987654+02:00' WHERE gateway_id = $1`,
      [paired.id],
    );
    bulk = await createOrg(t, 'Bulk org');
    // Many rows share one created_at (the id breaks the tie), the rest are spread over time.
    await insertGateways(t, bulk.org_id, bulk.site_id, 600, { namePrefix: 'tie-' });
    await insertGateways(t, bulk.org_id, bulk.site_id, BULK - 600, { namePrefix: 'spread-', spreadS: 1 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('timestamps formatted by the database are exactly isoUtc of the stored instant, whatever the session time zone', async () => {
    const values = ['2026-12-31 23:59:59.999999+00', '2026-04-21T14:20:04.987654+02:00', '2026-01-01 00:00:00+05', '2024-02-29 12:00:00.5-11', '1999-12-31 23:59:59.000001+00'];
    const rows: { formatted: string; instant: Date }[] = await t.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL TIME ZONE 'Pacific/Chatham'`);
      return m.query(`SELECT ${apiTime('v.x', 'formatted')}, v.x AS instant FROM unnest($1::timestamptz[]) AS v(x)`, [values]);
    });
    expect(rows.map((r) => r.formatted)).toEqual(rows.map((r) => isoUtc(r.instant)));
    expect(rows.map((r) => r.formatted)).toEqual(['2026-12-31T23:59:59Z', '2026-04-21T12:20:04Z', '2025-12-31T19:00:00Z', '2024-02-29T23:00:00Z', '1999-12-31T23:59:59Z']);
  });

  it('answers {data, total}; items have exactly the list fields; GET adds created_at', async () => {
    const res = await listGateways(t, '?limit=1000').expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['data', 'total']);
    expect(res.body.total).toBe(made.size);
    for (const item of res.body.data) expect(Object.keys(item).sort()).toEqual(LIST_ITEM_KEYS);
    const item = res.body.data.find((g: { id: string }) => g.id === paired.id);
    expect(item).toEqual({
      id: paired.id,
      name: 'Gateway',
      site_id: t.siteId,
      status: 'offline',
      version: '2026.04.12',
      local_ip: '192.168.10.24',
      last_heartbeat_at: expect.stringMatching(ISO_Z),
    });
    // RFC 3339, UTC, second precision.
    expect(['2026-04-21T12:20:04Z', '2026-04-21T12:20:05Z']).toContain(item.last_heartbeat_at);
    const one = await getGateway(t, paired.id).expect(200);
    expect(Object.keys(one.body).sort()).toEqual(GET_KEYS);
    expect(one.body.created_at).toMatch(ISO_Z);
    const { created_at: _created, ...rest } = one.body;
    expect(rest).toEqual(item);
  });

  describe('filters', () => {
    it.each([...STATUSES])('status=%s returns exactly the gateways with that status', async (status) => {
      const expected = [...made].filter(([, g]) => g.status === status).map(([id]) => id);
      const res = await listGateways(t, `?status=${status}`).expect(200);
      expect(sorted(ids(res))).toEqual(sorted(expected));
      expect(res.body.total).toBe(expected.length);
      expect(res.body.data.every((g: { status: string }) => g.status === status)).toBe(true);
    });

    it('site_id returns exactly that site\'s gateways; site_id + status combine', async () => {
      for (const site of [t.siteId, siteB]) {
        const expected = [...made].filter(([, g]) => g.site === site).map(([id]) => id);
        const res = await listGateways(t, `?site_id=${site}`).expect(200);
        expect(sorted(ids(res))).toEqual(sorted(expected));
        expect(res.body.total).toBe(expected.length);
      }
      const both = [...made].filter(([, g]) => g.site === siteB && g.status === 'offline').map(([id]) => id);
      const res = await listGateways(t, `?site_id=${siteB}&status=offline`).expect(200);
      expect(sorted(ids(res))).toEqual(sorted(both));
      expect(res.body.total).toBe(2);
      expect((await listGateways(t, `?site_id=${siteB}&status=online`).expect(200)).body).toEqual({ data: [], total: 0 });
    });

    it('a site_id that is no site of the org matches nothing', async () => {
      expect((await listGateways(t, `?site_id=${bulk.site_id}`).expect(200)).body).toEqual({ data: [], total: 0 });
    });
  });

  describe('limit and offset', () => {
    const bulkList = (query: string) => listGateways(t, query, bulk.api_key).expect(200);

    it('limit defaults to 100; total counts every match', async () => {
      const res = await bulkList('');
      expect(res.body.data).toHaveLength(100);
      expect(res.body.total).toBe(BULK);
    });

    it('limit=1000 (the maximum) returns 1000; limit=1 returns 1; total stays the same', async () => {
      const max = await bulkList('?limit=1000');
      expect(max.body.data).toHaveLength(1000);
      expect(max.body.total).toBe(BULK);
      const one = await bulkList('?limit=1');
      expect(one.body).toEqual({ data: [expect.objectContaining({ id: max.body.data[0].id })], total: BULK });
    });

    it('offset past the end gives an empty page with the full total; the tail page is short', async () => {
      expect((await bulkList('?offset=5000')).body).toEqual({ data: [], total: BULK });
      const tail = await bulkList('?limit=1000&offset=1000');
      expect(tail.body.data).toHaveLength(BULK - 1000);
      expect(tail.body.total).toBe(BULK);
    });

    it('paging returns every gateway exactly once, in (created_at, id) order', async () => {
      const expected: string[] = (
        await t.dataSource.query('SELECT id FROM gateways WHERE org_id = $1 ORDER BY created_at, id', [bulk.org_id])
      ).map((r: { id: string }) => r.id);
      const seen: string[] = [];
      for (let offset = 0; offset < BULK; offset += 97) {
        const page = await bulkList(`?limit=97&offset=${offset}`);
        expect(page.body.total).toBe(BULK);
        seen.push(...ids(page));
      }
      expect(new Set(seen).size).toBe(BULK);
      expect(seen).toEqual(expected);
      // The same again with another page size gives the same sequence.
      const again = [...ids(await bulkList('?limit=1000')), ...ids(await bulkList('?limit=1000&offset=1000'))];
      expect(again).toEqual(expected);
    });
  });

  describe('bad query parameters → 400 validation_error naming the parameter', () => {
    it.each([
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=', 'limit'],
      ['limit=1e2', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=abc', 'offset'],
      ['offset=2.5', 'offset'],
      ['status=bogus', 'status'],
      ['status=ONLINE', 'status'],
      ['status=', 'status'],
      ['site_id=not-uuid', 'site_id'],
      ['site_id=', 'site_id'],
      ['foo=1', 'foo'],
      ['org_id=00000000-0000-4000-8000-000000000000', 'org_id'],
      ['sort=name', 'sort'],
    ])('?%s', async (query, field) => {
      const res = await listGateways(t, `?${query}`);
      expectErrorBody(res, 400, 'validation_error');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });
});
