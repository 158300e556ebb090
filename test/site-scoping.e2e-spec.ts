import { randomUUID } from 'node:crypto';
import type { Role } from '../src/auth/roles';
import { bearer, createCamera, createKey, createSite } from './support/factories';
import { expectErrorBody } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** The status a scoped key gets: its role is checked first (403), then the scope rule applies. */
const expected = (role: Role, needs: Role, scoped: number) => (RANK[role] >= RANK[needs] ? scoped : 403);

/** The error a scoped key gets on a route needing `needs`: 403 when its role is too low, else `status`/`code`. */
function expectScopedError(res: Parameters<typeof expectErrorBody>[0], role: Role, needs: Role, status: number, code: string): void {
  if (RANK[role] >= RANK[needs]) expectErrorBody(res, status, code);
  else expectErrorBody(res, 403, 'forbidden');
}

describe('site scoping: a key limited to site A', () => {
  let t: TestApp;
  let siteA: string;
  let siteB: string;
  let camA: string;
  let camB: string;

  const ids = (res: { body: { data: { id: string }[] } }) => res.body.data.map((x) => x.id);
  const adminGetCamera = (id: string) => t.http().get(`/api/v1/cameras/${id}`).set(bearer(t.adminKey)).expect(200);

  beforeAll(async () => {
    t = await startTestApp();
    siteA = t.siteId;
    siteB = await createSite(t, 'Site B');
    camA = await createCamera(t, siteA);
    camB = await createCamera(t, siteB);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe.each(['viewer', 'operator', 'admin'] as Role[])('with role %s', (role) => {
    let key: string;
    beforeAll(async () => {
      key = (await createKey(t, role, [siteA])).key;
    });

    it('lists only site A', async () => {
      const sites = await t.http().get('/api/v1/sites').set(bearer(key)).expect(200);
      expect(sites.body).toEqual({ data: [expect.objectContaining({ id: siteA })], total: 1 });

      const cams = await t.http().get('/api/v1/cameras?limit=1000').set(bearer(key)).expect(200);
      expect(ids(cams)).toContain(camA);
      expect(ids(cams)).not.toContain(camB);
      expect(cams.body.data.every((c: { site_id: string }) => c.site_id === siteA)).toBe(true);
      expect(cams.body.total).toBe(cams.body.data.length);

      const filteredB = await t.http().get(`/api/v1/cameras?site_id=${siteB}`).set(bearer(key)).expect(200);
      expect(filteredB.body).toEqual({ data: [], total: 0 });
      const filteredA = await t.http().get(`/api/v1/cameras?site_id=${siteA}`).set(bearer(key)).expect(200);
      expect(ids(filteredA)).toContain(camA);
    });

    it('reads its own site-A camera but not the site-B camera (404)', async () => {
      await t.http().get(`/api/v1/cameras/${camA}`).set(bearer(key)).expect(200);
      expectErrorBody(await t.http().get(`/api/v1/cameras/${camB}`).set(bearer(key)), 404, 'not_found');
    });

    it('cannot change or delete the site-B camera, which stays as it was', async () => {
      const patch = await t.http().patch(`/api/v1/cameras/${camB}`).set(bearer(key)).send({ name: 'Hijacked' });
      expectScopedError(patch, role, 'operator', 404, 'not_found');
      const del = await t.http().delete(`/api/v1/cameras/${camB}`).set(bearer(key));
      expectScopedError(del, role, 'operator', 404, 'not_found');
      const after = await adminGetCamera(camB);
      expect(after.body).toMatchObject({ name: 'Camera', site_id: siteB });
    });

    it('cannot create a camera in site B (403) and nothing is created', async () => {
      const before = (await t.http().get(`/api/v1/cameras?site_id=${siteB}`).set(bearer(t.adminKey)).expect(200)).body.total;
      const res = await t.http().post('/api/v1/cameras').set(bearer(key)).send({ name: 'Sneaky', site_id: siteB });
      expectErrorBody(res, 403, 'forbidden');
      const after = (await t.http().get(`/api/v1/cameras?site_id=${siteB}`).set(bearer(t.adminKey)).expect(200)).body.total;
      expect(after).toBe(before);
    });

    it('cannot move its site-A camera into site B (403)', async () => {
      const res = await t.http().patch(`/api/v1/cameras/${camA}`).set(bearer(key)).send({ site_id: siteB });
      expectErrorBody(res, 403, 'forbidden');
      expect((await adminGetCamera(camA)).body.site_id).toBe(siteA);
    });

    it('gets 400 validation_error for a site_id that is not in the org at all', async () => {
      const stranger = randomUUID();
      const post = await t.http().post('/api/v1/cameras').set(bearer(key)).send({ name: 'X', site_id: stranger });
      expectScopedError(post, role, 'operator', 400, 'validation_error');
      const patch = await t.http().patch(`/api/v1/cameras/${camA}`).set(bearer(key)).send({ site_id: stranger });
      expectScopedError(patch, role, 'operator', 400, 'validation_error');
      if (post.status === 400) expect(post.body.details).toEqual([expect.objectContaining({ field: 'site_id' })]);
      const keys = await t.http().post('/api/v1/api-keys').set(bearer(key)).send({ name: 'k', role: 'viewer', site_ids: [stranger] });
      expectScopedError(keys, role, 'admin', 400, 'validation_error');
    });

    it('can change its own site-A camera when its role allows (control)', async () => {
      const res = await t.http().patch(`/api/v1/cameras/${camA}`).set(bearer(key)).send({ name: `Renamed by ${role}` });
      expect(res.status).toBe(expected(role, 'operator', 200));
    });

    it('cannot create sites (403)', async () => {
      const before = (await t.http().get('/api/v1/sites').set(bearer(t.adminKey)).expect(200)).body.total;
      expectErrorBody(await t.http().post('/api/v1/sites').set(bearer(key)).send({ name: 'Scoped site' }), 403, 'forbidden');
      expect((await t.http().get('/api/v1/sites').set(bearer(t.adminKey)).expect(200)).body.total).toBe(before);
    });

    it('cannot issue keys beyond site A (403)', async () => {
      const before = (await t.http().get('/api/v1/api-keys').set(bearer(t.adminKey)).expect(200)).body.total;
      for (const body of [
        { name: 'b', role: 'viewer', site_ids: [siteB] },
        { name: 'ab', role: 'viewer', site_ids: [siteA, siteB] },
        { name: 'org-wide', role: 'viewer' },
        { name: 'org-wide-null', role: 'viewer', site_ids: null },
      ]) {
        const res = await t.http().post('/api/v1/api-keys').set(bearer(key)).send(body);
        if (res.status !== 403) throw new Error(`${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
        expectErrorBody(res, 403, 'forbidden');
      }
      expect((await t.http().get('/api/v1/api-keys').set(bearer(t.adminKey)).expect(200)).body.total).toBe(before);
    });
  });

  describe('a scoped admin and other keys', () => {
    let scopedAdmin: string;
    let scopedAdminId: string;
    beforeAll(async () => {
      ({ key: scopedAdmin, id: scopedAdminId } = await createKey(t, 'admin', [siteA]));
    });

    it('may issue a key limited to site A (control)', async () => {
      const res = await t.http().post('/api/v1/api-keys').set(bearer(scopedAdmin)).send({ name: 'a', role: 'operator', site_ids: [siteA] });
      expect(res.status).toBe(201);
      expect(res.body.site_ids).toEqual([siteA]);
      const cams = await t.http().get('/api/v1/cameras?limit=1000').set(bearer(res.body.key)).expect(200);
      expect(ids(cams)).not.toContain(camB);
    });

    it('lists only keys confined to site A', async () => {
      const bKey = await createKey(t, 'viewer', [siteB]);
      const res = await t.http().get('/api/v1/api-keys?limit=1000').set(bearer(scopedAdmin)).expect(200);
      expect(ids(res)).toContain(scopedAdminId);
      expect(ids(res)).not.toContain(bKey.id);
      expect(res.body.data.every((k: { site_ids: string[] | null }) => k.site_ids !== null && k.site_ids.every((s) => s === siteA))).toBe(true);
      expect(res.body.data.some((k: { key?: string }) => 'key' in k)).toBe(false);
    });

    it('cannot revoke an org-wide key or a site-B key (404), which keep working', async () => {
      const orgWide = await createKey(t, 'viewer');
      const bKey = await createKey(t, 'viewer', [siteB]);
      for (const target of [orgWide, bKey]) {
        expectErrorBody(await t.http().delete(`/api/v1/api-keys/${target.id}`).set(bearer(scopedAdmin)), 404, 'not_found');
        await t.http().get('/api/v1/sites').set(bearer(target.key)).expect(200);
      }
    });

    it('a key limited to site B sees neither site A nor its camera', async () => {
      const { key } = await createKey(t, 'viewer', [siteB]);
      const sites = await t.http().get('/api/v1/sites').set(bearer(key)).expect(200);
      expect(ids(sites)).toEqual([siteB]);
      expectErrorBody(await t.http().get(`/api/v1/cameras/${camA}`).set(bearer(key)), 404, 'not_found');
      await t.http().get(`/api/v1/cameras/${camB}`).set(bearer(key)).expect(200);
    });
  });
});
