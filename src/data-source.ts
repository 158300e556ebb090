import type { DataSourceOptions } from 'typeorm';
import { ApiKey } from './auth/api-key.entity';
import { Camera } from './cameras/camera.entity';
import { GatewayCommand } from './commands/gateway-command.entity';
import { GatewayKeyRotation } from './credentials/gateway-key-rotation.entity';
import { GatewayCredentialConflict, GatewayReplacement } from './credentials/gateway-replacement.entity';
import { GatewayConfig } from './gateway-config/gateway-config.entity';
import { AppConfig } from './config/config';
import { dataSourceOptions } from './database/data-source-options';
import { EventLogHead } from './events/event-log-head.entity';
import { GatewayEvent } from './events/gateway-event.entity';
import { GatewayCount } from './gateways/gateway-count.entity';
import { GatewayKey } from './credentials/gateway-key.entity';
import { GatewayTelemetry } from './gateways/gateway-telemetry.entity';
import { GatewayTombstone } from './gateways/gateway-tombstone.entity';
import { Gateway } from './gateways/gateway.entity';
import { PairingCode } from './gateways/pairing-code.entity';
import { Org } from './orgs/org.entity';
import { PairingGuess } from './pairing/pairing-guess.entity';
import { Site } from './sites/site.entity';
import { WebhookDelivery } from './webhooks/webhook-delivery.entity';
import { WebhookDispatchCursor } from './webhooks/webhook-dispatch-cursor.entity';
import { Webhook } from './webhooks/webhook.entity';
import { ServiceInstance } from './telemetry/service-instance.entity';

/** Every table of the schema, by the feature that owns it. The composition root, like app.module.ts. */
export const ENTITIES = [Org, Site, ApiKey, Gateway, GatewayCount, GatewayTombstone, PairingCode, GatewayTelemetry, PairingGuess, Camera, ServiceInstance, GatewayEvent, EventLogHead, Webhook, WebhookDelivery, WebhookDispatchCursor, GatewayCommand, GatewayConfig, GatewayKey, GatewayKeyRotation, GatewayReplacement, GatewayCredentialConflict];

/** The service's TypeORM options: the service, the admin CLI, the TypeORM CLI and the tests use these. */
export function appDataSourceOptions(config: AppConfig, url: string): DataSourceOptions {
  return dataSourceOptions(config, url, ENTITIES);
}
