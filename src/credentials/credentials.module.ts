import { Module } from '@nestjs/common';
import { GatewaysModule } from '../gateways/gateways.module';
import { CredentialsController } from './credentials.controller';
import { CredentialsService } from './credentials.service';
import { GatewayKeysRepository } from './gateway-keys.repository';
import { KeyRotationDelivery } from './key-rotation-delivery.service';
import { KeyRotationsRepository } from './key-rotations.repository';
import { ReplacementLog } from './replacement-log.service';
import { ReplacementsRepository } from './replacements.repository';

/**
 * Gateway credentials (v1.3): the keys' REST routes, key rotations sent to the sockets this
 * instance holds (KeyRotationDelivery, fed by gateway-link), cloned-key detection on the
 * replacement path (ReplacementLog, fed by presence), and the keys pairing issues.
 */
@Module({
  imports: [GatewaysModule],
  controllers: [CredentialsController],
  providers: [GatewayKeysRepository, KeyRotationsRepository, ReplacementsRepository, CredentialsService, KeyRotationDelivery, ReplacementLog],
  exports: [GatewayKeysRepository, KeyRotationDelivery, ReplacementLog],
})
export class CredentialsModule {}
