import { Module } from '@nestjs/common';
import { GatewaysModule } from '../gateways/gateways.module';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { ConnectionRegistry } from './connection-registry.service';
import { LivenessService } from './liveness.service';

/** One connection per gateway across instances, and whether each gateway is online. */
@Module({
  imports: [GatewaysModule, TelemetryModule],
  providers: [ConnectionRegistry, LivenessService],
  exports: [ConnectionRegistry],
})
export class PresenceModule {}
