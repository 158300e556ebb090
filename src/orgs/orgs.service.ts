import { Injectable, Logger, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApiKeysRepository } from '../auth/api-keys.repository';
import { hashKey, newKey, USER_KEY_PREFIX } from '../auth/key-hash';
import { adminKeyBlock, localBaseUrl } from '../common/log-admin-key';
import { AppConfig } from '../config/config';
import { Transactions } from '../database/transactions';
import { SitesRepository } from '../sites/sites.repository';
import { OrgsRepository } from './orgs.repository';

export interface CreatedOrg {
  org_id: string;
  site_id: string;
  api_key: string;
}

/** Orgs are made by whoever runs the deployment (CLI, bootstrap), never over the public API. */
@Injectable()
export class OrgsService {
  private readonly logger = new Logger(OrgsService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly orgs: OrgsRepository,
    private readonly sites: SitesRepository,
    private readonly keys: ApiKeysRepository,
    // Absent in the admin CLI, which never bootstraps and prints what it creates itself.
    @Optional() private readonly config?: AppConfig,
  ) {}

  /** A new org with its first site and an admin key, in one transaction. */
  async createOrg(name: string, siteName = 'Default site', adminKey?: string): Promise<CreatedOrg> {
    return this.transactions.run((m) => this.insertOrg(m, name, siteName, adminKey));
  }

  /**
   * On an empty database: org "Default", site "Default site" and one admin key — the value of
   * NOVAVMS_BOOTSTRAP_ADMIN_KEY when set, else a random key printed once. Several instances may
   * start at once; a transaction-scoped advisory lock lets exactly one of them do it.
   */
  async bootstrap(adminKey?: string): Promise<CreatedOrg | undefined> {
    const created = await this.transactions.run(async (m) => {
      if (!(await this.orgs.lockBootstrapAndCheckEmpty(m))) return undefined;
      return this.insertOrg(m, 'Default', 'Default site', adminKey);
    });
    if (created) {
      if (adminKey) {
        this.logger.log(`empty database: created org ${created.org_id} with the admin key from NOVAVMS_BOOTSTRAP_ADMIN_KEY`);
      } else if (this.config?.logFormat === 'pretty') {
        // Someone is reading a terminal: the key gets a frame of its own rather than the middle
        // of a line. It goes through the logger all the same, so that it comes in order with
        // the start-up lines (held back until the server listens), not above them all.
        const block = adminKeyBlock(created, localBaseUrl(this.config.HOST, this.config.PORT));
        this.logger.warn(`empty database: created org ${created.org_id}, site ${created.site_id} and an admin key:\n\n${block}\n`);
      } else {
        // Printed once, on purpose: it is the only way to learn the first key. Only its hash is kept.
        this.logger.warn(
          `empty database: created org ${created.org_id}, site ${created.site_id} and admin key ${created.api_key} — store it now, it is not shown again`,
        );
      }
    }
    return created;
  }

  private async insertOrg(m: EntityManager, name: string, siteName: string, adminKey?: string): Promise<CreatedOrg> {
    const org = await this.orgs.create(name, m);
    const site = await this.sites.create(org.id, siteName, m);
    const key = adminKey ?? newKey(USER_KEY_PREFIX);
    await this.keys.create({ orgId: org.id, name: 'admin', role: 'admin', siteIds: null, keyHash: hashKey(key) }, m);
    return { org_id: org.id, site_id: site.id, api_key: key };
  }
}
