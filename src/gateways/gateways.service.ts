import { Injectable, Logger } from '@nestjs/common';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { Page } from '../common/pagination.dto';
import { requestedBy } from '../database/change-context';
import { Transactions } from '../database/transactions';
import { Signal, SignalBus } from '../signals/signal-bus';
import { SitesService } from '../sites/sites.service';
import { BoundCameras } from './bound-cameras';
import { GatewayListResponse, GatewayResponse, GatewaySummary, ListGatewaysQuery, UpdateGatewayDto } from './dto/gateway.dto';
import { Gateway } from './gateway.entity';
import { toGatewayResponse, toGatewaySummary } from './gateway-response';
import type { GatewayRow } from './gateway.sql';
import { GatewaysRepository } from './gateways.repository';
import { PairingCodesRepository } from './pairing-codes.repository';
import { isAllowedTransition } from './transitions';

@Injectable()
export class GatewaysService {
  private readonly logger = new Logger(GatewaysService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly gateways: GatewaysRepository,
    private readonly codes: PairingCodesRepository,
    private readonly cameras: BoundCameras,
    private readonly sites: SitesService,
    private readonly bus: SignalBus,
  ) {}

  async list(auth: AuthContext, query: ListGatewaysQuery): Promise<Page<GatewaySummary>> {
    let siteIds = auth.siteIds;
    if (query.site_id) {
      // A site the key may not see holds nothing for it.
      if (!canSeeSite(auth, query.site_id)) return { data: [], total: 0 };
      siteIds = [query.site_id];
    }
    const { rows, total } = await this.gateways.list({ orgId: auth.orgId, siteIds, status: query.status, limit: query.limit, offset: query.offset });
    return { data: rows.map(toGatewaySummary), total } satisfies GatewayListResponse;
  }

  async get(auth: AuthContext, id: string): Promise<GatewayResponse> {
    return toGatewayResponse(await this.findVisible(auth, id));
  }

  /**
   * Renames, moves or disables/re-enables a gateway. The row is locked for the transition check,
   * so two concurrent PATCHes cannot both pass it from the same state.
   */
  async update(auth: AuthContext, id: string, dto: UpdateGatewayDto): Promise<GatewayResponse> {
    if (dto.name === undefined && dto.site_id === undefined && dto.status === undefined) {
      throw ApiError.validation('No valid fields to update: send name, site_id or status', [
        { field: 'body', message: 'at least one of name, site_id, status is required' },
      ]);
    }
    const updated = await this.transactions.run(async (m) => {
      const gateway = await this.gateways.lockForUpdate(id, auth.orgId, m);
      if (!gateway || !canSeeSite(auth, gateway.siteId)) throw ApiError.notFound('Gateway');
      if (dto.site_id !== undefined) await this.sites.requireWritableSite(auth, dto.site_id, 'site_id', m);
      if (dto.status !== undefined && !isAllowedTransition(gateway.status, dto.status)) {
        throw ApiError.validation(`Invalid transition: ${gateway.status} → ${dto.status}`, [
          {
            field: 'status',
            message: `cannot go from ${gateway.status} to ${dto.status}; allowed: online|offline|registered → disabled, disabled → offline`,
          },
        ]);
      }
      const changes: Partial<Pick<Gateway, 'name' | 'siteId' | 'status'>> = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.site_id !== undefined) changes.siteId = dto.site_id;
      if (dto.status !== undefined) changes.status = dto.status;
      if (dto.status === 'disabled') await this.codes.deleteUnredeemedOf(gateway.id, m);
      await this.gateways.update(gateway.id, changes, m);
      return (await this.gateways.findById(gateway.id, auth.orgId, m))!;
    }, requestedBy(auth));
    if (dto.status) this.logger.log(`org ${auth.orgId}: gateway ${id} set to ${dto.status} (key ${auth.keyId})`);
    if (dto.status === 'disabled') {
      // Wherever its socket lives, it closes (4403).
      await this.signal({ type: 'gateway.disconnect', gatewayId: id, reason: 'disabled' });
    }
    return toGatewayResponse(updated);
  }

  /**
   * Unpairs and removes the gateway; its key, pairing code and telemetry go with it. Cameras
   * still bound to it must be moved or deleted first (FK RESTRICT backs this up against races).
   */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.transactions.run(async (m) => {
      const gateway = await this.gateways.lockForUpdate(id, auth.orgId, m);
      if (!gateway || !canSeeSite(auth, gateway.siteId)) throw ApiError.notFound('Gateway');
      const n = await this.cameras.countBoundTo(gateway.id, m);
      if (n > 0) {
        throw ApiError.validation(`Gateway still has ${n} bound camera(s); move or delete them first`, [
          { field: 'id', message: `${n} camera(s) are bound to this gateway` },
        ]);
      }
      await this.gateways.delete(gateway.id, m);
    }, requestedBy(auth));
    this.logger.log(`org ${auth.orgId}: gateway ${id} deleted (key ${auth.keyId})`);
    await this.signal({ type: 'gateway.disconnect', gatewayId: id, reason: 'deleted' });
  }

  /**
   * A gateway named in a request body (a camera's gateway_id): of the caller's org (else 400)
   * and within the key's sites (else 403).
   */
  async requireWritableGateway(auth: AuthContext, gatewayId: string): Promise<void> {
    const gateway = await this.gateways.findById(gatewayId, auth.orgId);
    if (!gateway) {
      throw ApiError.validation('gateway_id is not a gateway of your org', [{ field: 'gateway_id', message: 'must exist in your org' }]);
    }
    if (!canSeeSite(auth, gateway.site_id)) throw ApiError.forbidden(`Your API key is not allowed to use gateway ${gateway.id}`);
  }

  /**
   * The change is committed; a lost signal is caught by every instance's periodic resync, so a
   * failure here is logged rather than turned into an error for a request that succeeded.
   */
  private async signal(signal: Signal): Promise<void> {
    await this.bus.publish(signal).catch((e: unknown) => this.logger.warn(`could not publish ${signal.type}: ${String(e)}`));
  }

  /** Another org's gateway, or one outside the key's sites, does not exist for this caller (404). */
  private async findVisible(auth: AuthContext, id: string): Promise<GatewayRow> {
    const gateway = await this.gateways.findById(id, auth.orgId);
    if (!gateway || !canSeeSite(auth, gateway.site_id)) throw ApiError.notFound('Gateway');
    return gateway;
  }
}
