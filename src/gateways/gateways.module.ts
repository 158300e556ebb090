import { Module } from '@nestjs/common';
import { SitesModule } from '../sites/sites.module';
import { GatewayLiveStateRepository } from './gateway-live-state.repository';
import { GatewaysController } from './gateways.controller';
import { GatewaysRepository } from './gateways.repository';
import { GatewaysService } from './gateways.service';
import { PairingCodesRepository } from './pairing-codes.repository';

/**
 * The gateway aggregate: gateways, their live state, pairing codes, per-site counts and
 * tombstones. Its service needs BoundCameras, which the cameras feature provides (globally).
 */
@Module({
  imports: [SitesModule],
  controllers: [GatewaysController],
  providers: [GatewaysRepository, GatewayLiveStateRepository, PairingCodesRepository, GatewaysService],
  exports: [GatewaysRepository, GatewayLiveStateRepository, PairingCodesRepository, GatewaysService],
})
export class GatewaysModule {}
