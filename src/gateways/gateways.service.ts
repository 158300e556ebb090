import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { Page } from '../common/pagination.dto';
import { PoolReads } from '../database/pool-reads';
import { CLOSE_DELETED, CLOSE_DISABLED } from '../events/close-codes';
import { Signal, SignalBus } from '../events/signal-bus.service';
import { SitesService } from '../sites/sites.service';
import { GatewayListResponse, GatewayResponse, GatewaySummary, ListGatewaysQuery, UpdateGatewayDto } from './dto/gateway.dto';
import { Gateway } from './gateway.entity';
import { GatewayRow, listGatewaysQueries, SQL_GATEWAY_BY_ID, toGatewayResponse, toGatewaySummary } from './gateway.queries';
import { isAllowedTransition } from './transitions';

@Injectable()
export class GatewaysService {
  private readonly logger = new Logger('Gateways');

  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: PoolReads,
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
    const sql = listGatewaysQueries({ orgId: auth.orgId, siteIds, status: query.status, limit: query.limit ?? 100, offset: query.offset ?? 0 });
    const [rows, [{ total }]] = await Promise.all([
      this.reads.rows<GatewayRow>(sql.page, sql.pageParams),
      this.reads.rows<{ total: number }>(sql.count, sql.countParams),
    ]);
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
    const updated = await this.dataSource.transaction(async (m) => {
      const gateway = await m.getRepository(Gateway).findOne({ where: { id, orgId: auth.orgId }, lock: { mode: 'pessimistic_write' } });
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
      const changes: Partial<Gateway> = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.site_id !== undefined) changes.siteId = dto.site_id;
      if (dto.status !== undefined) changes.status = dto.status;
      if (dto.status === 'disabled') {
        // "The code of a disabled gateway can no longer be redeemed" — not even after re-enabling.
        await m.query('DELETE FROM pairing_codes WHERE gateway_id = $1 AND redeemed_at IS NULL', [gateway.id]);
      }
      await m.getRepository(Gateway).update({ id: gateway.id }, changes);
      const [row] = await m.query<GatewayRow[]>(SQL_GATEWAY_BY_ID, [gateway.id, auth.orgId]);
      return row;
    });
    if (dto.status) this.logger.log(`org ${auth.orgId}: gateway ${id} set to ${dto.status} (key ${auth.keyId})`);
    if (dto.status === 'disabled') {
      // Wherever its socket lives, it closes with 4403.
      await this.signal({ type: 'gateway.disconnect', gatewayId: id, code: CLOSE_DISABLED, reason: 'gateway disabled' });
    }
    return toGatewayResponse(updated);
  }

  /**
   * Unpairs and removes the gateway; its key, pairing code and telemetry go with it. Cameras
   * still bound to it must be moved or deleted first (FK RESTRICT backs this up against races).
   */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const gateway = await m.getRepository(Gateway).findOne({ where: { id, orgId: auth.orgId }, lock: { mode: 'pessimistic_write' } });
      if (!gateway || !canSeeSite(auth, gateway.siteId)) throw ApiError.notFound('Gateway');
      const [{ n }] = await m.query('SELECT count(*)::int AS n FROM cameras WHERE gateway_id = $1', [gateway.id]);
      if (n > 0) {
        throw ApiError.validation(`Gateway still has ${n} bound camera(s); move or delete them first`, [
          { field: 'id', message: `${n} camera(s) are bound to this gateway` },
        ]);
      }
      await m.getRepository(Gateway).delete({ id: gateway.id });
    });
    this.logger.log(`org ${auth.orgId}: gateway ${id} deleted (key ${auth.keyId})`);
    await this.signal({ type: 'gateway.disconnect', gatewayId: id, code: CLOSE_DELETED, reason: 'gateway deleted' });
  }

  /**
   * The change is committed; a lost signal is caught by every instance's periodic resync, so a
   * failure here is logged rather than turned into an error for a request that succeeded.
   */
  private async signal(signal: Signal): Promise<void> {
    await this.bus.publish(signal).catch((e: unknown) => this.logger.warn(`could not publish ${signal.type}: ${String(e)}`));
  }

  /** Another org's gateway, or one outside the key's sites, does not exist for this caller (404). */
  async findVisible(auth: AuthContext, id: string): Promise<GatewayRow> {
    const [gateway] = await this.reads.rows<GatewayRow>(SQL_GATEWAY_BY_ID, [id, auth.orgId]);
    if (!gateway || !canSeeSite(auth, gateway.site_id)) throw ApiError.notFound('Gateway');
    return gateway;
  }
}
