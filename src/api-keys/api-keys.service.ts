import { Injectable } from '@nestjs/common';
import { ApiKey } from '../auth/api-key.entity';
import { ApiKeysRepository } from '../auth/api-keys.repository';
import { AuthContext, withinKeyScope } from '../auth/auth-context';
import { AuthService } from '../auth/auth.service';
import { hashKey, newKey, USER_KEY_PREFIX } from '../auth/key-hash';
import { ApiError } from '../common/api-error';
import { Page } from '../common/pagination.dto';
import { isoUtc } from '../common/time';
import { SitesService } from '../sites/sites.service';
import { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse, ListApiKeysQuery } from './dto/api-key.dto';

function toApiKeyResponse(key: ApiKey): ApiKeyResponse {
  return { id: key.id, name: key.name, role: key.role, site_ids: key.siteIds, created_at: isoUtc(key.createdAt) };
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly sites: SitesService,
    private readonly authService: AuthService,
  ) {}

  async create(auth: AuthContext, dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    const siteIds = dto.site_ids ?? null;
    if (siteIds === null && auth.siteIds !== null) {
      throw ApiError.forbidden('A site-scoped key can only create keys limited to its own sites');
    }
    if (siteIds !== null) await this.sites.requireWritableSites(auth, siteIds, 'site_ids');
    const key = newKey(USER_KEY_PREFIX);
    const row = await this.keys.create({ orgId: auth.orgId, name: dto.name, role: dto.role, siteIds, keyHash: hashKey(key) });
    return { ...toApiKeyResponse(row), key };
  }

  async list(auth: AuthContext, query: ListApiKeysQuery): Promise<Page<ApiKeyResponse>> {
    const [rows, total] = await this.keys.listActive(auth.orgId, auth.siteIds, query.limit, query.offset);
    return { data: rows.map(toApiKeyResponse), total };
  }

  /** Revokes the key: it is refused from the very next request on. */
  async revoke(auth: AuthContext, id: string): Promise<void> {
    const key = await this.keys.findActive(id, auth.orgId);
    if (!key || !withinKeyScope(auth, key.siteIds)) throw ApiError.notFound('API key');
    await this.keys.revoke(key.id);
    await this.authService.revoked(key.id);
  }
}
