import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuthContext } from '../auth/auth-context';
import { isoUtc } from '../common/time';
import { GatewaysService } from '../gateways/gateways.service';
import { TelemetryResponse } from './dto/telemetry.dto';
import { GatewayTelemetry } from './gateway-telemetry.entity';

@Injectable()
export class TelemetryService {
  constructor(
    @InjectRepository(GatewayTelemetry) private readonly telemetry: Repository<GatewayTelemetry>,
    private readonly gateways: GatewaysService,
  ) {}

  /** The latest snapshot; nulls and empty objects until the gateway first reports (still 200). */
  async snapshot(auth: AuthContext, gatewayId: string): Promise<TelemetryResponse> {
    const gateway = await this.gateways.findVisible(auth, gatewayId);
    const row = await this.telemetry.findOne({ where: { gatewayId: gateway.id } });
    return {
      gateway_id: gateway.id,
      cpu_percent: row?.cpuPercent ?? null,
      memory_mb: row?.memoryMb ?? null,
      last_heartbeat_at: isoUtc(gateway.lastHeartbeatAt),
      camera_recording_status: row?.cameraRecordingStatus ?? {},
      network_throughput: row?.networkThroughput ?? {},
    };
  }
}
