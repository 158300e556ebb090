import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { OrgsService } from './orgs.service';

/** Makes the first org, site and admin key when the service starts on an empty database. */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  constructor(
    private readonly orgs: OrgsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.orgs.bootstrap(this.config.NOVAVMS_BOOTSTRAP_ADMIN_KEY);
  }
}
