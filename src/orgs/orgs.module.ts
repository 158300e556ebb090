import { Module } from '@nestjs/common';
import { SitesModule } from '../sites/sites.module';
import { BootstrapService } from './bootstrap.service';
import { OrgsRepository } from './orgs.repository';
import { OrgsService } from './orgs.service';

@Module({
  imports: [SitesModule],
  providers: [OrgsRepository, OrgsService, BootstrapService],
  exports: [OrgsRepository, OrgsService],
})
export class OrgsModule {}
