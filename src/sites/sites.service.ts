import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { Page } from '../common/pagination.dto';
import { isoUtc } from '../common/time';
import { CreateSiteDto, ListSitesQuery, SiteResponse } from './dto/site.dto';
import { Site } from './site.entity';

export function toSiteResponse(site: Site): SiteResponse {
  return { id: site.id, name: site.name, created_at: isoUtc(site.createdAt) };
}

@Injectable()
export class SitesService {
  constructor(@InjectRepository(Site) private readonly sites: Repository<Site>) {}

  async create(auth: AuthContext, dto: CreateSiteDto): Promise<SiteResponse> {
    // A site-scoped key could not see the site it made; creating sites is an org-wide act.
    if (auth.siteIds !== null) throw ApiError.forbidden('A site-scoped key cannot create sites');
    const site = await this.sites.save(this.sites.create({ orgId: auth.orgId, name: dto.name }));
    return toSiteResponse(site);
  }

  async list(auth: AuthContext, query: ListSitesQuery): Promise<Page<SiteResponse>> {
    const where = auth.siteIds === null ? { orgId: auth.orgId } : { orgId: auth.orgId, id: In(auth.siteIds) };
    const [rows, total] = await this.sites.findAndCount({
      where,
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit ?? 100,
      skip: query.offset ?? 0,
    });
    return { data: rows.map(toSiteResponse), total };
  }

  /**
   * A site named in a request body: it must be a site of the caller's org (else 400, the page's
   * "must exist in caller's org") and one the key may touch (else 403).
   */
  async requireWritableSite(auth: AuthContext, siteId: string, field = 'site_id', manager?: EntityManager): Promise<Site> {
    const repo = manager ? manager.getRepository(Site) : this.sites;
    const site = await repo.findOne({ where: { id: siteId, orgId: auth.orgId } });
    if (!site) throw ApiError.validation(`${field} is not a site of your org`, [{ field, message: 'must exist in your org' }]);
    if (!canSeeSite(auth, site.id)) throw ApiError.forbidden(`Your API key is not allowed to use site ${site.id}`);
    return site;
  }

  /** Every id must be a site of the org (400); a scoped key may only name its own sites (403). */
  async requireWritableSites(auth: AuthContext, siteIds: string[], field: string): Promise<void> {
    const unique = [...new Set(siteIds)];
    const found = await this.sites.find({ where: { orgId: auth.orgId, id: In(unique) }, select: { id: true } });
    const known = new Set(found.map((s) => s.id));
    const missing = unique.filter((id) => !known.has(id));
    if (missing.length > 0) {
      throw ApiError.validation(`${field} names sites that are not in your org`, missing.map((id) => ({ field, message: `${id} is not a site of your org` })));
    }
    const outside = unique.filter((id) => !canSeeSite(auth, id));
    if (outside.length > 0) throw ApiError.forbidden(`Your API key is not allowed to use site(s) ${outside.join(', ')}`);
  }
}
