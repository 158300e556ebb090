import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { GatewayConfigModule } from '../gateway-config/gateway-config.module';
import { GatewaysModule } from '../gateways/gateways.module';
import { PresenceModule } from '../presence/presence.module';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { GatewayLinkChannel } from './gateway-link.channel';
import { UpgradeAuthService } from './upgrade-auth.service';

/** The gateway's WebSocket: upgrade auth, frames, close codes (GatewayLinkAdapter is installed by app.factory.ts). */
@Module({
  imports: [GatewaysModule, PresenceModule, TelemetryModule, CommandsModule, GatewayConfigModule, CredentialsModule],
  providers: [UpgradeAuthService, GatewayLinkChannel],
})
export class GatewayLinkModule {}
