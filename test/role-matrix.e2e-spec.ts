import type { Role } from '../src/auth/roles';
import { bearer, createCamera, createKey } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Every route of sites, api-keys and cameras, and the v1.2 reads (events, availability, recording
 * coverage), called by a viewer, an operator and an admin key
 * (all org-wide). Each call is valid, so the status depends on the role alone.
 */
type Outcome = { status: number; body: any; check?: () => Promise<boolean> };

interface Case {
  route: string;
  minRole: Role;
  success: number;
  /**
   * Makes the request on objects of its own (a new camera or key each time) and returns a
   * check that the database reflects the outcome: changed on success, untouched on 403.
   */
  call(t: TestApp, key: string): Promise<Outcome>;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

async function countOf(t: TestApp, path: string): Promise<number> {
  return (await t.http().get(path).set(bearer(t.adminKey)).expect(200)).body.total;
}

const countSites = (t: TestApp) => countOf(t, '/api/v1/sites');

async function cameraExists(t: TestApp, id: string): Promise<boolean> {
  const res = await t.http().get(`/api/v1/cameras/${id}`).set(bearer(t.adminKey));
  return res.status === 200;
}

async function keyActive(t: TestApp, id: string): Promise<boolean> {
  const res = await t.http().get('/api/v1/api-keys?limit=1000').set(bearer(t.adminKey)).expect(200);
  return res.body.data.some((k: { id: string }) => k.id === id);
}

const CASES: Case[] = [
  {
    route: 'POST /api/v1/sites',
    minRole: 'admin',
    success: 201,
    async call(t, key) {
      const before = await countSites(t);
      const res = await t.http().post('/api/v1/sites').set(bearer(key)).send({ name: 'Matrix site' });
      return { status: res.status, body: res.body, check: async () => (await countSites(t)) === before + (res.status === 201 ? 1 : 0) };
    },
  },
  {
    route: 'GET /api/v1/sites',
    minRole: 'viewer',
    success: 200,
    call: (t, key) => t.http().get('/api/v1/sites').set(bearer(key)),
  },
  {
    route: 'POST /api/v1/api-keys',
    minRole: 'admin',
    success: 201,
    async call(t, key) {
      const before = await countOf(t, '/api/v1/api-keys');
      const res = await t.http().post('/api/v1/api-keys').set(bearer(key)).send({ name: 'Matrix key', role: 'viewer' });
      const check = async () =>
        res.status === 201
          ? res.body.key.startsWith('sk_live_') && (await keyActive(t, res.body.id))
          : (await countOf(t, '/api/v1/api-keys')) === before;
      return { status: res.status, body: res.body, check };
    },
  },
  {
    route: 'GET /api/v1/api-keys',
    minRole: 'admin',
    success: 200,
    call: (t, key) => t.http().get('/api/v1/api-keys').set(bearer(key)),
  },
  {
    route: 'DELETE /api/v1/api-keys/:id',
    minRole: 'admin',
    success: 204,
    async call(t, key) {
      const target = await createKey(t, 'viewer');
      const res = await t.http().delete(`/api/v1/api-keys/${target.id}`).set(bearer(key));
      return { status: res.status, body: res.body, check: async () => (await keyActive(t, target.id)) === (res.status !== 204) };
    },
  },
  {
    route: 'POST /api/v1/cameras',
    minRole: 'operator',
    success: 201,
    async call(t, key) {
      const before = await countOf(t, '/api/v1/cameras');
      const res = await t.http().post('/api/v1/cameras').set(bearer(key)).send({ name: 'Matrix cam', site_id: t.siteId });
      const check = async () =>
        res.status === 201 ? await cameraExists(t, res.body.id) : (await countOf(t, '/api/v1/cameras')) === before;
      return { status: res.status, body: res.body, check };
    },
  },
  {
    route: 'GET /api/v1/cameras',
    minRole: 'viewer',
    success: 200,
    call: (t, key) => t.http().get('/api/v1/cameras').set(bearer(key)),
  },
  {
    route: 'GET /api/v1/cameras/:id',
    minRole: 'viewer',
    success: 200,
    async call(t, key) {
      const id = await createCamera(t, t.siteId);
      return t.http().get(`/api/v1/cameras/${id}`).set(bearer(key));
    },
  },
  {
    route: 'PATCH /api/v1/cameras/:id',
    minRole: 'operator',
    success: 200,
    async call(t, key) {
      const id = await createCamera(t, t.siteId);
      const res = await t.http().patch(`/api/v1/cameras/${id}`).set(bearer(key)).send({ name: 'Renamed' });
      const check = async () => {
        const now = await t.http().get(`/api/v1/cameras/${id}`).set(bearer(t.adminKey)).expect(200);
        return now.body.name === (res.status === 200 ? 'Renamed' : 'Camera');
      };
      return { status: res.status, body: res.body, check };
    },
  },
  {
    route: 'DELETE /api/v1/cameras/:id',
    minRole: 'operator',
    success: 204,
    async call(t, key) {
      const id = await createCamera(t, t.siteId);
      const res = await t.http().delete(`/api/v1/cameras/${id}`).set(bearer(key));
      return { status: res.status, body: res.body, check: async () => (await cameraExists(t, id)) === (res.status !== 204) };
    },
  },
  {
    route: 'GET /api/v1/events',
    minRole: 'viewer',
    success: 200,
    call: (t, key) => t.http().get('/api/v1/events').set(bearer(key)),
  },
  {
    route: 'GET /api/v1/gateways/:id/availability',
    minRole: 'viewer',
    success: 200,
    async call(t, key) {
      const [{ id }] = await t.dataSource.query(`INSERT INTO gateways (org_id, site_id, name) VALUES ($1, $2, 'Matrix gw') RETURNING id`, [t.orgId, t.siteId]);
      return t.http().get(`/api/v1/gateways/${id}/availability`).set(bearer(key));
    },
  },
  {
    route: 'GET /api/v1/cameras/:id/recording-coverage',
    minRole: 'viewer',
    success: 200,
    async call(t, key) {
      const id = await createCamera(t, t.siteId);
      return t.http().get(`/api/v1/cameras/${id}/recording-coverage`).set(bearer(key));
    },
  },
];

const ROWS: [string, Role, number, Case][] = CASES.flatMap((c) =>
  (['viewer', 'operator', 'admin'] as Role[]).map(
    (role): [string, Role, number, Case] => [c.route, role, RANK[role] >= RANK[c.minRole] ? c.success : 403, c],
  ),
);

describe('role matrix', () => {
  let t: TestApp;
  const keys = {} as Record<Role, string>;
  beforeAll(async () => {
    t = await startTestApp();
    for (const role of ['viewer', 'operator', 'admin'] as Role[]) keys[role] = (await createKey(t, role)).key;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('covers 13 routes x 3 roles', () => {
    expect(ROWS).toHaveLength(39);
    expect(ROWS.filter(([, , status]) => status === 403)).toHaveLength(11);
  });

  it.each(ROWS)('%s as %s → %i', async (_route, role, expected, c) => {
    const res = await c.call(t, keys[role]);
    if (res.status !== expected) throw new Error(`got ${res.status} ${JSON.stringify(res.body)}`);
    if (expected === 403) expect(res.body).toEqual({ error: 'forbidden', message: expect.any(String) });
    if (res.check) expect(await res.check()).toBe(true);
  });
});
