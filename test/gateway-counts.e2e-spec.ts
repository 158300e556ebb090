import { createKey, createSite } from './support/factories';
import { deleteGateway, insertGateways, listGateways, patchGateway } from './support/gateway-helpers';
import { generateCode, pairGateway } from './support/gateways';
import { createOrg, startTestApp, TestApp } from './support/test-app';

/**
 * The unfiltered list's `total` comes from gateway_counts, kept by triggers on `gateways`. These
 * tests drive every way a gateway is created, moved or removed, through the API and by SQL, and
 * compare the counters with a count of the rows after each step.
 */
describe('gateway_counts: the per-site counters behind the list total', () => {
  let t: TestApp;
  let siteB: string;

  /** Counters that are not zero, and the real counts, in the same order: they must be equal. */
  async function countersAndTruth(): Promise<{ counters: string[]; truth: string[] }> {
    const counters: { k: string }[] = await t.dataSource.query(
      `SELECT org_id || '/' || site_id || '=' || gateways AS k FROM gateway_counts WHERE gateways <> 0 ORDER BY org_id, site_id`,
    );
    const truth: { k: string }[] = await t.dataSource.query(
      `SELECT org_id || '/' || site_id || '=' || count(*) AS k FROM gateways GROUP BY org_id, site_id ORDER BY org_id, site_id`,
    );
    return { counters: counters.map((r) => r.k), truth: truth.map((r) => r.k) };
  }

  async function expectExact(): Promise<void> {
    const { counters, truth } = await countersAndTruth();
    expect(truth.length).toBeGreaterThan(0);
    expect(counters).toEqual(truth);
  }

  async function rowsIn(orgId: string, siteId?: string): Promise<number> {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM gateways WHERE org_id = $1 AND ($2::uuid IS NULL OR site_id = $2)`,
      [orgId, siteId ?? null],
    );
    return n;
  }

  beforeAll(async () => {
    t = await startTestApp({ PAIR_GUESS_LIMIT_PER_ADDRESS: '1000', PAIRING_MAX_ACTIVE_CODES: '1000' });
    siteB = await createSite(t, 'Site B');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('follows generate, pair, move and unpair through the API, and the list totals follow it', async () => {
    const a = await pairGateway(t);
    const b = await pairGateway(t);
    const c = await generateCode(t, siteB);
    await expectExact();

    await patchGateway(t, a.id, { site_id: siteB }).expect(200);
    await expectExact();
    await deleteGateway(t, b.id).expect(204);
    await deleteGateway(t, c.id).expect(204);
    await expectExact();

    const all = await listGateways(t, '?limit=1').expect(200);
    expect(all.body.total).toBe(await rowsIn(t.orgId));
    const inB = await listGateways(t, `?limit=1&site_id=${siteB}`).expect(200);
    expect(inB.body.total).toBe(await rowsIn(t.orgId, siteB));
    expect(inB.body.total).toBeGreaterThan(0);
    const scoped = await createKey(t, 'viewer', [siteB]);
    const seen = await listGateways(t, '?limit=1', scoped.key).expect(200);
    expect(seen.body.total).toBe(await rowsIn(t.orgId, siteB));
  });

  it('counts bulk inserts, bulk moves and bulk deletes by SQL, per statement', async () => {
    const org = await createOrg(t, 'Bulk counts');
    const orgB = await t.dataSource.query(`INSERT INTO sites (org_id, name) VALUES ($1, 'Bulk B') RETURNING id`, [org.org_id]);
    const siteOfB: string = orgB[0].id;
    // One statement, two sites.
    await t.dataSource.query(
      `INSERT INTO gateways (org_id, site_id, name)
       SELECT $1, CASE WHEN g % 3 = 0 THEN $3::uuid ELSE $2::uuid END, 'bulk-' || g FROM generate_series(1, 300) AS g`,
      [org.org_id, org.site_id, siteOfB],
    );
    await expectExact();
    expect((await listGateways(t, '?limit=1', org.api_key).expect(200)).body.total).toBe(300);

    await t.dataSource.query(
      `UPDATE gateways SET site_id = $2 WHERE id IN (SELECT id FROM gateways WHERE org_id = $1 AND site_id = $3 ORDER BY id LIMIT 70)`,
      [org.org_id, siteOfB, org.site_id],
    );
    await expectExact();
    // A write that does not move anything leaves the counters alone.
    await t.dataSource.query(`UPDATE gateways SET name = 'renamed', site_id = site_id WHERE org_id = $1`, [org.org_id]);
    await expectExact();

    await t.dataSource.query(`DELETE FROM gateways WHERE org_id = $1 AND name LIKE 'renamed' AND site_id = $2`, [org.org_id, siteOfB]);
    await expectExact();
    expect((await listGateways(t, '?limit=1', org.api_key).expect(200)).body.total).toBe(await rowsIn(org.org_id));
  });

  it('holds under concurrent opposite moves, pairings and unpairs: no deadlock, no 5xx, no drift', async () => {
    const inA = await insertGateways(t, t.orgId, t.siteId, 12);
    const inB = await insertGateways(t, t.orgId, siteB, 12);
    const doomed = await insertGateways(t, t.orgId, siteB, 6);
    const results = await Promise.all([
      ...inA.map((id) => patchGateway(t, id, { site_id: siteB })),
      ...inB.map((id) => patchGateway(t, id, { site_id: t.siteId })),
      ...doomed.map((id) => deleteGateway(t, id)),
      ...Array.from({ length: 6 }, (_, i) => t.http().post('/api/v1/gateways/generate-pairing-code').set({ Authorization: `Bearer ${t.adminKey}` }).send({ name: `c${i}`, site_id: i % 2 ? siteB : t.siteId })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([...Array(24).fill(200), ...Array(6).fill(201), ...Array(6).fill(204)].sort());
    await expectExact();
  });

  it('goes with its org when the org is deleted', async () => {
    const org = await createOrg(t, 'Short-lived');
    await insertGateways(t, org.org_id, org.site_id, 5);
    const before: { n: number }[] = await t.dataSource.query(`SELECT gateways AS n FROM gateway_counts WHERE org_id = $1`, [org.org_id]);
    expect(before).toEqual([{ n: 5 }]);
    await t.dataSource.query(`DELETE FROM gateways WHERE org_id = $1`, [org.org_id]);
    await t.dataSource.query(`DELETE FROM orgs WHERE id = $1`, [org.org_id]);
    const after = await t.dataSource.query(`SELECT 1 FROM gateway_counts WHERE org_id = $1`, [org.org_id]);
    expect(after).toEqual([]);
    await expectExact();
  });
});
