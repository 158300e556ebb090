import { SignalBus } from '../src/signals/signal-bus';
import { bearer, createKey } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/ws-client';

describe('API key cache across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({}, a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('serves a seen key from the cache: a revoke written behind the service\'s back is not seen at once', async () => {
    // Proves the cache is used: with the row deleted behind the service's back, the cached key still works...
    const { id, key } = await createKey(a, 'viewer');
    await a.http().get('/api/v1/sites').set(bearer(key)).expect(200);
    await a.dataSource.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
    await a.http().get('/api/v1/sites').set(bearer(key)).expect(200);
    // ...while an instance that never saw it asks the database and refuses it.
    await b.http().get('/api/v1/sites').set(bearer(key)).expect(401);
  });

  it('refuses a revoked key on the revoking instance at once and on the other within 1 s', async () => {
    const { id, key } = await createKey(a, 'viewer');
    await a.http().get('/api/v1/sites').set(bearer(key)).expect(200);
    await b.http().get('/api/v1/sites').set(bearer(key)).expect(200);
    await a.http().delete(`/api/v1/api-keys/${id}`).set(bearer(a.adminKey)).expect(204);
    await a.http().get('/api/v1/sites').set(bearer(key)).expect(401);
    await eventually(async () => (await b.http().get('/api/v1/sites').set(bearer(key))).status === 401, 1000, 20);
  });

  it('forgets every cached key when the signal connection comes back', async () => {
    const { id, key } = await createKey(a, 'viewer');
    await b.http().get('/api/v1/sites').set(bearer(key)).expect(200);
    // Revoke behind B's back (no signal), then cut B's listener: the resync must drop the cache.
    await a.dataSource.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
    await b.http().get('/api/v1/sites').set(bearer(key)).expect(200);
    const bus = b.app.get(SignalBus);
    const pid = await bus.listenerPid();
    await a.dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    await eventually(async () => (await b.http().get('/api/v1/sites').set(bearer(key))).status === 401, 5000);
  });
});
