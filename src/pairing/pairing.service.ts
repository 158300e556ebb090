import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { GATEWAY_KEY_PREFIX, hashKey, newKey } from '../auth/key-hash';
import { GatewayKeysRepository } from '../credentials/gateway-keys.repository';
import { ApiError } from '../common/api-error';
import { isoUtc } from '../common/time';
import { AppConfig } from '../config/config';
import { requestedBy } from '../database/change-context';
import { Transactions } from '../database/transactions';
import { GatewaysRepository } from '../gateways/gateways.repository';
import { PairingCodesRepository } from '../gateways/pairing-codes.repository';
import { OrgsRepository } from '../orgs/orgs.repository';
import { SignalBus } from '../signals/signal-bus';
import { SitesService } from '../sites/sites.service';
import { GuessLimiterService } from './guess-limiter.service';
import { GeneratePairingCodeDto, PairDto, PairingCodeResponse, PairResponse, RepairingCodeResponse } from './dto/pairing.dto';
import { generatePairingCode, normalizePairingCode } from './pairing-code';
import { iceServers } from './turn-credentials';

/** Codes are unique among live codes; a clash is retried with a fresh draw. */
const MAX_CODE_DRAWS = 20;

@Injectable()
export class PairingService {
  private readonly logger = new Logger(PairingService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly orgs: OrgsRepository,
    private readonly gateways: GatewaysRepository,
    private readonly codes: PairingCodesRepository,
    private readonly sites: SitesService,
    private readonly config: AppConfig,
    private readonly guesses: GuessLimiterService,
    private readonly keys: GatewayKeysRepository,
    private readonly bus: SignalBus,
  ) {}

  /**
   * Creates the gateway (status `registered`) and its code in one transaction. The org row is
   * locked FOR UPDATE first, so concurrent requests — on any instance — count active codes one
   * at a time and the limit cannot be overshot.
   */
  async generate(auth: AuthContext, dto: GeneratePairingCodeDto): Promise<PairingCodeResponse> {
    await this.sites.requireWritableSite(auth, dto.site_id);
    const result = await this.transactions.run(async (m) => {
      await this.orgs.lockForUpdate(auth.orgId, m);
      await this.requireCodeAvailable(auth, m);
      const gatewayId = await this.gateways.insertRegistered(auth.orgId, dto.site_id, dto.name, m);
      const code = await this.insertUniqueCode(m, auth.orgId, gatewayId);
      return { id: gatewayId, ...code };
    }, requestedBy(auth));
    this.logger.log(`org ${auth.orgId}: pairing code issued for new gateway ${result.id} (key ${auth.keyId})`);
    return { id: result.id, pairing_code: result.code, expires_at: isoUtc(result.expiresAt), status: 'registered' };
  }

  /**
   * A code that pairs an existing gateway again (v1.3): the same id, cameras, configuration and
   * history; redeeming it issues a new key and revokes the ones before. It counts toward the org's
   * active codes like any other. Not for a disabled gateway (its codes cannot be redeemed).
   */
  async reissue(auth: AuthContext, gatewayId: string): Promise<RepairingCodeResponse> {
    const result = await this.transactions.run(async (m) => {
      await this.orgs.lockForUpdate(auth.orgId, m);
      // Only the newest code of a gateway is live: one asked again replaces it, and does not count
      // twice. Its codes go before the gateway row is locked, in the order a redemption takes them
      // (code, then gateway), so the two cannot deadlock; a refusal below rolls this back.
      await this.codes.deleteUnredeemedOf(gatewayId, m);
      const gateway = await this.gateways.lockForUpdate(gatewayId, auth.orgId, m);
      if (!gateway || !canSeeSite(auth, gateway.siteId)) throw ApiError.notFound('Gateway');
      if (gateway.status === 'disabled') throw new ApiError('conflict', 'The gateway is disabled: a code for it could not be redeemed; enable it first');
      await this.requireCodeAvailable(auth, m);
      return { status: gateway.status, ...(await this.insertUniqueCode(m, auth.orgId, gateway.id)) };
    }, requestedBy(auth));
    this.logger.log(`org ${auth.orgId}: pairing code issued to pair gateway ${gatewayId} again (key ${auth.keyId})`);
    return { id: gatewayId, pairing_code: result.code, expires_at: isoUtc(result.expiresAt), status: result.status };
  }

  /**
   * 429 when the org has its most active codes. The caller holds the org row FOR UPDATE, so
   * concurrent requests — on any instance — count one at a time and the limit cannot be overshot.
   */
  private async requireCodeAvailable(auth: AuthContext, m: EntityManager): Promise<void> {
    const active = await this.codes.activeCodes(auth.orgId, m);
    if (active.n >= this.config.PAIRING_MAX_ACTIVE_CODES) {
      throw ApiError.rateLimited(
        `This org already has ${active.n} active pairing codes (at most ${this.config.PAIRING_MAX_ACTIVE_CODES}); redeem one or wait for it to expire`,
        active.firstExpiryS ?? 1,
      );
    }
  }

  /**
   * Redeems a code once, for a client `address` (see guessAddress) whose unknown codes are
   * limited. A malformed code is refused before anything else and is no guess.
   */
  async pair(address: string, dto: PairDto): Promise<PairResponse> {
    const code = normalizePairingCode(dto.pairing_code);
    if (!code) {
      throw ApiError.validation('pairing_code must be 6 characters of the pairing alphabet', [
        { field: 'pairing_code', message: 'must be 6 characters (A-Z and 2-9 without O, I, L); spaces and dashes are ignored' },
      ]);
    }
    return this.guesses.guarded(address, () => this.redeem(code, dto));
  }

  /**
   * The code row is locked FOR UPDATE, so of many simultaneous redemptions exactly one sees it
   * unredeemed; the rest wait and then see it redeemed (409). Precedence: unknown 404 → already
   * redeemed 409 → expired 410.
   */
  private async redeem(code: string, dto: PairDto): Promise<PairResponse> {
    const apiKey = newKey(GATEWAY_KEY_PREFIX);
    const paired = await this.transactions.run(async (m) => {
      // Prefer the live code when an old, redeemed or expired one had the same characters.
      const row = await this.codes.findForRedemption(code, m);
      if (!row) throw ApiError.notFound('Pairing code');
      if (row.redeemed_at !== null) throw new ApiError('conflict', 'This pairing code has already been redeemed');
      if (row.expired) throw new ApiError('gone', 'This pairing code has expired; generate a new one');
      await this.codes.redeem(row.id, m);
      await this.gateways.markPaired(row.gateway_id, { name: dto.name ?? null, version: dto.version ?? null, localIp: dto.local_ip ?? null }, m);
      // Paired again (v1.3): the keys before stop working, and a rotation in progress is canceled.
      const revoked = await this.keys.revokeAll(row.gateway_id, m);
      await this.keys.insertActive(row.org_id, row.gateway_id, hashKey(apiKey), m);
      return { gatewayId: row.gateway_id, orgId: row.org_id, revoked };
    }, { reason: 'paired' });
    this.logger.log(`org ${paired.orgId}: gateway ${paired.gatewayId} paired${paired.revoked.length ? ` again (${paired.revoked.length} key(s) before revoked)` : ''}`);
    if (paired.revoked.length) {
      // A connection made with a key before closes (4401); a lost signal is caught by every instance's resync.
      await this.bus
        .publish({ type: 'gateway.keysRevoked', gatewayId: paired.gatewayId, keyIds: paired.revoked })
        .catch((e: unknown) => this.logger.warn(`could not publish gateway.keysRevoked: ${String(e)}`));
    }
    return {
      gateway_id: paired.gatewayId,
      api_key: apiKey,
      org_id: paired.orgId,
      ice_servers: iceServers(this.config.turnUrls, this.config.TURN_SECRET, paired.gatewayId, this.config.TURN_TTL_S),
    };
  }

  /**
   * Draws codes until one is not held by any live code. The per-code advisory lock makes the
   * check-then-insert safe against a concurrent draw of the same characters in another org.
   */
  private async insertUniqueCode(m: EntityManager, orgId: string, gatewayId: string): Promise<{ code: string; expiresAt: Date }> {
    for (let attempt = 0; attempt < MAX_CODE_DRAWS; attempt++) {
      const code = generatePairingCode();
      await this.codes.lockCode(code, m);
      if (await this.codes.isLive(code, m)) continue;
      return { code, expiresAt: await this.codes.insert(orgId, gatewayId, code, this.config.PAIRING_CODE_TTL_S, m) };
    }
    throw new ApiError('service_unavailable', 'Could not draw a unique pairing code; retry', undefined, { 'Retry-After': '1' });
  }
}
