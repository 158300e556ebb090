import type { GatewayResponse, GatewaySummary } from './dto/gateway.dto';
import type { GatewayRow } from './gateway.sql';

export function toGatewaySummary(g: GatewayRow): GatewaySummary {
  return {
    id: g.id,
    name: g.name,
    site_id: g.site_id,
    status: g.status,
    version: g.version,
    local_ip: g.local_ip,
    last_heartbeat_at: g.last_heartbeat_at,
  };
}

export function toGatewayResponse(g: GatewayRow): GatewayResponse {
  return { ...toGatewaySummary(g), created_at: g.created_at };
}
