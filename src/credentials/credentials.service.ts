import { Injectable, Logger } from '@nestjs/common';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { requestedBy } from '../database/change-context';
import { Transactions } from '../database/transactions';
import { GatewaysRepository } from '../gateways/gateways.repository';
import { Signal, SignalBus } from '../signals/signal-bus';
import { CredentialResponse, DEFAULT_GRACE_S, RotateKeyDto, RotationResponse } from './dto/credentials.dto';
import { GatewayKeysRepository } from './gateway-keys.repository';
import { KeyRotationsRepository } from './key-rotations.repository';
import { CREDENTIALS_CAPABILITY } from './rotation-frames';

/**
 * A gateway's keys (v1.3): listed, rotated, revoked. Each change holds the gateway's row lock
 * for its transaction — the order every writer of keys follows (GatewayKeysRepository) — so two
 * requests for one gateway go one at a time, on any instance.
 */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly gateways: GatewaysRepository,
    private readonly keys: GatewayKeysRepository,
    private readonly rotations: KeyRotationsRepository,
    private readonly bus: SignalBus,
  ) {}

  async list(auth: AuthContext, gatewayId: string): Promise<CredentialResponse[]> {
    const gateway = await this.gateways.findById(gatewayId, auth.orgId);
    if (!gateway || !canSeeSite(auth, gateway.site_id)) throw ApiError.notFound('Gateway');
    return this.keys.list(gateway.id);
  }

  /**
   * A rotation, sent by the instance holding the gateway's socket (KeyRotationDelivery) now or on
   * its next connection. Only for a paired, enabled gateway that declared credentials.v1, and one
   * rotation at a time.
   */
  async rotate(auth: AuthContext, gatewayId: string, dto: RotateKeyDto): Promise<RotationResponse> {
    const rotation = await this.transactions.run(async (m) => {
      const gateway = await this.gateways.lockWithCapabilities(gatewayId, auth.orgId, m);
      if (!gateway || !canSeeSite(auth, gateway.site_id)) throw ApiError.notFound('Gateway');
      if (gateway.status === 'disabled') throw new ApiError('conflict', 'The gateway is disabled; enable it before rotating its key');
      if (gateway.status === 'registered') throw new ApiError('conflict', 'The gateway is not paired yet: it has no key to rotate');
      if (!gateway.capabilities.includes(CREDENTIALS_CAPABILITY)) {
        throw new ApiError('conflict', `The gateway does not support ${CREDENTIALS_CAPABILITY}: its last session did not declare it`);
      }
      const open = await this.rotations.unfinished(gateway.id, auth.orgId, m);
      if (open) throw new ApiError('conflict', `Rotation ${open.id} of this gateway is ${open.status}; it must complete first (or revoke the keys)`);
      return this.rotations.insert(auth.orgId, gateway.id, dto.grace_s ?? DEFAULT_GRACE_S, requestedBy(auth).actor, m);
    }, requestedBy(auth));
    this.logger.log(`org ${auth.orgId}: key rotation ${rotation.id} of gateway ${gatewayId} asked (key ${auth.keyId})`);
    await this.signal({ type: 'credentials.rotate', gatewayIds: [gatewayId] });
    return { rotation_id: rotation.id, status: rotation.status };
  }

  /** Every key revoked and an unfinished rotation canceled; a connection made with one of them closes (4401) wherever it is. */
  async revoke(auth: AuthContext, gatewayId: string): Promise<CredentialResponse[]> {
    const { revoked, keys } = await this.transactions.run(async (m) => {
      const gateway = await this.gateways.lockForUpdate(gatewayId, auth.orgId, m);
      if (!gateway || !canSeeSite(auth, gateway.siteId)) throw ApiError.notFound('Gateway');
      const ids = await this.keys.revokeAll(gateway.id, m);
      return { revoked: ids, keys: await this.keys.list(gateway.id, m) };
    }, requestedBy(auth));
    this.logger.log(`org ${auth.orgId}: ${revoked.length} key(s) of gateway ${gatewayId} revoked (key ${auth.keyId})`);
    if (revoked.length) await this.signal({ type: 'gateway.keysRevoked', gatewayId, keyIds: revoked });
    return keys;
  }

  /** The change is committed; a lost signal is caught by every instance's resync (and the poll), so a failure is logged, not answered. */
  private async signal(signal: Signal): Promise<void> {
    await this.bus.publish(signal).catch((e: unknown) => this.logger.warn(`could not publish ${signal.type}: ${String(e)}`));
  }
}
