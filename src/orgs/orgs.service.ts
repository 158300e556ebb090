import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ApiKey } from '../auth/api-key.entity';
import { hashKey, newKey, USER_KEY_PREFIX } from '../auth/key-hash';
import { Site } from '../sites/site.entity';
import { Org } from './org.entity';

export interface CreatedOrg {
  org_id: string;
  site_id: string;
  api_key: string;
}

const BOOTSTRAP_LOCK_KEY = 0x4e6f7662; // "Novb"

/** Orgs are made by whoever runs the deployment (CLI, bootstrap), never over the public API. */
@Injectable()
export class OrgsService {
  private readonly logger = new Logger('Bootstrap');

  constructor(private readonly dataSource: DataSource) {}

  /** A new org with its first site and an admin key, in one transaction. */
  async createOrg(name: string, siteName = 'Default site', adminKey?: string): Promise<CreatedOrg> {
    return this.dataSource.transaction((manager) => this.insertOrg(manager, name, siteName, adminKey));
  }

  /**
   * On an empty database: org "Default", site "Default site" and one admin key — the value of
   * NOVAVMS_BOOTSTRAP_ADMIN_KEY when set, else a random key printed once. Several instances may
   * start at once; a transaction-scoped advisory lock lets exactly one of them do it.
   */
  async bootstrap(adminKey?: string): Promise<CreatedOrg | undefined> {
    const created = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      const [{ exists }] = await manager.query('SELECT EXISTS (SELECT 1 FROM orgs) AS "exists"');
      if (exists) return undefined;
      return this.insertOrg(manager, 'Default', 'Default site', adminKey);
    });
    if (created) {
      if (adminKey) {
        this.logger.log(`empty database: created org ${created.org_id} with the admin key from NOVAVMS_BOOTSTRAP_ADMIN_KEY`);
      } else {
        // Printed once, on purpose: it is the only way to learn the first key. Only its hash is kept.
        this.logger.warn(
          `empty database: created org ${created.org_id}, site ${created.site_id} and admin key ${created.api_key} — store it now, it is not shown again`,
        );
      }
    }
    return created;
  }

  private async insertOrg(manager: EntityManager, name: string, siteName: string, adminKey?: string): Promise<CreatedOrg> {
    const org = await manager.save(manager.create(Org, { name }));
    const site = await manager.save(manager.create(Site, { orgId: org.id, name: siteName }));
    const key = adminKey ?? newKey(USER_KEY_PREFIX);
    await manager.save(
      manager.create(ApiKey, { orgId: org.id, name: 'admin', role: 'admin', siteIds: null, keyHash: hashKey(key), revokedAt: null }),
    );
    return { org_id: org.id, site_id: site.id, api_key: key };
  }
}
