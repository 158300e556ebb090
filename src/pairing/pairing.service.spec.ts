import { ConsoleLogger, Logger } from '@nestjs/common';
import type { AuthContext } from '../auth/auth-context';
import { hashKey } from '../auth/key-hash';
import { ApiError } from '../common/api-error';
import { loadConfig } from '../config/config';
import type { Transactions } from '../database/transactions';
import type { GatewayKeysRepository } from '../credentials/gateway-keys.repository';
import type { GatewaysRepository } from '../gateways/gateways.repository';
import type { SignalBus } from '../signals/signal-bus';
import type { CodeForRedemption, PairingCodesRepository } from '../gateways/pairing-codes.repository';
import type { OrgsRepository } from '../orgs/orgs.repository';
import type { SitesService } from '../sites/sites.service';
import type { GuessLimiterService } from './guess-limiter.service';
import { CODE_ALPHABET } from './pairing-code';
import { PairingService } from './pairing.service';

const ORG = 'org-1';
const SITE = 'site-a';
const auth: AuthContext = { orgId: ORG, keyId: 'key-1', role: 'operator', siteIds: null };
const EXPIRES = new Date('2026-04-21T14:30:00.123Z');

function setup(env: Record<string, string> = {}) {
  const calls: string[] = [];
  const manager = { tx: 'manager' };
  const transactions = { run: jest.fn((work: (m: unknown) => Promise<unknown>) => work(manager)) };
  const orgs = { lockForUpdate: jest.fn(async () => void calls.push('lockOrg')) };
  const gateways = {
    insertRegistered: jest.fn(async () => 'gw-new'),
    markPaired: jest.fn(async () => undefined),
  };
  const codes = {
    activeCodes: jest.fn(async (): Promise<{ n: number; firstExpiryS: number | null }> => {
      calls.push('activeCodes');
      return { n: 0, firstExpiryS: null };
    }),
    lockCode: jest.fn(async (_code: string) => undefined),
    isLive: jest.fn(async (_code: string) => false),
    insert: jest.fn(async () => EXPIRES),
    findForRedemption: jest.fn(async (): Promise<CodeForRedemption | undefined> => ({
      id: 'code-1', gateway_id: 'gw-1', org_id: ORG, redeemed_at: null, expired: false,
    })),
    redeem: jest.fn(async () => undefined),
  };
  const sites = { requireWritableSite: jest.fn(async () => undefined) };
  const guesses = { guarded: jest.fn((_address: string, fn: () => Promise<unknown>) => fn()) };
  const keys = {
    revokeAll: jest.fn(async (): Promise<string[]> => []),
    insertActive: jest.fn(async () => 'key-new'),
  };
  const bus = { publish: jest.fn(async () => undefined) };
  const service = new PairingService(
    transactions as unknown as Transactions,
    orgs as unknown as OrgsRepository,
    gateways as unknown as GatewaysRepository,
    codes as unknown as PairingCodesRepository,
    sites as unknown as SitesService,
    loadConfig({ PAIRING_MAX_ACTIVE_CODES: '3', PAIRING_CODE_TTL_S: '120', ...env }),
    guesses as unknown as GuessLimiterService,
    keys as unknown as GatewayKeysRepository,
    bus as unknown as SignalBus,
  );
  return { service, calls, manager, transactions, orgs, gateways, codes, sites, guesses, keys, bus };
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(e)}`);
  return e;
}

describe('PairingService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  describe('generate', () => {
    it('checks the site, locks the org before counting, and creates the gateway and its code in one transaction', async () => {
      const { service, calls, manager, orgs, gateways, codes, sites } = setup();
      const res = await service.generate(auth, { name: 'Dock', site_id: SITE });
      expect(sites.requireWritableSite).toHaveBeenCalledWith(auth, SITE);
      expect(orgs.lockForUpdate).toHaveBeenCalledWith(ORG, manager);
      expect(calls).toEqual(['lockOrg', 'activeCodes']);
      expect(codes.activeCodes).toHaveBeenCalledWith(ORG, manager);
      expect(gateways.insertRegistered).toHaveBeenCalledWith(ORG, SITE, 'Dock', manager);
      const code = codes.insert.mock.calls[0] as unknown[];
      expect(code).toEqual([ORG, 'gw-new', expect.stringMatching(new RegExp(`^[${CODE_ALPHABET}]{6}$`)), 120, manager]);
      expect(codes.lockCode).toHaveBeenCalledWith(code[2], manager);
      expect(res).toEqual({ id: 'gw-new', pairing_code: code[2], expires_at: '2026-04-21T14:30:00Z', status: 'registered' });
    });

    it('does not open the transaction when the site is refused', async () => {
      const { service, sites, transactions } = setup();
      sites.requireWritableSite.mockRejectedValueOnce(ApiError.forbidden());
      expect((await apiError(service.generate(auth, { name: 'Dock', site_id: SITE }))).code).toBe('forbidden');
      expect(transactions.run).not.toHaveBeenCalled();
    });

    it('at PAIRING_MAX_ACTIVE_CODES is rate_limited with Retry-After of the first expiry, creating nothing', async () => {
      const { service, codes, gateways } = setup();
      codes.activeCodes.mockResolvedValueOnce({ n: 3, firstExpiryS: 42 });
      const e = await apiError(service.generate(auth, { name: 'Dock', site_id: SITE }));
      expect(e.code).toBe('rate_limited');
      expect(e.getStatus()).toBe(429);
      expect(e.headers).toEqual({ 'Retry-After': '42' });
      expect(gateways.insertRegistered).not.toHaveBeenCalled();
      expect(codes.insert).not.toHaveBeenCalled();
    });

    it('Retry-After is 1 when the first expiry is unknown', async () => {
      const { service, codes } = setup();
      codes.activeCodes.mockResolvedValueOnce({ n: 4, firstExpiryS: null });
      expect((await apiError(service.generate(auth, { name: 'Dock', site_id: SITE }))).headers).toEqual({ 'Retry-After': '1' });
    });

    it('one below the limit is allowed', async () => {
      const { service, codes } = setup();
      codes.activeCodes.mockResolvedValueOnce({ n: 2, firstExpiryS: 10 });
      await expect(service.generate(auth, { name: 'Dock', site_id: SITE })).resolves.toEqual(expect.objectContaining({ id: 'gw-new' }));
    });

    it('redraws a code that is live', async () => {
      const { service, codes } = setup();
      codes.isLive.mockResolvedValueOnce(true).mockResolvedValueOnce(true);
      const res = await service.generate(auth, { name: 'Dock', site_id: SITE });
      expect(codes.lockCode).toHaveBeenCalledTimes(3);
      expect(codes.isLive).toHaveBeenCalledTimes(3);
      expect(codes.insert).toHaveBeenCalledTimes(1);
      const third = codes.lockCode.mock.calls[2][0];
      expect(codes.isLive.mock.calls[2][0]).toBe(third);
      expect(res.pairing_code).toBe(third);
    });

    it('gives up after 20 clashes with service_unavailable', async () => {
      const { service, codes } = setup();
      codes.isLive.mockResolvedValue(true);
      const e = await apiError(service.generate(auth, { name: 'Dock', site_id: SITE }));
      expect(e.code).toBe('service_unavailable');
      expect(e.getStatus()).toBe(503);
      expect(e.headers).toEqual({ 'Retry-After': '1' });
      expect(codes.isLive).toHaveBeenCalledTimes(20);
      expect(codes.insert).not.toHaveBeenCalled();
    });
  });

  describe('pair', () => {
    for (const bad of ['O0O0O0', 'ßßß', '', 'A7B3C', 'A7B3CXY', 'A7B3C!', 'IIIIII']) {
      it(`refuses ${JSON.stringify(bad)} as a validation_error before any lookup`, async () => {
        const { service, guesses, transactions, codes } = setup();
        const e = await apiError(service.pair('203.0.113.9', { pairing_code: bad }));
        expect(e.code).toBe('validation_error');
        expect(e.details).toEqual([expect.objectContaining({ field: 'pairing_code' })]);
        expect(guesses.guarded).not.toHaveBeenCalled();
        expect(transactions.run).not.toHaveBeenCalled();
        expect(codes.findForRedemption).not.toHaveBeenCalled();
      });
    }

    it('looks the normalised code up inside the guess limiter of the address', async () => {
      const { service, guesses, codes, manager } = setup();
      await service.pair('203.0.113.9', { pairing_code: ' a7b-3cx ' });
      expect(guesses.guarded).toHaveBeenCalledWith('203.0.113.9', expect.any(Function));
      expect(codes.findForRedemption).toHaveBeenCalledWith('A7B3CX', manager);
    });

    it('runs no lookup when the limiter refuses', async () => {
      const { service, guesses, codes } = setup();
      guesses.guarded.mockRejectedValueOnce(ApiError.rateLimited('slow down', 30));
      expect((await apiError(service.pair('203.0.113.9', { pairing_code: 'A7B3CX' }))).code).toBe('rate_limited');
      expect(codes.findForRedemption).not.toHaveBeenCalled();
    });

    const cases: [string, Partial<CodeForRedemption> | undefined, string][] = [
      ['unknown', undefined, 'not_found'],
      ['redeemed (even if expired too)', { redeemed_at: new Date(), expired: true }, 'conflict'],
      ['redeemed', { redeemed_at: new Date(), expired: false }, 'conflict'],
      ['expired', { redeemed_at: null, expired: true }, 'gone'],
    ];
    for (const [what, found, code] of cases) {
      it(`a code that is ${what} is ${code}, and nothing is written`, async () => {
        const { service, codes, gateways } = setup();
        codes.findForRedemption.mockResolvedValueOnce(found && { id: 'code-1', gateway_id: 'gw-1', org_id: ORG, redeemed_at: null, expired: false, ...found });
        expect((await apiError(service.pair('203.0.113.9', { pairing_code: 'A7B3CX' }))).code).toBe(code);
        expect(codes.redeem).not.toHaveBeenCalled();
        expect(gateways.markPaired).not.toHaveBeenCalled();
      });
    }

    it('redeems the code and pairs the gateway with the hash of the returned key, revoking the keys before', async () => {
      const { service, codes, gateways, keys, bus, manager } = setup();
      const res = await service.pair('203.0.113.9', { pairing_code: 'A7B3CX', name: 'Box', version: '2026.04.12', local_ip: '192.168.1.5' });
      expect(res).toEqual({ gateway_id: 'gw-1', org_id: ORG, api_key: expect.stringMatching(/^gw_[A-Za-z0-9_-]{43}$/), ice_servers: [] });
      expect(codes.redeem).toHaveBeenCalledWith('code-1', manager);
      expect(gateways.markPaired).toHaveBeenCalledWith('gw-1', { name: 'Box', version: '2026.04.12', localIp: '192.168.1.5' }, manager);
      expect(keys.revokeAll).toHaveBeenCalledWith('gw-1', manager);
      expect(keys.insertActive).toHaveBeenCalledWith(ORG, 'gw-1', hashKey(res.api_key), manager);
      // A first pairing revoked nothing: no signal.
      expect(bus.publish).not.toHaveBeenCalled();
    });

    it('pairing again announces the keys it revoked, so their connections close', async () => {
      const { service, keys, bus } = setup();
      keys.revokeAll.mockResolvedValueOnce(['key-old']);
      await service.pair('203.0.113.9', { pairing_code: 'A7B3CX' });
      expect(bus.publish).toHaveBeenCalledWith({ type: 'gateway.keysRevoked', gatewayId: 'gw-1', keyIds: ['key-old'] });
    });

    it('passes nulls for the optional self-report', async () => {
      const { service, gateways } = setup();
      await service.pair('203.0.113.9', { pairing_code: 'A7B3CX' });
      expect(gateways.markPaired).toHaveBeenCalledWith('gw-1', expect.objectContaining({ name: null, version: null, localIp: null }), expect.anything());
    });

    it('returns one TURN entry when TURN is configured', async () => {
      const { service } = setup({ TURN_URLS: 'turn:turn.example.com:3478', TURN_SECRET: 'a-secret-of-16-chars' });
      const res = await service.pair('203.0.113.9', { pairing_code: 'A7B3CX' });
      expect(res.ice_servers).toEqual([{ urls: ['turn:turn.example.com:3478'], username: expect.stringMatching(/^\d+:gw-1$/), credential: expect.any(String) }]);
    });
  });
});
