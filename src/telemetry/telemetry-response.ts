import type { TelemetrySnapshotRow } from '../gateways/gateway.sql';
import type { TelemetryResponse } from './dto/telemetry.dto';

/** The snapshot as the API shows it: nulls and empty objects until the gateway first reports. */
export function toTelemetryResponse(row: TelemetrySnapshotRow): TelemetryResponse {
  return {
    gateway_id: row.id,
    cpu_percent: row.cpu_percent,
    memory_mb: row.memory_mb,
    last_heartbeat_at: row.last_heartbeat_at,
    camera_recording_status: row.camera_recording_status ?? {},
    network_throughput: row.network_throughput ?? {},
  };
}
