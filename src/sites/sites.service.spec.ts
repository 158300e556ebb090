import type { AuthContext } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import type { Site } from './site.entity';
import type { SitesRepository } from './sites.repository';
import { SitesService } from './sites.service';

const ORG = 'org-1';
const orgWide: AuthContext = { orgId: ORG, keyId: 'key-1', role: 'admin', siteIds: null };
const scoped: AuthContext = { orgId: ORG, keyId: 'key-2', role: 'admin', siteIds: ['site-a'] };

function site(id: string, name = 'Warehouse'): Site {
  return { id, orgId: ORG, name, createdAt: new Date('2026-02-01T09:00:00.456Z') } as Site;
}

function setup() {
  const sites = {
    create: jest.fn(async (_org: string, name: string) => site('site-new', name)),
    list: jest.fn(async (): Promise<[Site[], number]> => [[site('site-a')], 7]),
    findInOrg: jest.fn(async (id: string): Promise<Site | null> => site(id)),
    existingIds: jest.fn(async (_org: string, ids: string[]) => new Set(ids)),
  };
  return { service: new SitesService(sites as unknown as SitesRepository), sites };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

describe('SitesService', () => {
  it('an org-wide key creates a site in its org', async () => {
    const { service, sites } = setup();
    await expect(service.create(orgWide, { name: 'Dock' })).resolves.toEqual({ id: 'site-new', name: 'Dock', created_at: '2026-02-01T09:00:00Z' });
    expect(sites.create).toHaveBeenCalledWith(ORG, 'Dock');
  });

  it('a site-scoped key cannot create sites, and nothing is written', async () => {
    const { service, sites } = setup();
    const e = await apiError(service.create(scoped, { name: 'Dock' }));
    expect(e.code).toBe('forbidden');
    expect(sites.create).not.toHaveBeenCalled();
  });

  it('lists only the sites of a scoped key, paged', async () => {
    const { service, sites } = setup();
    const page = await service.list(scoped, { limit: 5, offset: 10 });
    expect(sites.list).toHaveBeenCalledWith(ORG, ['site-a'], 5, 10);
    expect(page).toEqual({ data: [{ id: 'site-a', name: 'Warehouse', created_at: '2026-02-01T09:00:00Z' }], total: 7 });
    await service.list(orgWide, { limit: 100, offset: 0 });
    expect(sites.list).toHaveBeenLastCalledWith(ORG, null, 100, 0);
  });

  describe('requireWritableSite', () => {
    it('is a validation_error (400) naming the field for a site not of the org', async () => {
      const { service, sites } = setup();
      sites.findInOrg.mockResolvedValueOnce(null);
      const e = await apiError(service.requireWritableSite(orgWide, 'site-x', 'target_site'));
      expect(e.code).toBe('validation_error');
      expect(e.getStatus()).toBe(400);
      expect(e.details).toEqual([{ field: 'target_site', message: 'must exist in your org' }]);
      expect(sites.findInOrg).toHaveBeenCalledWith('site-x', ORG, undefined);
    });

    it('is forbidden (403) for a site of the org outside the key sites', async () => {
      const { service } = setup();
      const e = await apiError(service.requireWritableSite(scoped, 'site-b'));
      expect(e.code).toBe('forbidden');
      expect(e.getStatus()).toBe(403);
    });

    it('passes for a visible site, reading inside the given transaction', async () => {
      const { service, sites } = setup();
      const manager = { tx: 1 } as never;
      await expect(service.requireWritableSite(scoped, 'site-a', 'site_id', manager)).resolves.toBeUndefined();
      expect(sites.findInOrg).toHaveBeenCalledWith('site-a', ORG, manager);
      await expect(service.requireWritableSite(orgWide, 'site-b')).resolves.toBeUndefined();
    });
  });

  describe('requireWritableSites', () => {
    it('asks once per distinct id', async () => {
      const { service, sites } = setup();
      await service.requireWritableSites(orgWide, ['s1', 's2', 's1'], 'site_ids');
      expect(sites.existingIds).toHaveBeenCalledWith(ORG, ['s1', 's2']);
    });

    it('is a validation_error with one detail per site not of the org (checked before scope)', async () => {
      const { service, sites } = setup();
      sites.existingIds.mockResolvedValueOnce(new Set(['site-a']));
      const e = await apiError(service.requireWritableSites(scoped, ['site-a', 'x', 'y'], 'site_ids'));
      expect(e.code).toBe('validation_error');
      expect(e.details).toEqual([
        { field: 'site_ids', message: 'x is not a site of your org' },
        { field: 'site_ids', message: 'y is not a site of your org' },
      ]);
    });

    it('is forbidden when a scoped key names a site outside its own', async () => {
      const { service } = setup();
      const e = await apiError(service.requireWritableSites(scoped, ['site-a', 'site-b'], 'site_ids'));
      expect(e.code).toBe('forbidden');
      expect(e.message).toContain('site-b');
      expect(e.message).not.toContain('site-a');
    });

    it('passes for sites within the key', async () => {
      const { service } = setup();
      await expect(service.requireWritableSites(scoped, ['site-a'], 'site_ids')).resolves.toBeUndefined();
      await expect(service.requireWritableSites(orgWide, ['site-a', 'site-b'], 'site_ids')).resolves.toBeUndefined();
    });
  });
});
