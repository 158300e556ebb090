import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Gateway } from '../gateways/gateway.entity';
import { SitesModule } from '../sites/sites.module';
import { Camera } from './camera.entity';
import { CamerasController } from './cameras.controller';
import { CamerasService } from './cameras.service';

@Module({
  imports: [TypeOrmModule.forFeature([Camera, Gateway]), SitesModule],
  controllers: [CamerasController],
  providers: [CamerasService],
})
export class CamerasModule {}
