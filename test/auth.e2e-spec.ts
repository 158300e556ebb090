import { Controller, Get } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Public } from '../src/auth/authenticated.decorator';
import { ROLES } from '../src/auth/roles';
import { GATEWAY_KEY_PREFIX, newKey, USER_KEY_PREFIX } from '../src/auth/key-hash';
import { bearer, createKey } from './support/factories';
import { expectErrorBody } from './support/http';
import { discoverRoutes, expressRoutes, isValidRequirement } from './support/routes';
import { startTestApp, TestApp } from './support/test-app';

/** Routes the product contract makes public; every other route needs a key. */
const PUBLIC_ROUTES = ['GET /healthz', 'GET /readyz', 'POST /api/v1/gateways/pair'];
/** Routes served by Swagger UI rather than by a controller: GET only, under /docs. */
const SWAGGER_UI_ROUTE = /^GET \/docs(\/|$)/;

describe('authentication and authorization', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('every route declares who may call it', () => {
    it('finds every route Express serves through Nest metadata', () => {
      const discovered = discoverRoutes(t.app).map((r) => r.route);
      // Swagger UI (SwaggerModule.setup) is mounted on Express directly, outside Nest's
      // controllers and guard; it is public by design and confined to /docs.
      const served = expressRoutes(t.app).filter((r) => !SWAGGER_UI_ROUTE.test(r));
      // The walk is only as good as its coverage: it must see exactly what Express serves.
      expect(discovered.length).toBeGreaterThanOrEqual(10);
      expect([...discovered].sort()).toEqual([...served].sort());
      expect(new Set(discovered).size).toBe(discovered.length);
      for (const r of ['POST /api/v1/sites', 'DELETE /api/v1/api-keys/:id', 'PATCH /api/v1/cameras/:id', 'GET /healthz']) {
        expect(discovered).toContain(r);
      }
    });

    it('has @Authenticated({role}) or @Public() on every route', () => {
      const routes = discoverRoutes(t.app);
      expect(routes.length).toBeGreaterThanOrEqual(10);
      const undeclared = routes.filter((r) => !isValidRequirement(r.auth, ROLES)).map((r) => `${r.route} (${r.controller}.${r.handler})`);
      expect(undeclared).toEqual([]);
    });

    it('makes public only the routes the contract makes public', () => {
      const pub = discoverRoutes(t.app).filter((r) => r.auth?.public === true).map((r) => r.route);
      expect(pub.sort()).toEqual([...PUBLIC_ROUTES].sort());
    });

    it('flags a controller method that forgot its decorator (the walk can fail)', async () => {
      @Controller('probe')
      class ProbeController {
        @Get('open') @Public() open(): string {
          return 'x';
        }
        @Get('forgotten') forgotten(): string {
          return 'x';
        }
      }
      const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
      const probe = moduleRef.createNestApplication({ logger: false });
      await probe.init();
      try {
        const routes = discoverRoutes(probe);
        expect(routes.map((r) => r.route).sort()).toEqual(['GET /probe/forgotten', 'GET /probe/open']);
        expect(expressRoutes(probe).sort()).toEqual(['GET /probe/forgotten', 'GET /probe/open']);
        expect(routes.filter((r) => !isValidRequirement(r.auth, ROLES)).map((r) => r.route)).toEqual(['GET /probe/forgotten']);
      } finally {
        await probe.close();
      }
    });
  });

  describe('401 auth_required', () => {
    const refused: [string, Record<string, string>][] = [
      ['no Authorization header', {}],
      ['a Basic header', { Authorization: 'Basic x' }],
      ['"Bearer" alone', { Authorization: 'Bearer' }],
      ['"Bearer " with an empty token', { Authorization: 'Bearer ' }],
      ['an unknown sk_live_ key', bearer(newKey(USER_KEY_PREFIX))],
      ['a gateway (gw_) key', bearer(newKey(GATEWAY_KEY_PREFIX))],
      ['a key without the sk_live_ prefix', bearer('not_a_key_at_all_0123456789')],
    ];

    it.each(refused)('refuses %s on a viewer route', async (_label, headers) => {
      const res = await t.http().get('/api/v1/sites').set(headers);
      expectErrorBody(res, 401, 'auth_required');
    });

    it.each(refused)('refuses %s on an admin write route, before validating the body', async (_label, headers) => {
      const res = await t.http().post('/api/v1/api-keys').set(headers).send({ name: 'x', role: 'admin' });
      expectErrorBody(res, 401, 'auth_required');
    });

    it('refuses a valid key whose last character was changed', async () => {
      const { key } = await createKey(t, 'admin');
      const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
      expectErrorBody(await t.http().get('/api/v1/sites').set(bearer(tampered)), 401, 'auth_required');
      await t.http().get('/api/v1/sites').set(bearer(key)).expect(200);
    });

    it('refuses a revoked key on the very next request, on every route', async () => {
      const { id, key } = await createKey(t, 'admin');
      await t.http().get('/api/v1/api-keys').set(bearer(key)).expect(200);
      await t.http().delete(`/api/v1/api-keys/${id}`).set(bearer(t.adminKey)).expect(204);
      expectErrorBody(await t.http().get('/api/v1/api-keys').set(bearer(key)), 401, 'auth_required');
      expectErrorBody(await t.http().get('/api/v1/sites').set(bearer(key)), 401, 'auth_required');
      expectErrorBody(await t.http().post('/api/v1/sites').set(bearer(key)).send({ name: 'x' }), 401, 'auth_required');
      // And it no longer appears among the org's keys.
      const list = await t.http().get('/api/v1/api-keys').set(bearer(t.adminKey)).expect(200);
      expect(list.body.data.map((k: { id: string }) => k.id)).not.toContain(id);
    });

    it('a key that revokes itself is refused afterwards', async () => {
      const { id, key } = await createKey(t, 'admin');
      await t.http().delete(`/api/v1/api-keys/${id}`).set(bearer(key)).expect(204);
      expectErrorBody(await t.http().get('/api/v1/sites').set(bearer(key)), 401, 'auth_required');
    });

    it('does not require a key on public routes', async () => {
      await t.http().get('/healthz').expect(200);
      await t.http().get('/readyz').expect(200);
    });
  });

  describe('403 forbidden when the role is too low', () => {
    it('refuses a viewer on operator and admin routes', async () => {
      const { key } = await createKey(t, 'viewer');
      expectErrorBody(await t.http().post('/api/v1/cameras').set(bearer(key)).send({ name: 'c', site_id: t.siteId }), 403, 'forbidden');
      expectErrorBody(await t.http().post('/api/v1/sites').set(bearer(key)).send({ name: 's' }), 403, 'forbidden');
      expectErrorBody(await t.http().get('/api/v1/api-keys').set(bearer(key)), 403, 'forbidden');
    });

    it('refuses an operator on admin routes and creates nothing', async () => {
      const { key } = await createKey(t, 'operator');
      const before = await t.http().get('/api/v1/sites').set(bearer(t.adminKey)).expect(200);
      expectErrorBody(await t.http().post('/api/v1/sites').set(bearer(key)).send({ name: 'nope' }), 403, 'forbidden');
      expectErrorBody(await t.http().post('/api/v1/api-keys').set(bearer(key)).send({ name: 'k', role: 'viewer' }), 403, 'forbidden');
      const after = await t.http().get('/api/v1/sites').set(bearer(t.adminKey)).expect(200);
      expect(after.body.total).toBe(before.body.total);
    });

    it('checks the role before looking at the target (no existence oracle)', async () => {
      const { key } = await createKey(t, 'operator');
      const missing = await t.http().delete(`/api/v1/api-keys/00000000-0000-4000-8000-000000000000`).set(bearer(key));
      expectErrorBody(missing, 403, 'forbidden');
    });
  });
});
