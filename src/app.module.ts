import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthModule } from './auth/auth.module';
import { CamerasModule } from './cameras/cameras.module';
import { CommandsModule } from './commands/commands.module';
import { CredentialsModule } from './credentials/credentials.module';
import { GatewayConfigModule } from './gateway-config/gateway-config.module';
import { InstanceIdentity } from './common/instance-identity';
import { createRootLogger } from './common/request-logger';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { appDataSourceOptions } from './data-source';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { GatewayLinkModule } from './gateway-link/gateway-link.module';
import { GatewaysModule } from './gateways/gateways.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrgsModule } from './orgs/orgs.module';
import { PairingModule } from './pairing/pairing.module';
import { PresenceModule } from './presence/presence.module';
import { SignalsModule } from './signals/signals.module';
import { SitesModule } from './sites/sites.module';
import { TelemetryModule } from './telemetry/telemetry.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The process's pino logger (see createRootLogger). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const logger = createRootLogger(config.LOG_LEVEL, { format: config.logFormat });
    return {
      module: AppModule,
      global: true,
      providers: [{ provide: ROOT_LOGGER, useValue: logger }, InstanceIdentity],
      exports: [InstanceIdentity],
      imports: [
        ConfigModule.forRoot(config),
        // nestjs-pino carries the framework's and the services' log lines to the root logger. Its
        // per-request middleware (pino-http: a child logger and serializers on every request) is
        // not installed (`forRoutes: []`): `requestLogger` (app.factory.ts) writes the request
        // lines and binds the request to the services' lines itself, lazily.
        LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] }),
        MetricsModule,
        DatabaseModule.forRoot(appDataSourceOptions(config, databaseUrl)),
        SignalsModule,
        AuthModule,
        OrgsModule,
        HealthModule,
        SitesModule,
        ApiKeysModule,
        GatewaysModule,
        CamerasModule,
        EventsModule,
        WebhooksModule,
        PairingModule,
        CredentialsModule,
        TelemetryModule,
        PresenceModule,
        CommandsModule,
        GatewayConfigModule,
        GatewayLinkModule,
      ],
    };
  }
}
