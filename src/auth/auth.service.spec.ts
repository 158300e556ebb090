import { ConsoleLogger, Logger } from '@nestjs/common';
import type { SignalBus, Signal } from '../signals/signal-bus';
import type { ApiKey } from './api-key.entity';
import type { ApiKeysRepository } from './api-keys.repository';
import { AuthService } from './auth.service';
import { hashKey } from './key-hash';

const TOKEN = 'sk_live_token-one';

function storedKey(token = TOKEN, overrides: Partial<ApiKey> = {}): ApiKey {
  return { id: 'key-1', orgId: 'org-1', name: 'ops', role: 'operator', siteIds: ['site-a'], keyHash: hashKey(token), revokedAt: null, createdAt: new Date(), ...overrides } as ApiKey;
}

function setup(found: ApiKey | null = storedKey()) {
  const keys = { findActiveByHash: jest.fn(async () => found) };
  let listener: (signal: Signal) => void = () => undefined;
  let resync: () => Promise<void> = async () => undefined;
  const bus = {
    subscribe: jest.fn((l: (signal: Signal) => void) => { listener = l; return () => undefined; }),
    onResync: jest.fn((r: () => Promise<void>) => { resync = r; }),
    publish: jest.fn(async () => undefined),
  };
  const service = new AuthService(keys as unknown as ApiKeysRepository, bus as unknown as SignalBus);
  service.onModuleInit();
  return { service, keys, bus, signal: (s: Signal) => listener(s), resync: () => resync() };
}

describe('AuthService', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(new ConsoleLogger()));

  it('refuses a missing token or one without the user prefix without a lookup', async () => {
    const { service, keys } = setup();
    await expect(service.authenticate(undefined)).resolves.toBeUndefined();
    await expect(service.authenticate('gw_gateway-key')).resolves.toBeUndefined();
    expect(keys.findActiveByHash).not.toHaveBeenCalled();
  });

  it('looks the key up by its hash, never by the clear key, and answers its context', async () => {
    const { service, keys } = setup();
    await expect(service.authenticate(TOKEN)).resolves.toEqual({ orgId: 'org-1', keyId: 'key-1', keyName: 'ops', role: 'operator', siteIds: ['site-a'] });
    expect(keys.findActiveByHash).toHaveBeenCalledWith(hashKey(TOKEN));
  });

  it('refuses an unknown or revoked key (the repository finds no active row)', async () => {
    const { service } = setup(null);
    await expect(service.authenticate(TOKEN)).resolves.toBeUndefined();
  });

  it('serves a repeated key from its cache: one lookup for many requests', async () => {
    const { service, keys } = setup();
    for (let i = 0; i < 5; i++) await service.authenticate(TOKEN);
    expect(keys.findActiveByHash).toHaveBeenCalledTimes(1);
  });

  it('does not cache a refusal: a key created afterwards is accepted', async () => {
    const { service, keys } = setup(null);
    await service.authenticate(TOKEN);
    keys.findActiveByHash.mockResolvedValueOnce(storedKey());
    await expect(service.authenticate(TOKEN)).resolves.toMatchObject({ keyId: 'key-1' });
  });

  it('forgets a key revoked here and announces the revoke to the other instances', async () => {
    const { service, keys, bus } = setup();
    await service.authenticate(TOKEN);
    await service.revoked('key-1');
    expect(bus.publish).toHaveBeenCalledWith({ type: 'apiKey.revoked', keyId: 'key-1' });
    keys.findActiveByHash.mockResolvedValueOnce(null);
    await expect(service.authenticate(TOKEN)).resolves.toBeUndefined();
  });

  it('a revoke that cannot be announced still succeeds here (the resync catches the rest)', async () => {
    const { service, bus } = setup();
    bus.publish.mockRejectedValueOnce(new Error('connection lost'));
    await expect(service.revoked('key-1')).resolves.toBeUndefined();
  });

  it('forgets a key revoked on another instance when its signal arrives', async () => {
    const { service, keys, signal } = setup();
    await service.authenticate(TOKEN);
    signal({ type: 'apiKey.revoked', keyId: 'key-1' });
    keys.findActiveByHash.mockResolvedValueOnce(null);
    await expect(service.authenticate(TOKEN)).resolves.toBeUndefined();
  });

  it('drops the whole cache on a resync, since revoke signals may have been missed', async () => {
    const { service, keys, resync } = setup();
    await service.authenticate(TOKEN);
    await resync();
    await service.authenticate(TOKEN);
    expect(keys.findActiveByHash).toHaveBeenCalledTimes(2);
  });

  it('looks a cached key up again once its entry is 30 s old', async () => {
    const { service, keys } = setup();
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      await service.authenticate(TOKEN);
      now.mockReturnValue(1_000_000 + 29_999);
      await service.authenticate(TOKEN);
      expect(keys.findActiveByHash).toHaveBeenCalledTimes(1);
      now.mockReturnValue(1_000_000 + 30_001);
      await service.authenticate(TOKEN);
      expect(keys.findActiveByHash).toHaveBeenCalledTimes(2);
    } finally {
      now.mockRestore();
    }
  });
});
