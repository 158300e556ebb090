import { ApiKey } from '../auth/api-key.entity';
import { Camera } from '../cameras/camera.entity';
import { GatewayCount } from '../gateways/gateway-count.entity';
import { Gateway } from '../gateways/gateway.entity';
import { GatewayTombstone } from '../gateways/gateway-tombstone.entity';
import { Org } from '../orgs/org.entity';
import { PairingCode } from '../pairing/pairing-code.entity';
import { PairingGuess } from '../pairing/pairing-guess.entity';
import { Site } from '../sites/site.entity';
import { GatewayTelemetry } from '../telemetry/gateway-telemetry.entity';
import { ServiceInstance } from '../telemetry/service-instance.entity';

export const ENTITIES = [Org, Site, ApiKey, Gateway, GatewayCount, PairingCode, PairingGuess, Camera, GatewayTelemetry, GatewayTombstone, ServiceInstance];
