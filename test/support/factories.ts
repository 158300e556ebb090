import type { Role } from '../../src/auth/roles';
import type { TestApp } from './test-app';

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** Makes an API key through the public admin API, as an admin would. */
export async function createKey(
  t: TestApp,
  role: Role,
  siteIds: string[] | null = null,
  adminKey = t.adminKey,
): Promise<{ id: string; key: string }> {
  const res = await t
    .http()
    .post('/api/v1/api-keys')
    .set(bearer(adminKey))
    .send(siteIds ? { name: `${role} key`, role, site_ids: siteIds } : { name: `${role} key`, role });
  if (res.status !== 201) throw new Error(`createKey: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, key: res.body.key };
}

export async function createSite(t: TestApp, name = 'Site', adminKey = t.adminKey): Promise<string> {
  const res = await t.http().post('/api/v1/sites').set(bearer(adminKey)).send({ name });
  if (res.status !== 201) throw new Error(`createSite: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function createCamera(
  t: TestApp,
  siteId: string,
  gatewayId: string | null = null,
  key = t.adminKey,
): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/cameras')
    .set(bearer(key))
    .send(gatewayId ? { name: 'Camera', site_id: siteId, gateway_id: gatewayId } : { name: 'Camera', site_id: siteId });
  if (res.status !== 201) throw new Error(`createCamera: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
