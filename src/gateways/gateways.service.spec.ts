import { ConsoleLogger, Logger } from '@nestjs/common';
import type { AuthContext } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import type { Transactions } from '../database/transactions';
import type { SignalBus } from '../signals/signal-bus';
import type { SitesService } from '../sites/sites.service';
import type { BoundCameras } from './bound-cameras';
import type { UpdateGatewayDto } from './dto/gateway.dto';
import { GATEWAY_STATUSES, type GatewayStatus } from './gateway.entity';
import type { GatewayRow } from './gateway.sql';
import type { GatewaysRepository } from './gateways.repository';
import { GatewaysService } from './gateways.service';
import type { PairingCodesRepository } from './pairing-codes.repository';
import { SETTABLE_STATUSES } from './transitions';

const ORG = 'org-1';
const SITE_A = 'site-a';
const SITE_B = 'site-b';
const GW = 'gw-1';
const orgWide: AuthContext = { orgId: ORG, keyId: 'key-1', role: 'admin', siteIds: null };
const scopedToA: AuthContext = { orgId: ORG, keyId: 'key-2', role: 'admin', siteIds: [SITE_A] };

function row(overrides: Partial<GatewayRow> = {}): GatewayRow {
  return {
    id: GW, org_id: ORG, site_id: SITE_A, name: 'Dock', status: 'offline', version: '1.0',
    local_ip: '10.0.0.2', last_heartbeat_at: null, created_at: '2026-01-01T00:00:00Z', ...overrides,
  };
}

function setup(locked: { status: GatewayStatus; siteId?: string } | null = { status: 'offline' }) {
  const manager = { tx: 'manager' };
  const transactions = { run: jest.fn((work: (m: unknown) => Promise<unknown>) => work(manager)) };
  const gateways = {
    list: jest.fn(async () => ({ rows: [row()], total: 1 })),
    lockForUpdate: jest.fn(async () => (locked ? { id: GW, orgId: ORG, siteId: locked.siteId ?? SITE_A, status: locked.status } : null)),
    findById: jest.fn(async (): Promise<GatewayRow | undefined> => row({ status: 'disabled' })),
    update: jest.fn(async () => undefined),
    delete: jest.fn(async () => undefined),
  };
  const codes = { deleteUnredeemedOf: jest.fn(async () => undefined) };
  const cameras = { countBoundTo: jest.fn(async () => 0) };
  const sites = { requireWritableSite: jest.fn(async () => undefined) };
  const bus = { publish: jest.fn(async () => undefined) };
  const service = new GatewaysService(
    transactions as unknown as Transactions,
    gateways as unknown as GatewaysRepository,
    codes as unknown as PairingCodesRepository,
    cameras as unknown as BoundCameras,
    sites as unknown as SitesService,
    bus as unknown as SignalBus,
  );
  return { service, manager, transactions, gateways, codes, cameras, sites, bus };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

describe('GatewaysService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  describe('list', () => {
    it('answers an empty page for a site the key cannot see, without touching the repository', async () => {
      const { service, gateways } = setup();
      await expect(service.list(scopedToA, { site_id: SITE_B, limit: 100, offset: 0 })).resolves.toEqual({ data: [], total: 0 });
      expect(gateways.list).not.toHaveBeenCalled();
    });

    it('filters by the sites of a site-scoped key', async () => {
      const { service, gateways } = setup();
      const page = await service.list(scopedToA, { status: 'online', limit: 10, offset: 20 });
      expect(gateways.list).toHaveBeenCalledWith({ orgId: ORG, siteIds: [SITE_A], status: 'online', limit: 10, offset: 20 });
      expect(page.total).toBe(1);
      expect(page.data[0]).not.toHaveProperty('created_at');
    });

    it('does not filter by site for an org-wide key, and narrows to the site_id asked for', async () => {
      const { service, gateways } = setup();
      await service.list(orgWide, { limit: 100, offset: 0 });
      expect(gateways.list).toHaveBeenLastCalledWith({ orgId: ORG, siteIds: null, status: undefined, limit: 100, offset: 0 });
      await service.list(orgWide, { site_id: SITE_B, limit: 100, offset: 0 });
      expect(gateways.list).toHaveBeenLastCalledWith(expect.objectContaining({ siteIds: [SITE_B] }));
    });
  });

  describe('get', () => {
    it('is not_found for a gateway outside the key sites', async () => {
      const { service, gateways } = setup();
      gateways.findById.mockResolvedValue(row({ site_id: SITE_B }));
      expect((await apiError(service.get(scopedToA, GW))).code).toBe('not_found');
      await expect(service.get(orgWide, GW)).resolves.toEqual(expect.objectContaining({ id: GW, created_at: '2026-01-01T00:00:00Z' }));
    });
  });

  describe('update', () => {
    it('refuses an empty body before opening a transaction', async () => {
      const { service, transactions } = setup();
      const e = await apiError(service.update(orgWide, GW, {}));
      expect(e.code).toBe('validation_error');
      expect(e.getStatus()).toBe(400);
      expect(transactions.run).not.toHaveBeenCalled();
    });

    it('is not_found for a gateway of another org (none locked) and nothing is written', async () => {
      const { service, gateways } = setup(null);
      const e = await apiError(service.update(orgWide, GW, { name: 'x' }));
      expect(e.code).toBe('not_found');
      expect(gateways.lockForUpdate).toHaveBeenCalledWith(GW, ORG, expect.anything());
      expect(gateways.update).not.toHaveBeenCalled();
    });

    it('is not_found for a gateway outside the key sites', async () => {
      const { service, gateways } = setup({ status: 'offline', siteId: SITE_B });
      expect((await apiError(service.update(scopedToA, GW, { name: 'x' }))).code).toBe('not_found');
      expect(gateways.update).not.toHaveBeenCalled();
    });

    it('checks a new site_id through SitesService inside the transaction, and a refusal writes nothing', async () => {
      const { service, sites, gateways, manager } = setup();
      sites.requireWritableSite.mockRejectedValueOnce(ApiError.forbidden());
      expect((await apiError(service.update(scopedToA, GW, { site_id: SITE_B }))).code).toBe('forbidden');
      expect(sites.requireWritableSite).toHaveBeenCalledWith(scopedToA, SITE_B, 'site_id', manager);
      expect(gateways.update).not.toHaveBeenCalled();
    });

    it('writes the changes in the transaction and returns the gateway re-read there', async () => {
      const { service, gateways, manager, bus, codes } = setup();
      gateways.findById.mockResolvedValue(row({ name: 'New', site_id: SITE_B }));
      const res = await service.update(orgWide, GW, { name: 'New', site_id: SITE_B });
      expect(gateways.update).toHaveBeenCalledWith(GW, { name: 'New', siteId: SITE_B }, manager);
      expect(gateways.findById).toHaveBeenCalledWith(GW, ORG, manager);
      expect(res).toEqual(expect.objectContaining({ name: 'New', site_id: SITE_B }));
      expect(codes.deleteUnredeemedOf).not.toHaveBeenCalled();
      expect(bus.publish).not.toHaveBeenCalled();
    });

    const allowed = new Set(['online→disabled', 'offline→disabled', 'registered→disabled', 'disabled→offline']);
    for (const from of GATEWAY_STATUSES) {
      for (const to of SETTABLE_STATUSES) {
        const key = `${from}→${to}`;
        if (allowed.has(key)) {
          it(`allows ${key}`, async () => {
            const { service, gateways, manager } = setup({ status: from });
            await service.update(orgWide, GW, { status: to });
            expect(gateways.update).toHaveBeenCalledWith(GW, { status: to }, manager);
          });
        } else {
          it(`refuses ${key} naming status, and writes nothing`, async () => {
            const { service, gateways, codes, bus } = setup({ status: from });
            const e = await apiError(service.update(orgWide, GW, { status: to } as UpdateGatewayDto));
            expect(e.code).toBe('validation_error');
            expect(e.details).toEqual([expect.objectContaining({ field: 'status' })]);
            expect(gateways.update).not.toHaveBeenCalled();
            expect(codes.deleteUnredeemedOf).not.toHaveBeenCalled();
            expect(bus.publish).not.toHaveBeenCalled();
          });
        }
      }
    }

    it('disabling deletes the unredeemed pairing code in the transaction and signals a disconnect', async () => {
      const { service, codes, bus, manager } = setup({ status: 'online' });
      await service.update(orgWide, GW, { status: 'disabled' });
      expect(codes.deleteUnredeemedOf).toHaveBeenCalledWith(GW, manager);
      expect(bus.publish).toHaveBeenCalledTimes(1);
      expect(bus.publish).toHaveBeenCalledWith({ type: 'gateway.disconnect', gatewayId: GW, reason: 'disabled' });
    });

    it('re-enabling (disabled → offline) keeps codes and signals nothing', async () => {
      const { service, codes, bus } = setup({ status: 'disabled' });
      await service.update(orgWide, GW, { status: 'offline' });
      expect(codes.deleteUnredeemedOf).not.toHaveBeenCalled();
      expect(bus.publish).not.toHaveBeenCalled();
    });

    it('a failing publish does not fail the committed update', async () => {
      const { service, bus, gateways } = setup({ status: 'offline' });
      bus.publish.mockRejectedValueOnce(new Error('LISTEN connection down'));
      await expect(service.update(orgWide, GW, { status: 'disabled' })).resolves.toEqual(expect.objectContaining({ id: GW, status: 'disabled' }));
      expect(gateways.update).toHaveBeenCalled();
    });
  });

  describe('delete', () => {
    it('refuses while cameras are bound, deleting nothing and signalling nothing', async () => {
      const { service, cameras, gateways, bus, manager } = setup();
      cameras.countBoundTo.mockResolvedValue(3);
      const e = await apiError(service.delete(orgWide, GW));
      expect(e.code).toBe('validation_error');
      expect(e.message).toContain('3');
      expect(e.details).toEqual([expect.objectContaining({ field: 'id' })]);
      expect(cameras.countBoundTo).toHaveBeenCalledWith(GW, manager);
      expect(gateways.delete).not.toHaveBeenCalled();
      expect(bus.publish).not.toHaveBeenCalled();
    });

    it('deletes inside the transaction and signals reason deleted', async () => {
      const { service, gateways, bus, manager } = setup();
      await service.delete(orgWide, GW);
      expect(gateways.lockForUpdate).toHaveBeenCalledWith(GW, ORG, manager);
      expect(gateways.delete).toHaveBeenCalledWith(GW, manager);
      expect(bus.publish).toHaveBeenCalledWith({ type: 'gateway.disconnect', gatewayId: GW, reason: 'deleted' });
    });

    it('is not_found outside the key sites or in another org', async () => {
      const outside = setup({ status: 'offline', siteId: SITE_B });
      expect((await apiError(outside.service.delete(scopedToA, GW))).code).toBe('not_found');
      expect(outside.gateways.delete).not.toHaveBeenCalled();
      const missing = setup(null);
      expect((await apiError(missing.service.delete(orgWide, GW))).code).toBe('not_found');
      expect(missing.bus.publish).not.toHaveBeenCalled();
    });

    it('a failing publish does not fail the delete', async () => {
      const { service, bus } = setup();
      bus.publish.mockRejectedValueOnce(new Error('down'));
      await expect(service.delete(orgWide, GW)).resolves.toBeUndefined();
    });
  });

  describe('requireWritableGateway', () => {
    it('is a validation_error on gateway_id for a gateway not of the org', async () => {
      const { service, gateways } = setup();
      gateways.findById.mockResolvedValue(undefined);
      const e = await apiError(service.requireWritableGateway(orgWide, GW));
      expect(e.code).toBe('validation_error');
      expect(e.details).toEqual([expect.objectContaining({ field: 'gateway_id' })]);
      expect(gateways.findById).toHaveBeenCalledWith(GW, ORG);
    });

    it('is forbidden outside the key sites, and passes within them', async () => {
      const { service, gateways } = setup();
      gateways.findById.mockResolvedValue(row({ site_id: SITE_B }));
      const e = await apiError(service.requireWritableGateway(scopedToA, GW));
      expect(e.code).toBe('forbidden');
      expect(e.getStatus()).toBe(403);
      gateways.findById.mockResolvedValue(row({ site_id: SITE_A }));
      await expect(service.requireWritableGateway(scopedToA, GW)).resolves.toBeUndefined();
    });
  });
});
