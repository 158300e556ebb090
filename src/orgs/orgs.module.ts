import { Module } from '@nestjs/common';
import { BootstrapService } from './bootstrap.service';
import { OrgsService } from './orgs.service';

@Module({ providers: [OrgsService, BootstrapService], exports: [OrgsService] })
export class OrgsModule {}
