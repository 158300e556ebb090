import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BoundCameras } from '../gateways/bound-cameras';
import { GatewaysModule } from '../gateways/gateways.module';
import { SitesModule } from '../sites/sites.module';
import { Camera } from './camera.entity';
import { CamerasController } from './cameras.controller';
import { CamerasRepository } from './cameras.repository';
import { CamerasService } from './cameras.service';

/** Global only for BoundCameras, which the gateways feature declares and this one provides. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Camera]), GatewaysModule, SitesModule],
  controllers: [CamerasController],
  providers: [CamerasRepository, CamerasService, { provide: BoundCameras, useExisting: CamerasRepository }],
  exports: [BoundCameras, CamerasService, CamerasRepository],
})
export class CamerasModule {}
