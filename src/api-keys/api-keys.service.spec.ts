import type { ApiKey } from '../auth/api-key.entity';
import type { ApiKeysRepository } from '../auth/api-keys.repository';
import type { AuthContext } from '../auth/auth-context';
import type { AuthService } from '../auth/auth.service';
import { hashKey, USER_KEY_PREFIX } from '../auth/key-hash';
import { ApiError } from '../common/api-error';
import type { SitesService } from '../sites/sites.service';
import { ApiKeysService } from './api-keys.service';

const ORG = 'org-1';
const orgWide: AuthContext = { orgId: ORG, keyId: 'admin', role: 'admin', siteIds: null };
const scopedToA: AuthContext = { orgId: ORG, keyId: 'admin-a', role: 'admin', siteIds: ['site-a'] };

function key(siteIds: string[] | null, id = 'key-9'): ApiKey {
  return { id, orgId: ORG, name: 'cam ops', role: 'viewer', siteIds, keyHash: 'h', revokedAt: null, createdAt: new Date('2026-04-21T14:00:00Z') } as ApiKey;
}

function setup(found: ApiKey | null = key(['site-a'])) {
  const keys = {
    create: jest.fn(async (fields: Partial<ApiKey>) => ({ ...key(fields.siteIds ?? null), ...fields }) as ApiKey),
    listActive: jest.fn(async () => [[key(null)], 1] as [ApiKey[], number]),
    findActive: jest.fn(async () => found),
    revoke: jest.fn(async () => undefined),
  };
  const sites = { requireWritableSites: jest.fn(async () => undefined) };
  const auth = { revoked: jest.fn(async () => undefined) };
  const service = new ApiKeysService(keys as unknown as ApiKeysRepository, sites as unknown as SitesService, auth as unknown as AuthService);
  return { service, keys, sites, auth };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

describe('ApiKeysService', () => {
  describe('create', () => {
    it('answers the clear key once and stores only its SHA-256', async () => {
      const { service, keys } = setup();
      const created = await service.create(orgWide, { name: 'cam ops', role: 'viewer' });
      expect(created.key.startsWith(USER_KEY_PREFIX)).toBe(true);
      const stored = keys.create.mock.calls[0][0];
      expect(stored).toEqual({ orgId: ORG, name: 'cam ops', role: 'viewer', siteIds: null, keyHash: hashKey(created.key) });
      expect(JSON.stringify(stored)).not.toContain(created.key);
      expect(created.created_at).toBe('2026-04-21T14:00:00Z');
    });

    it('refuses an org-wide key asked for by a site-scoped admin (403) before any write', async () => {
      const { service, keys } = setup();
      const e = await apiError(service.create(scopedToA, { name: 'x', role: 'viewer' }));
      expect(e.code).toBe('forbidden');
      expect(keys.create).not.toHaveBeenCalled();
    });

    it('checks every named site against the caller before creating a scoped key', async () => {
      const { service, sites, keys } = setup();
      sites.requireWritableSites.mockRejectedValueOnce(ApiError.forbidden('site-b'));
      const e = await apiError(service.create(scopedToA, { name: 'x', role: 'viewer', site_ids: ['site-a', 'site-b'] }));
      expect(e.code).toBe('forbidden');
      expect(sites.requireWritableSites).toHaveBeenCalledWith(scopedToA, ['site-a', 'site-b'], 'site_ids');
      expect(keys.create).not.toHaveBeenCalled();
    });
  });

  it('lists the active keys of the caller org within its sites, with the page asked for', async () => {
    const { service, keys } = setup();
    const page = await service.list(scopedToA, { limit: 10, offset: 30 });
    expect(keys.listActive).toHaveBeenCalledWith(ORG, ['site-a'], 10, 30);
    expect(page).toEqual({ data: [{ id: 'key-9', name: 'cam ops', role: 'viewer', site_ids: null, created_at: '2026-04-21T14:00:00Z' }], total: 1 });
  });

  describe('revoke', () => {
    it('revokes a key of the org and evicts it everywhere', async () => {
      const { service, keys, auth } = setup();
      await service.revoke(scopedToA, 'key-9');
      expect(keys.findActive).toHaveBeenCalledWith('key-9', ORG);
      expect(keys.revoke).toHaveBeenCalledWith('key-9');
      expect(auth.revoked).toHaveBeenCalledWith('key-9');
    });

    it('answers 404 for a key of another org or an already revoked one', async () => {
      const { service, keys } = setup(null);
      expect((await apiError(service.revoke(orgWide, 'key-9'))).code).toBe('not_found');
      expect(keys.revoke).not.toHaveBeenCalled();
    });

    it('answers 404, not 403, to a scoped admin for an org-wide key or one reaching other sites', async () => {
      for (const siteIds of [null, ['site-a', 'site-b']]) {
        const { service, keys } = setup(key(siteIds));
        expect((await apiError(service.revoke(scopedToA, 'key-9'))).code).toBe('not_found');
        expect(keys.revoke).not.toHaveBeenCalled();
      }
    });

    it('lets an org-wide admin revoke any key of the org', async () => {
      const { service, keys } = setup(key(null));
      await service.revoke(orgWide, 'key-9');
      expect(keys.revoke).toHaveBeenCalledWith('key-9');
    });
  });
});
