import { Module } from '@nestjs/common';
import { GatewaysModule } from '../gateways/gateways.module';
import { ConfigDelivery } from './config-delivery.service';
import { GatewayConfigController } from './gateway-config.controller';
import { GatewayConfigRepository } from './gateway-config.repository';
import { GatewayConfigService } from './gateway-config.service';

/**
 * Gateway configuration (v1.3): the REST routes, the push of desired documents to the sockets
 * this instance holds, and the gateways' reports. gateway-link routes the config frames here
 * (ConfigDelivery). CamerasRepository comes from the global CamerasModule.
 */
@Module({
  imports: [GatewaysModule],
  controllers: [GatewayConfigController],
  providers: [GatewayConfigRepository, GatewayConfigService, ConfigDelivery],
  exports: [ConfigDelivery],
})
export class GatewayConfigModule {}
