import { bearer, createKey } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

describe('foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers healthz and readyz without a key', async () => {
    await t.http().get('/healthz').expect(200, { status: 'ok' });
    await t.http().get('/readyz').expect(200, { status: 'ok' });
  });

  it('lets the bootstrap admin key list sites', async () => {
    const res = await t.http().get('/api/v1/sites').set(bearer(t.adminKey)).expect(200);
    expect(res.body).toEqual({ data: [{ id: t.siteId, name: 'Default site', created_at: expect.stringMatching(/Z$/) }], total: 1 });
  });

  it('refuses a revoked key on the very next request', async () => {
    const { id, key } = await createKey(t, 'viewer');
    await t.http().get('/api/v1/sites').set(bearer(key)).expect(200);
    await t.http().delete(`/api/v1/api-keys/${id}`).set(bearer(t.adminKey)).expect(204);
    const res = await t.http().get('/api/v1/sites').set(bearer(key)).expect(401);
    expect(res.body).toEqual({ error: 'auth_required', message: expect.any(String) });
  });
});
