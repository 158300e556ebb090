import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { GatewaysModule } from '../gateways/gateways.module';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { ConnectionClaims } from './connection-claims.service';
import { ConnectionRegistry } from './connection-registry.service';
import { LivenessService } from './liveness.service';

/** One connection per gateway across instances (claimed in batches), and whether each gateway is online. */
@Module({
  imports: [GatewaysModule, TelemetryModule, CredentialsModule],
  providers: [ConnectionRegistry, ConnectionClaims, LivenessService],
  exports: [ConnectionRegistry, ConnectionClaims],
})
export class PresenceModule {}
