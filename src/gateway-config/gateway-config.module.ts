import { Global, Module } from '@nestjs/common';
import { CameraConfigSections } from '../cameras/camera-config-sections';
import { GatewaysModule } from '../gateways/gateways.module';
import { ConfigDelivery } from './config-delivery.service';
import { ConfigSections } from './config-sections';
import { GatewayConfigController } from './gateway-config.controller';
import { GatewayConfigRepository } from './gateway-config.repository';
import { GatewayConfigService } from './gateway-config.service';

/**
 * Gateway configuration (v1.3): the REST routes, the push of desired documents to the sockets
 * this instance holds, and the gateways' reports. gateway-link routes the config frames here
 * (ConfigDelivery). CamerasRepository comes from the global CamerasModule; this module is
 * global only to provide CameraConfigSections, which the cameras feature declares.
 */
@Global()
@Module({
  imports: [GatewaysModule],
  controllers: [GatewayConfigController],
  providers: [GatewayConfigRepository, GatewayConfigService, ConfigDelivery, ConfigSections, { provide: CameraConfigSections, useExisting: ConfigSections }],
  exports: [ConfigDelivery, CameraConfigSections],
})
export class GatewayConfigModule {}
