import type { AuthContext } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import type { GatewaysService } from '../gateways/gateways.service';
import type { SitesService } from '../sites/sites.service';
import type { Camera } from './camera.entity';
import type { CamerasRepository } from './cameras.repository';
import { Transactions } from '../database/transactions';
import { CameraConfigSections } from './camera-config-sections';
import { CamerasService } from './cameras.service';

const ORG = 'org-1';
const orgWide: AuthContext = { orgId: ORG, keyId: 'k', role: 'operator', siteIds: null };
const scopedToA: AuthContext = { orgId: ORG, keyId: 'k-a', role: 'operator', siteIds: ['site-a'] };

function camera(overrides: Partial<Camera> = {}): Camera {
  return { id: 'cam-1', orgId: ORG, siteId: 'site-a', gatewayId: 'gw-1', name: 'Dock 1', createdAt: new Date('2026-04-21T14:00:00Z'), ...overrides } as Camera;
}

const foreignKeyViolation = Object.assign(new Error('insert or update violates foreign key'), { driverError: { code: '23503' } });

function setup(found: Camera | null = camera()) {
  const cameras = {
    create: jest.fn(async (fields: Partial<Camera>) => camera(fields)),
    list: jest.fn(async () => [[camera()], 1] as [Camera[], number]),
    findInOrg: jest.fn(async () => found && { ...found }),
    lockInOrg: jest.fn(async () => found && { ...found }),
    update: jest.fn(async () => undefined),
    delete: jest.fn(async () => undefined),
  };
  const gateways = { requireWritableGateway: jest.fn(async () => undefined) };
  const sites = { requireWritableSite: jest.fn(async () => undefined) };
  // A transaction that runs its work with a stand-in manager; the sections record what moved.
  const transactions = { run: jest.fn(async (work: (m: unknown) => Promise<unknown>) => work({})) };
  const sections = { moved: jest.fn(async () => undefined) };
  const service = new CamerasService(
    cameras as unknown as CamerasRepository,
    gateways as unknown as GatewaysService,
    sites as unknown as SitesService,
    transactions as unknown as Transactions,
    sections as unknown as CameraConfigSections,
  );
  return { service, cameras, gateways, sites, sections };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

describe('CamerasService', () => {
  describe('create', () => {
    it('checks the site and the gateway against the caller, then writes', async () => {
      const { service, cameras, gateways, sites } = setup();
      const created = await service.create(scopedToA, { name: 'Dock 1', site_id: 'site-a', gateway_id: 'gw-1' });
      expect(sites.requireWritableSite).toHaveBeenCalledWith(scopedToA, 'site-a');
      expect(gateways.requireWritableGateway).toHaveBeenCalledWith(scopedToA, 'gw-1');
      expect(cameras.create).toHaveBeenCalledWith({ orgId: ORG, siteId: 'site-a', gatewayId: 'gw-1', name: 'Dock 1' });
      expect(created).toEqual({ id: 'cam-1', name: 'Dock 1', site_id: 'site-a', gateway_id: 'gw-1', created_at: '2026-04-21T14:00:00Z' });
    });

    it('writes nothing when the site check refuses', async () => {
      const { service, cameras, sites } = setup();
      sites.requireWritableSite.mockRejectedValueOnce(ApiError.forbidden());
      expect((await apiError(service.create(scopedToA, { name: 'x', site_id: 'site-b' }))).code).toBe('forbidden');
      expect(cameras.create).not.toHaveBeenCalled();
    });

    it('answers 400 when the gateway or site was deleted between the check and the write', async () => {
      const { service, cameras } = setup();
      cameras.create.mockRejectedValueOnce(foreignKeyViolation);
      const e = await apiError(service.create(orgWide, { name: 'x', site_id: 'site-a', gateway_id: 'gw-1' }));
      expect(e.code).toBe('validation_error');
      expect(e.details?.[0].field).toBe('gateway_id');
    });
  });

  describe('list', () => {
    it('answers an empty page for a site the key cannot see, without a query', async () => {
      const { service, cameras } = setup();
      await expect(service.list(scopedToA, { site_id: 'site-b', limit: 100, offset: 0 })).resolves.toEqual({ data: [], total: 0 });
      expect(cameras.list).not.toHaveBeenCalled();
    });

    it('narrows to the key sites, or to the site asked for', async () => {
      const { service, cameras } = setup();
      await service.list(scopedToA, { gateway_id: 'gw-1', limit: 5, offset: 10 });
      expect(cameras.list).toHaveBeenLastCalledWith({ orgId: ORG, siteIds: ['site-a'], gatewayId: 'gw-1', limit: 5, offset: 10 });
      await service.list(orgWide, { site_id: 'site-c', limit: 100, offset: 0 });
      expect(cameras.list).toHaveBeenLastCalledWith({ orgId: ORG, siteIds: ['site-c'], gatewayId: undefined, limit: 100, offset: 0 });
    });
  });

  describe('a camera outside the caller reach does not exist', () => {
    it('404 for another org camera (the repository finds none in the org)', async () => {
      const { service, cameras } = setup(null);
      expect((await apiError(service.get(orgWide, 'cam-1'))).code).toBe('not_found');
      expect(cameras.findInOrg).toHaveBeenCalledWith('cam-1', ORG);
    });

    it('404 for a camera of a site the key cannot see, on read, update and delete', async () => {
      const { service, cameras } = setup(camera({ siteId: 'site-b' }));
      expect((await apiError(service.get(scopedToA, 'cam-1'))).code).toBe('not_found');
      expect((await apiError(service.update(scopedToA, 'cam-1', { name: 'y' }))).code).toBe('not_found');
      expect((await apiError(service.delete(scopedToA, 'cam-1'))).code).toBe('not_found');
      expect(cameras.update).not.toHaveBeenCalled();
      expect(cameras.delete).not.toHaveBeenCalled();
    });
  });

  describe('update', () => {
    it('refuses an update naming no field (400) before reading the camera', async () => {
      const { service, cameras } = setup();
      expect((await apiError(service.update(orgWide, 'cam-1', {}))).code).toBe('validation_error');
      expect(cameras.findInOrg).not.toHaveBeenCalled();
    });

    it('unbinds with gateway_id null without a gateway check, and keeps the other fields', async () => {
      const { service, cameras, gateways } = setup();
      const updated = await service.update(orgWide, 'cam-1', { gateway_id: null });
      expect(gateways.requireWritableGateway).not.toHaveBeenCalled();
      expect(cameras.update).toHaveBeenCalledWith('cam-1', ORG, { name: 'Dock 1', siteId: 'site-a', gatewayId: null }, expect.anything());
      expect(updated.gateway_id).toBeNull();
    });

    it('checks a new site and a new gateway before moving the camera', async () => {
      const { service, cameras, gateways, sites } = setup();
      gateways.requireWritableGateway.mockRejectedValueOnce(ApiError.forbidden());
      expect((await apiError(service.update(scopedToA, 'cam-1', { site_id: 'site-a', gateway_id: 'gw-2' }))).code).toBe('forbidden');
      expect(sites.requireWritableSite).toHaveBeenCalledWith(scopedToA, 'site-a');
      expect(cameras.update).not.toHaveBeenCalled();
    });
  });

  it('deletes a visible camera within the caller org only', async () => {
    const { service, cameras } = setup();
    await service.delete(orgWide, 'cam-1');
    expect(cameras.delete).toHaveBeenCalledWith('cam-1', ORG, expect.anything());
  });

  it('moves the camera\'s configuration section with it when its gateway changes, and not otherwise', async () => {
    const { service, sections } = setup(camera({ gatewayId: 'gw-a' }));
    await service.update(orgWide, 'cam-1', { name: 'Renamed' });
    expect(sections.moved).not.toHaveBeenCalled();
    await service.update(orgWide, 'cam-1', { gateway_id: 'gw-b' });
    expect(sections.moved).toHaveBeenCalledWith('cam-1', 'gw-a', 'gw-b', expect.objectContaining({ actor: expect.any(Object) }), expect.anything());
    await service.delete(orgWide, 'cam-1');
    expect(sections.moved).toHaveBeenLastCalledWith('cam-1', 'gw-a', null, expect.any(Object), expect.anything());
  });
});
