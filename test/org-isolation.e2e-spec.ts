import { bearer, createCamera, createKey, createSite } from './support/factories';
import { ProcessResult, runAdminCli } from './support/cli';
import { expectErrorBody, UUID_RE } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

/** What one org owns, as seen through its own admin key. */
interface OrgWorld {
  name: string;
  adminKey: string;
  siteId: string;
  extraSiteId: string;
  cameraId: string;
  keyId: string;
}

describe('org isolation', () => {
  let t: TestApp;
  let first: OrgWorld;
  let second: OrgWorld;

  async function populate(name: string, adminKey: string, siteId: string): Promise<OrgWorld> {
    const extraSiteId = await createSite(t, `${name} extra`, adminKey);
    const cameraId = await createCamera(t, siteId, null, adminKey);
    const { id: keyId } = await createKey(t, 'viewer', null, adminKey);
    return { name, adminKey, siteId, extraSiteId, cameraId, keyId };
  }

  beforeAll(async () => {
    t = await startTestApp();
    const cli = await runAdminCli(['org', 'create', '--name', 'Second'], t.databaseUrl);
    if (cli.code !== 0) throw new Error(`admin CLI exited ${cli.code}: ${cli.stderr}`);
    const lines = cli.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0]);
    expect(Object.keys(created).sort()).toEqual(['api_key', 'org_id', 'site_id']);
    expect(created.org_id).toMatch(UUID_RE);
    expect(created.site_id).toMatch(UUID_RE);
    expect(created.api_key).toMatch(/^sk_live_[A-Za-z0-9_-]{16,}$/);
    expect(created.org_id).not.toBe(t.orgId);
    first = await populate('First', t.adminKey, t.siteId);
    second = await populate('Second', created.api_key, created.site_id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the CLI made a real org named Second with its site and a working admin key', async () => {
    const [org] = await t.dataSource.query('SELECT name FROM orgs WHERE id = (SELECT org_id FROM sites WHERE id = $1)', [second.siteId]);
    expect(org).toEqual({ name: 'Second' });
    const sites = await t.http().get('/api/v1/sites').set(bearer(second.adminKey)).expect(200);
    expect(sites.body.data.map((s: { id: string }) => s.id).sort()).toEqual([second.siteId, second.extraSiteId].sort());
  });

  // The same checks in both directions: `me` must not see or touch anything of `other`.
  const directions: [string, () => OrgWorld, () => OrgWorld][] = [
    ['Second cannot reach First', () => second, () => first],
    ['First cannot reach Second', () => first, () => second],
  ];

  describe.each(directions)('%s', (_label, getMe, getOther) => {
    const me = () => getMe();
    const other = () => getOther();

    it('lists contain none of the other org’s objects', async () => {
      const sites = await t.http().get('/api/v1/sites?limit=1000').set(bearer(me().adminKey)).expect(200);
      const siteIds = sites.body.data.map((s: { id: string }) => s.id);
      expect(siteIds).toContain(me().siteId);
      expect(siteIds).not.toContain(other().siteId);
      expect(siteIds).not.toContain(other().extraSiteId);
      expect(sites.body.total).toBe(2);

      const cams = await t.http().get('/api/v1/cameras?limit=1000').set(bearer(me().adminKey)).expect(200);
      const camIds = cams.body.data.map((c: { id: string }) => c.id);
      expect(camIds).toContain(me().cameraId);
      expect(camIds).not.toContain(other().cameraId);

      const filtered = await t.http().get(`/api/v1/cameras?site_id=${other().siteId}`).set(bearer(me().adminKey)).expect(200);
      expect(filtered.body).toEqual({ data: [], total: 0 });

      const keys = await t.http().get('/api/v1/api-keys?limit=1000').set(bearer(me().adminKey)).expect(200);
      const keyIds = keys.body.data.map((k: { id: string }) => k.id);
      expect(keyIds).toContain(me().keyId);
      expect(keyIds).not.toContain(other().keyId);
    });

    it('GET/PATCH/DELETE of the other org’s camera is 404 and leaves it intact', async () => {
      const id = other().cameraId;
      expectErrorBody(await t.http().get(`/api/v1/cameras/${id}`).set(bearer(me().adminKey)), 404, 'not_found');
      expectErrorBody(await t.http().patch(`/api/v1/cameras/${id}`).set(bearer(me().adminKey)).send({ name: 'Stolen' }), 404, 'not_found');
      expectErrorBody(
        await t.http().patch(`/api/v1/cameras/${id}`).set(bearer(me().adminKey)).send({ site_id: me().siteId }),
        404,
        'not_found',
      );
      expectErrorBody(await t.http().delete(`/api/v1/cameras/${id}`).set(bearer(me().adminKey)), 404, 'not_found');
      const still = await t.http().get(`/api/v1/cameras/${id}`).set(bearer(other().adminKey)).expect(200);
      expect(still.body).toMatchObject({ name: 'Camera', site_id: other().siteId });
    });

    it('DELETE of the other org’s api-key is 404 and the key keeps working', async () => {
      const victim = await createKey(t, 'viewer', null, other().adminKey);
      expectErrorBody(await t.http().delete(`/api/v1/api-keys/${victim.id}`).set(bearer(me().adminKey)), 404, 'not_found');
      expectErrorBody(await t.http().delete(`/api/v1/api-keys/${other().keyId}`).set(bearer(me().adminKey)), 404, 'not_found');
      await t.http().get('/api/v1/sites').set(bearer(victim.key)).expect(200);
    });

    it('a body naming the other org’s site is 400 validation_error', async () => {
      const post = await t.http().post('/api/v1/cameras').set(bearer(me().adminKey)).send({ name: 'X', site_id: other().siteId });
      expectErrorBody(post, 400, 'validation_error');
      expect(post.body.details).toEqual([expect.objectContaining({ field: 'site_id' })]);
      const patch = await t.http().patch(`/api/v1/cameras/${me().cameraId}`).set(bearer(me().adminKey)).send({ site_id: other().siteId });
      expectErrorBody(patch, 400, 'validation_error');
      const key = await t.http().post('/api/v1/api-keys').set(bearer(me().adminKey)).send({ name: 'x', role: 'viewer', site_ids: [other().siteId] });
      expectErrorBody(key, 400, 'validation_error');
      expect(key.body.details).toEqual([expect.objectContaining({ field: 'site_ids' })]);
      const other_cams = await t.http().get(`/api/v1/cameras?site_id=${other().siteId}`).set(bearer(other().adminKey)).expect(200);
      expect(other_cams.body.data.map((c: { id: string }) => c.id)).toEqual([other().cameraId]);
    });
  });

  describe('admin CLI usage errors', () => {
    const bad: [string, string[]][] = [
      ['no arguments', []],
      ['an unknown verb', ['org', 'delete', '--name', 'X']],
      ['an unknown noun', ['site', 'create', '--name', 'X']],
      ['a missing --name', ['org', 'create']],
      ['an empty --name', ['org', 'create', '--name', '  ']],
      ['an unknown option', ['org', 'create', '--name', 'X', '--colour', 'red']],
      ['a stray positional', ['org', 'create', '--name', 'X', 'extra']],
    ];

    // Each run costs a ts-node start-up; they run side by side and are checked one by one.
    const results = new Map<string, ProcessResult>();
    let orgsBefore: number;
    beforeAll(async () => {
      [{ count: orgsBefore }] = await t.dataSource.query('SELECT count(*)::int AS count FROM orgs');
      const runs = await Promise.all(bad.map(([, args]) => runAdminCli(args, t.databaseUrl)));
      bad.forEach(([label], i) => results.set(label, runs[i]));
    });

    it.each(bad)('%s: non-zero exit, usage on stderr, nothing on stdout', (label) => {
      const res = results.get(label)!;
      expect(res.code).not.toBe(0);
      expect(res.code).not.toBeNull();
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(/usage|--name|--site-name/i);
    });

    it('no usage error made an org', async () => {
      const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM orgs');
      expect(count).toBe(orgsBefore);
    });
  });
});
