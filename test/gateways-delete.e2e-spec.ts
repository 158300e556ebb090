import { bearer, createCamera, createKey, createSite } from './support/factories';
import { deleteGateway, gatewayRow, getGateway, listGateways, pair, patchGateway, sha256, telemetry } from './support/gateway-helpers';
import { generateCode, pairGateway } from './support/gateways';
import { expectErrorBody } from './support/http';
import { startTestApp, TestApp } from './support/test-app';
import { connectGateway } from './support/ws-client';

describe('DELETE /api/v1/gateways/{id}', () => {
  let t: TestApp;
  const patchCamera = (id: string, body: object) => t.http().patch(`/api/v1/cameras/${id}`).set(bearer(t.adminKey)).send(body);

  /** Everything that must hold once a gateway is gone. */
  async function expectGone(id: string, code: string, apiKey?: string): Promise<void> {
    expectErrorBody(await getGateway(t, id), 404, 'not_found');
    expectErrorBody(await telemetry(t, id), 404, 'not_found');
    expectErrorBody(await patchGateway(t, id, { name: 'Zombie' }), 404, 'not_found');
    expectErrorBody(await deleteGateway(t, id), 404, 'not_found');
    // Its code is unknown now — whether it had been redeemed (409 before) or not (200 before).
    expectErrorBody(await pair(t, code), 404, 'not_found');
    const list = await listGateways(t, '?limit=1000').expect(200);
    expect(list.body.data.map((g: { id: string }) => g.id)).not.toContain(id);
    expect(await gatewayRow(t, id)).toBeUndefined();
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM pairing_codes WHERE gateway_id = $1', [id]);
    expect(n).toBe(0);
    if (apiKey) {
      const [{ keys }] = await t.dataSource.query('SELECT count(*)::int AS keys FROM gateway_keys WHERE key_hash = $1', [sha256(apiKey)]);
      expect(keys).toBe(0);
      const refused = await connectGateway(t.baseUrl, id, apiKey).then(
        (s) => (s.ws.close(), 101),
        (e: { status?: number }) => e.status,
      );
      expect([401, 404]).toContain(refused);
    }
  }

  beforeAll(async () => {
    t = await startTestApp({ PAIR_GUESS_LIMIT_PER_ADDRESS: '1000', PAIRING_MAX_ACTIVE_CODES: '1000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('204 with an empty body; the gateway, its key, its code and its telemetry are gone', async () => {
    const gw = await pairGateway(t);
    await t.dataSource.query(
      `UPDATE gateway_telemetry SET cpu_percent = 12.5, memory_mb = 512 WHERE gateway_id = $1`,
      [gw.id],
    );
    expect((await telemetry(t, gw.id).expect(200)).body.cpu_percent).toBe(12.5);
    const totalBefore = (await listGateways(t).expect(200)).body.total;
    const res = await deleteGateway(t, gw.id);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers['content-length'] ?? '0').toBe('0');
    expect((await listGateways(t).expect(200)).body.total).toBe(totalBefore - 1);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM gateway_telemetry WHERE gateway_id = $1', [gw.id]);
    expect(n).toBe(0);
    await expectGone(gw.id, gw.code, gw.apiKey);
  });

  it('deletes a registered gateway; its unredeemed code can no longer be redeemed', async () => {
    const issued = await generateCode(t);
    await deleteGateway(t, issued.id).expect(204);
    await expectGone(issued.id, issued.pairing_code);
  });

  it('deletes a disabled gateway', async () => {
    const gw = await pairGateway(t);
    await patchGateway(t, gw.id, { status: 'disabled' }).expect(200);
    await deleteGateway(t, gw.id).expect(204);
    await expectGone(gw.id, gw.code, gw.apiKey);
  });

  it('400 validation_error while cameras are bound, until the last one is unbound (gateway_id null)', async () => {
    const gw = await pairGateway(t);
    const cams = [await createCamera(t, t.siteId, gw.id), await createCamera(t, t.siteId, gw.id)];
    const first = await deleteGateway(t, gw.id);
    expectErrorBody(first, 400, 'validation_error');
    await patchCamera(cams[0], { gateway_id: null }).expect(200);
    expectErrorBody(await deleteGateway(t, gw.id), 400, 'validation_error');
    expect((await getGateway(t, gw.id).expect(200)).body.id).toBe(gw.id);
    expect((await gatewayRow(t, gw.id))?.key_hash).toBe(sha256(gw.apiKey));
    await patchCamera(cams[1], { gateway_id: null }).expect(200);
    await deleteGateway(t, gw.id).expect(204);
    await expectGone(gw.id, gw.code, gw.apiKey);
    // The cameras survive, unbound.
    for (const cam of cams) {
      const res = await t.http().get(`/api/v1/cameras/${cam}`).set(bearer(t.adminKey)).expect(200);
      expect(res.body.gateway_id).toBeNull();
    }
  });

  it('succeeds after the camera is moved to another gateway, which then cannot be deleted', async () => {
    const gw = await pairGateway(t);
    const target = await pairGateway(t);
    const cam = await createCamera(t, t.siteId, gw.id);
    expectErrorBody(await deleteGateway(t, gw.id), 400, 'validation_error');
    await patchCamera(cam, { gateway_id: target.id }).expect(200);
    await deleteGateway(t, gw.id).expect(204);
    await expectGone(gw.id, gw.code, gw.apiKey);
    expectErrorBody(await deleteGateway(t, target.id), 400, 'validation_error');
  });

  it('succeeds after the camera is deleted through the cameras API', async () => {
    const gw = await pairGateway(t);
    const cam = await createCamera(t, t.siteId, gw.id);
    expectErrorBody(await deleteGateway(t, gw.id), 400, 'validation_error');
    await t.http().delete(`/api/v1/cameras/${cam}`).set(bearer(t.adminKey)).expect(204);
    await deleteGateway(t, gw.id).expect(204);
    await expectGone(gw.id, gw.code, gw.apiKey);
  });

  it('a camera of a site the key cannot see still blocks the delete (400, not a silent 204)', async () => {
    const siteB = await createSite(t, 'Site B');
    const gw = await pairGateway(t);
    await createCamera(t, siteB, gw.id);
    const scoped = (await createKey(t, 'operator', [t.siteId])).key;
    expectErrorBody(await deleteGateway(t, gw.id, scoped), 400, 'validation_error');
    expect(await gatewayRow(t, gw.id)).toBeDefined();
  });

  it('an operator key may delete (the page\'s required role)', async () => {
    const operator = (await createKey(t, 'operator')).key;
    const gw = await pairGateway(t);
    await deleteGateway(t, gw.id, operator).expect(204);
    await expectGone(gw.id, gw.code, gw.apiKey);
  });
});
