import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { Site } from './site.entity';
import { GenerateSql, SAMPLE_UUID } from '../database/sql-snapshot';

/** The sites table. */
@Injectable()
export class SitesRepository {
  constructor(@InjectRepository(Site) private readonly sites: Repository<Site>) {}

  @GenerateSql([SAMPLE_UUID, 'Warehouse A'])
  create(orgId: string, name: string, manager?: EntityManager): Promise<Site> {
    const repo = manager ? manager.getRepository(Site) : this.sites;
    return repo.save(repo.create({ orgId, name }));
  }

  /** Sites of the org (only `siteIds`, when given), oldest first. */
  @GenerateSql([SAMPLE_UUID, null, 100, 0], [SAMPLE_UUID, [SAMPLE_UUID], 100, 0])
  list(orgId: string, siteIds: string[] | null, limit: number, offset: number): Promise<[Site[], number]> {
    return this.sites.findAndCount({
      where: siteIds === null ? { orgId } : { orgId, id: In(siteIds) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID])
  findInOrg(id: string, orgId: string, manager?: EntityManager): Promise<Site | null> {
    return (manager ? manager.getRepository(Site) : this.sites).findOne({ where: { id, orgId } });
  }

  /** Which of `ids` are sites of the org. */
  @GenerateSql([SAMPLE_UUID, [SAMPLE_UUID]])
  async existingIds(orgId: string, ids: string[]): Promise<Set<string>> {
    const found = await this.sites.find({ where: { orgId, id: In(ids) }, select: { id: true } });
    return new Set(found.map((s) => s.id));
  }
}
