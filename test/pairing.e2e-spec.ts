import { createHash } from 'node:crypto';
import { bearer, createKey } from './support/factories';
import { ageCodes, generateCode, pairGateway } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('pairing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PAIR_GUESS_LIMIT_PER_ADDRESS: '1000' });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    // Each test starts with no active codes in the org.
    await t.dataSource.query('DELETE FROM pairing_codes');
  });

  it('generates a code: 201 with the documented shape, gateway registered', async () => {
    const res = await t
      .http()
      .post('/api/v1/gateways/generate-pairing-code')
      .set(bearer(t.adminKey))
      .send({ name: 'Acme Logistics — Warehouse A', site_id: t.siteId })
      .expect(201);
    expect(Object.keys(res.body).sort()).toEqual(['expires_at', 'id', 'pairing_code', 'status']);
    expect(res.body.id).toMatch(UUID);
    expect(res.body.pairing_code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}$/);
    expect(res.body.expires_at).toMatch(ISO_Z);
    expect(res.body.status).toBe('registered');
    const ttl = (Date.parse(res.body.expires_at) - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    const gw = await t.http().get(`/api/v1/gateways/${res.body.id}`).set(bearer(t.adminKey)).expect(200);
    expect(gw.body).toMatchObject({ id: res.body.id, name: 'Acme Logistics — Warehouse A', status: 'registered', site_id: t.siteId });
  });

  it('pairs: 200 with gateway_id, gw_ api_key stored hashed, org_id, ice_servers []', async () => {
    const issued = await generateCode(t);
    const res = await t
      .http()
      .post('/api/v1/gateways/pair')
      .send({ pairing_code: issued.pairing_code, name: 'Self name', version: '2026.04.12', local_ip: '192.168.10.24' })
      .expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['api_key', 'gateway_id', 'ice_servers', 'org_id']);
    expect(res.body.gateway_id).toBe(issued.id);
    expect(res.body.org_id).toBe(t.orgId);
    expect(res.body.api_key).toMatch(/^gw_[A-Za-z0-9_-]{40,}$/);
    expect(res.body.ice_servers).toEqual([]);
    const [row] = await t.dataSource.query(`SELECT key_hash FROM gateway_keys WHERE gateway_id = $1 AND state = 'active'`, [issued.id]);
    expect(row.key_hash).toBe(createHash('sha256').update(res.body.api_key).digest('hex'));
    const gw = await t.http().get(`/api/v1/gateways/${issued.id}`).set(bearer(t.adminKey)).expect(200);
    // The operator's name wins over the self-reported one; version and local_ip are shown.
    expect(gw.body).toMatchObject({ name: 'Gateway', status: 'offline', version: '2026.04.12', local_ip: '192.168.10.24' });
  });

  it('accepts lower case, spaces and dashes in the code', async () => {
    const issued = await generateCode(t);
    const messy = `${issued.pairing_code.slice(0, 3).toLowerCase()} - ${issued.pairing_code.slice(3)}`;
    await t.http().post('/api/v1/gateways/pair').send({ pairing_code: messy }).expect(200);
  });

  it('answers 409 for a redeemed code and 410 for an expired one, 404 for unknown', async () => {
    const paired = await pairGateway(t);
    const again = await t.http().post('/api/v1/gateways/pair').send({ pairing_code: paired.code }).expect(409);
    expect(again.body).toEqual({ error: 'conflict', message: expect.any(String) });
    const issued = await generateCode(t);
    await ageCodes(t, issued.id, 601);
    const expired = await t.http().post('/api/v1/gateways/pair').send({ pairing_code: issued.pairing_code }).expect(410);
    expect(expired.body).toEqual({ error: 'gone', message: expect.any(String) });
    const unknown = await t.http().post('/api/v1/gateways/pair').send({ pairing_code: 'ZZZZZZ' });
    expect([404]).toContain(unknown.status);
    expect(unknown.body).toEqual({ error: 'not_found', message: expect.any(String) });
  });

  it('gives exactly 5 active codes per org under 20 concurrent requests, repeatedly', async () => {
    const operator = await createKey(t, 'operator');
    for (let round = 0; round < 5; round++) {
      await t.dataSource.query('DELETE FROM pairing_codes');
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.http().post('/api/v1/gateways/generate-pairing-code').set(bearer(operator.key)).send({ name: 'race', site_id: t.siteId }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
      for (const r of results.filter((x) => x.status === 429)) {
        expect(r.body).toEqual({ error: 'rate_limited', message: expect.any(String) });
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
  });

  it('lets exactly one of 20 simultaneous redemptions of one code win, repeatedly', async () => {
    for (let round = 0; round < 5; round++) {
      await t.dataSource.query('DELETE FROM pairing_codes');
      const issued = await generateCode(t);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => t.http().post('/api/v1/gateways/pair').send({ pairing_code: issued.pairing_code })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    }
  });
});
