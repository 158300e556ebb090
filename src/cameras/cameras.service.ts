import { Injectable } from '@nestjs/common';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { Page } from '../common/pagination.dto';
import { isoUtc } from '../common/time';
import { requestedBy } from '../database/change-context';
import { Transactions } from '../database/transactions';
import { GatewaysService } from '../gateways/gateways.service';
import { CameraConfigSections } from './camera-config-sections';
import { SitesService } from '../sites/sites.service';
import { Camera } from './camera.entity';
import { CamerasRepository } from './cameras.repository';
import { CameraResponse, CreateCameraDto, ListCamerasQuery, UpdateCameraDto } from './dto/camera.dto';

function toCameraResponse(camera: Camera): CameraResponse {
  return {
    id: camera.id,
    name: camera.name,
    site_id: camera.siteId,
    gateway_id: camera.gatewayId,
    created_at: isoUtc(camera.createdAt),
  };
}

/**
 * The gateway or site named in the body was checked, then deleted by a concurrent request
 * before the write: the foreign key refuses the row, and the caller hears why.
 */
function referenceGone(e: unknown): never {
  if ((e as { driverError?: { code?: string } }).driverError?.code === '23503') {
    throw ApiError.validation('gateway_id or site_id no longer exists', [{ field: 'gateway_id', message: 'was deleted meanwhile' }]);
  }
  throw e;
}

@Injectable()
export class CamerasService {
  constructor(
    private readonly cameras: CamerasRepository,
    private readonly gateways: GatewaysService,
    private readonly sites: SitesService,
    private readonly transactions: Transactions,
    private readonly sections: CameraConfigSections,
  ) {}

  async create(auth: AuthContext, dto: CreateCameraDto): Promise<CameraResponse> {
    await this.sites.requireWritableSite(auth, dto.site_id);
    if (dto.gateway_id) await this.gateways.requireWritableGateway(auth, dto.gateway_id);
    const camera = await this.cameras
      .create({ orgId: auth.orgId, siteId: dto.site_id, gatewayId: dto.gateway_id ?? null, name: dto.name })
      .catch(referenceGone);
    return toCameraResponse(camera);
  }

  async list(auth: AuthContext, query: ListCamerasQuery): Promise<Page<CameraResponse>> {
    let siteIds = auth.siteIds;
    if (query.site_id) {
      if (!canSeeSite(auth, query.site_id)) return { data: [], total: 0 };
      siteIds = [query.site_id];
    }
    const [rows, total] = await this.cameras.list({ orgId: auth.orgId, siteIds, gatewayId: query.gateway_id, limit: query.limit, offset: query.offset });
    return { data: rows.map(toCameraResponse), total };
  }

  async get(auth: AuthContext, id: string): Promise<CameraResponse> {
    return toCameraResponse(await this.findVisible(auth, id));
  }

  async update(auth: AuthContext, id: string, dto: UpdateCameraDto): Promise<CameraResponse> {
    if (dto.name === undefined && dto.site_id === undefined && dto.gateway_id === undefined) {
      throw ApiError.validation('No valid fields to update: send name, site_id or gateway_id');
    }
    const camera = await this.findVisible(auth, id);
    if (dto.site_id !== undefined) {
      await this.sites.requireWritableSite(auth, dto.site_id);
      camera.siteId = dto.site_id;
    }
    if (dto.gateway_id !== undefined) {
      if (dto.gateway_id !== null) await this.gateways.requireWritableGateway(auth, dto.gateway_id);
      camera.gatewayId = dto.gateway_id;
    }
    if (dto.name !== undefined) camera.name = dto.name;
    // The camera is locked to read the gateway it leaves: its configuration section moves with it, in this transaction.
    await this.transactions.run(async (m) => {
      const before = await this.cameras.lockInOrg(camera.id, auth.orgId, m);
      if (!before) throw ApiError.notFound('Camera');
      if (dto.gateway_id === undefined) camera.gatewayId = before.gatewayId;
      await this.cameras.update(camera.id, auth.orgId, { name: camera.name, siteId: camera.siteId, gatewayId: camera.gatewayId }, m);
      if (before.gatewayId !== camera.gatewayId) await this.sections.moved(camera.id, before.gatewayId, camera.gatewayId, requestedBy(auth), m);
    }, requestedBy(auth)).catch(referenceGone);
    return toCameraResponse(camera);
  }

  /** Its configuration section leaves its gateway's desired document with it. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    const camera = await this.findVisible(auth, id);
    await this.transactions.run(async (m) => {
      const before = await this.cameras.lockInOrg(camera.id, auth.orgId, m);
      if (!before) return;
      await this.cameras.delete(camera.id, auth.orgId, m);
      if (before.gatewayId) await this.sections.moved(camera.id, before.gatewayId, null, requestedBy(auth), m);
    }, requestedBy(auth));
  }

  /** Another org's camera, or one outside the key's sites, does not exist for this caller. */
  private async findVisible(auth: AuthContext, id: string): Promise<Camera> {
    const camera = await this.cameras.findInOrg(id, auth.orgId);
    if (!camera || !canSeeSite(auth, camera.siteId)) throw ApiError.notFound('Camera');
    return camera;
  }
}
