import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { isoUtc } from '../common/time';
import { SQL_TELEMETRY_SNAPSHOT } from '../gateways/gateway.queries';
import { TelemetryResponse } from './dto/telemetry.dto';
import type { NetworkThroughput, RecordingStatus } from './gateway-telemetry.entity';

interface SnapshotRow {
  id: string;
  site_id: string;
  last_heartbeat_at: Date | null;
  cpu_percent: number | null;
  memory_mb: number | null;
  camera_recording_status: Record<string, RecordingStatus> | null;
  network_throughput: NetworkThroughput | null;
}

@Injectable()
export class TelemetryService {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest snapshot; nulls and empty objects until the gateway first reports (still 200). */
  async snapshot(auth: AuthContext, gatewayId: string): Promise<TelemetryResponse> {
    const [row] = await this.dataSource.query<SnapshotRow[]>(SQL_TELEMETRY_SNAPSHOT, [gatewayId, auth.orgId]);
    if (!row || !canSeeSite(auth, row.site_id)) throw ApiError.notFound('Gateway');
    return {
      gateway_id: row.id,
      cpu_percent: row.cpu_percent,
      memory_mb: row.memory_mb,
      last_heartbeat_at: isoUtc(row.last_heartbeat_at),
      camera_recording_status: row.camera_recording_status ?? {},
      network_throughput: row.network_throughput ?? {},
    };
  }
}
