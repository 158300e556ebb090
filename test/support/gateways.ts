import { bearer } from './factories';
import type { TestApp } from './test-app';

export interface IssuedCode {
  id: string;
  pairing_code: string;
  expires_at: string;
  status: string;
}

/** POST generate-pairing-code, expecting 201. */
export async function generateCode(t: TestApp, siteId = t.siteId, key = t.adminKey, name = 'Gateway'): Promise<IssuedCode> {
  const res = await t.http().post('/api/v1/gateways/generate-pairing-code').set(bearer(key)).send({ name, site_id: siteId });
  if (res.status !== 201) throw new Error(`generateCode: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Generates a code and redeems it: a paired gateway and its gw_ key. */
export async function pairGateway(
  t: TestApp,
  siteId = t.siteId,
  key = t.adminKey,
): Promise<{ id: string; apiKey: string; code: string }> {
  const issued = await generateCode(t, siteId, key);
  const res = await t.http().post('/api/v1/gateways/pair').send({ pairing_code: issued.pairing_code, version: '2026.04.12', local_ip: '192.168.10.24' });
  if (res.status !== 200) throw new Error(`pairGateway: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: issued.id, apiKey: res.body.api_key, code: issued.pairing_code };
}

/** Makes every pairing code of the org look issued `ageS` seconds ago (for expiry tests). */
export async function ageCodes(t: TestApp, gatewayId: string, ageS: number): Promise<void> {
  await t.dataSource.query(
    `UPDATE pairing_codes SET created_at = created_at - make_interval(secs => $2), expires_at = expires_at - make_interval(secs => $2) WHERE gateway_id = $1`,
    [gatewayId, ageS],
  );
}
