import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { Page } from '../common/pagination.dto';
import { isoUtc } from '../common/time';
import { CreateSiteDto, ListSitesQuery, SiteResponse } from './dto/site.dto';
import { Site } from './site.entity';
import { SitesRepository } from './sites.repository';

function toSiteResponse(site: Site): SiteResponse {
  return { id: site.id, name: site.name, created_at: isoUtc(site.createdAt) };
}

@Injectable()
export class SitesService {
  constructor(private readonly sites: SitesRepository) {}

  async create(auth: AuthContext, dto: CreateSiteDto): Promise<SiteResponse> {
    // A site-scoped key could not see the site it made; creating sites is an org-wide act.
    if (auth.siteIds !== null) throw ApiError.forbidden('A site-scoped key cannot create sites');
    return toSiteResponse(await this.sites.create(auth.orgId, dto.name));
  }

  async list(auth: AuthContext, query: ListSitesQuery): Promise<Page<SiteResponse>> {
    const [rows, total] = await this.sites.list(auth.orgId, auth.siteIds, query.limit, query.offset);
    return { data: rows.map(toSiteResponse), total };
  }

  /**
   * A site named in a request body: it must be a site of the caller's org (else 400, the Gateway API's
   * "must exist in caller's org") and one the key may touch (else 403).
   */
  async requireWritableSite(auth: AuthContext, siteId: string, field = 'site_id', manager?: EntityManager): Promise<void> {
    const site = await this.sites.findInOrg(siteId, auth.orgId, manager);
    if (!site) throw ApiError.validation(`${field} is not a site of your org`, [{ field, message: 'must exist in your org' }]);
    if (!canSeeSite(auth, site.id)) throw ApiError.forbidden(`Your API key is not allowed to use site ${site.id}`);
  }

  /** Every id must be a site of the org (400); a scoped key may only name its own sites (403). */
  async requireWritableSites(auth: AuthContext, siteIds: string[], field: string): Promise<void> {
    const unique = [...new Set(siteIds)];
    const known = await this.sites.existingIds(auth.orgId, unique);
    const missing = unique.filter((id) => !known.has(id));
    if (missing.length > 0) {
      throw ApiError.validation(`${field} names sites that are not in your org`, missing.map((id) => ({ field, message: `${id} is not a site of your org` })));
    }
    const outside = unique.filter((id) => !canSeeSite(auth, id));
    if (outside.length > 0) throw ApiError.forbidden(`Your API key is not allowed to use site(s) ${outside.join(', ')}`);
  }
}
