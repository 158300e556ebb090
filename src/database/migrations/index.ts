import { InitialSchema1795639646814 } from './1795639646814-InitialSchema';
import { PairingGuesses1795640233455 } from './1795640233455-PairingGuesses';
import { GatewayConnections1795640444181 } from './1795640444181-GatewayConnections';
import { HeartbeatsBesideTelemetry1795644662146 } from './1795644662146-HeartbeatsBesideTelemetry';
import { GatewayCounts1795657492296 } from './1795657492296-GatewayCounts';
import { OutageSafeLiveness1796169600000 } from './1796169600000-OutageSafeLiveness';
import { GatewayEvents1796192439016 } from './1796192439016-GatewayEvents';
import { Webhooks1796195594543 } from './1796195594543-Webhooks';
import { LiveStateWithGateway1796400000000 } from './1796400000000-LiveStateWithGateway';
import { GatewaySessions1796500000000 } from './1796500000000-GatewaySessions';
import { GatewayCommands1796600000000 } from './1796600000000-GatewayCommands';
import { GatewayConfigs1796700000000 } from './1796700000000-GatewayConfigs';
import { GatewayCredentials1796800000000 } from './1796800000000-GatewayCredentials';

/** Every migration, in order. New migrations are appended here. */
export const MIGRATIONS = [InitialSchema1795639646814, PairingGuesses1795640233455, GatewayConnections1795640444181, HeartbeatsBesideTelemetry1795644662146, GatewayCounts1795657492296, OutageSafeLiveness1796169600000, GatewayEvents1796192439016, Webhooks1796195594543, LiveStateWithGateway1796400000000, GatewaySessions1796500000000, GatewayCommands1796600000000, GatewayConfigs1796700000000, GatewayCredentials1796800000000];
