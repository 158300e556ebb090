import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewaysModule } from '../gateways/gateways.module';
import { ConnectionRegistry } from './connection-registry.service';
import { GatewayChannel } from './gateway-channel.gateway';
import { GatewayTelemetry } from './gateway-telemetry.entity';
import { HeartbeatBuffer } from './heartbeat-buffer.service';
import { LivenessService } from './liveness.service';
import { TelemetryController } from './telemetry.controller';
import { TelemetryService } from './telemetry.service';
import { UpgradeAuthService } from './upgrade-auth.service';

@Module({
  imports: [TypeOrmModule.forFeature([GatewayTelemetry]), GatewaysModule],
  controllers: [TelemetryController],
  providers: [TelemetryService, UpgradeAuthService, HeartbeatBuffer, ConnectionRegistry, LivenessService, GatewayChannel],
  exports: [UpgradeAuthService, ConnectionRegistry, HeartbeatBuffer],
})
export class TelemetryModule {}
