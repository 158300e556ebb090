import { Module } from '@nestjs/common';
import { ConnectionRegistry } from './connection-registry.service';
import { GatewayChannel } from './gateway-channel.gateway';
import { HeartbeatBuffer } from './heartbeat-buffer.service';
import { InstanceIdentity } from './instance-identity';
import { LivenessService } from './liveness.service';
import { TelemetryController } from './telemetry.controller';
import { TelemetryService } from './telemetry.service';
import { UpgradeAuthService } from './upgrade-auth.service';

@Module({
  controllers: [TelemetryController],
  providers: [InstanceIdentity, TelemetryService, UpgradeAuthService, HeartbeatBuffer, ConnectionRegistry, LivenessService, GatewayChannel],
  exports: [UpgradeAuthService, ConnectionRegistry, HeartbeatBuffer],
})
export class TelemetryModule {}
