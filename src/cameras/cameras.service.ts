import { Injectable } from '@nestjs/common';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { Page } from '../common/pagination.dto';
import { isoUtc } from '../common/time';
import { GatewaysService } from '../gateways/gateways.service';
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
    await this.cameras.update(camera.id, auth.orgId, { name: camera.name, siteId: camera.siteId, gatewayId: camera.gatewayId }).catch(referenceGone);
    return toCameraResponse(camera);
  }

  async delete(auth: AuthContext, id: string): Promise<void> {
    const camera = await this.findVisible(auth, id);
    await this.cameras.delete(camera.id, auth.orgId);
  }

  /** Another org's camera, or one outside the key's sites, does not exist for this caller. */
  private async findVisible(auth: AuthContext, id: string): Promise<Camera> {
    const camera = await this.cameras.findInOrg(id, auth.orgId);
    if (!camera || !canSeeSite(auth, camera.siteId)) throw ApiError.notFound('Camera');
    return camera;
  }
}
