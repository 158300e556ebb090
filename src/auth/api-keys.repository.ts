import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { ApiKey } from './api-key.entity';
import { GenerateSql, SAMPLE_HASH, SAMPLE_UUID } from '../database/sql-snapshot';

export interface NewApiKey {
  orgId: string;
  name: string;
  role: ApiKey['role'];
  siteIds: string[] | null;
  keyHash: string;
}

/** The api_keys table: user API keys, by their SHA-256 only. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  /** The unrevoked key with this hash. */
  @GenerateSql([SAMPLE_HASH])
  findActiveByHash(keyHash: string): Promise<ApiKey | null> {
    return this.keys.findOne({ where: { keyHash, revokedAt: IsNull() } });
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID])
  findActive(id: string, orgId: string): Promise<ApiKey | null> {
    return this.keys.findOne({ where: { id, orgId, revokedAt: IsNull() } });
  }

  @GenerateSql([{ orgId: SAMPLE_UUID, name: 'admin', role: 'admin', siteIds: null, keyHash: SAMPLE_HASH }])
  create(key: NewApiKey, manager?: EntityManager): Promise<ApiKey> {
    const repo = manager ? manager.getRepository(ApiKey) : this.keys;
    return repo.save(repo.create({ ...key, revokedAt: null }));
  }

  /** Unrevoked keys of the org, oldest first; with `withinSites`, only keys limited to those sites. */
  @GenerateSql([SAMPLE_UUID, null, 100, 0], [SAMPLE_UUID, [SAMPLE_UUID], 100, 0])
  listActive(orgId: string, withinSites: string[] | null, limit: number, offset: number): Promise<[ApiKey[], number]> {
    const qb = this.keys
      .createQueryBuilder('k')
      .where('k.org_id = :orgId AND k.revoked_at IS NULL', { orgId })
      .orderBy('k.created_at', 'ASC')
      .addOrderBy('k.id', 'ASC')
      .take(limit)
      .skip(offset);
    if (withinSites !== null) qb.andWhere('k.site_ids IS NOT NULL AND k.site_ids <@ CAST(:scope AS uuid[])', { scope: withinSites });
    return qb.getManyAndCount();
  }

  @GenerateSql([SAMPLE_UUID])
  async revoke(id: string): Promise<void> {
    await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}
