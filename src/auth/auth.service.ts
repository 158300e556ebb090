import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { SignalBus } from '../signals/signal-bus';
import { ApiKeysRepository } from './api-keys.repository';
import { AuthContext } from './auth-context';
import { hashKey, sameHash, USER_KEY_PREFIX } from './key-hash';

/** Bounds how long another instance could honour a revoked key if its signal were lost entirely. */
const CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;

interface Cached {
  context: AuthContext;
  keyHash: string;
  expiresAt: number;
}

/**
 * Turns a presented user key into the caller's context, or refuses it.
 *
 * Valid keys are cached by hash so a request does not cost a database round trip. A revoke
 * evicts the key here at once and, through a signal, on every other instance; when the signal
 * connection has been lost, the whole cache is dropped on reconnect, and entries expire after
 * 30 s in any case.
 */
@Injectable()
export class AuthService implements OnModuleInit {
  private readonly logger = new Logger(AuthService.name);
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly bus: SignalBus,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe((signal) => {
      if (signal.type === 'apiKey.revoked') this.evict(signal.keyId);
    });
    this.bus.onResync(async () => {
      this.cache.clear();
    });
  }

  private evict(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.context.keyId === keyId) this.cache.delete(hash);
  }

  /** undefined for a missing, malformed, unknown or revoked key — all answered 401 alike. */
  async authenticate(token: string | undefined): Promise<AuthContext | undefined> {
    if (!token || !token.startsWith(USER_KEY_PREFIX)) return undefined;
    const hash = hashKey(token);
    const hit = this.cache.get(hash);
    if (hit && hit.expiresAt > Date.now() && sameHash(hit.keyHash, hash)) return hit.context;
    if (hit) this.cache.delete(hash);
    const key = await this.keys.findActiveByHash(hash);
    if (!key || !sameHash(key.keyHash, hash)) return undefined;
    const context: AuthContext = { orgId: key.orgId, keyId: key.id, keyName: key.name, role: key.role, siteIds: key.siteIds };
    if (this.cache.size >= CACHE_MAX_ENTRIES) {
      // Drop the oldest entry (Map keeps insertion order).
      this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(hash, { context, keyHash: hash, expiresAt: Date.now() + CACHE_TTL_MS });
    return context;
  }

  /** The key was revoked: refuse it here from the next request on, and on other instances within a signal's delay. */
  async revoked(keyId: string): Promise<void> {
    this.evict(keyId);
    await this.bus
      .publish({ type: 'apiKey.revoked', keyId })
      .catch((e: unknown) => this.logger.warn(`could not announce a revoked key: ${String(e)}`));
  }
}
