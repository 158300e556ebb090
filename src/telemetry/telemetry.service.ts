import { Injectable } from '@nestjs/common';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { GatewayLiveStateRepository } from '../gateways/gateway-live-state.repository';
import { TelemetryResponse } from './dto/telemetry.dto';
import { toTelemetryResponse } from './telemetry-response';

@Injectable()
export class TelemetryService {
  constructor(private readonly liveState: GatewayLiveStateRepository) {}

  /** The latest snapshot; nulls and empty objects until the gateway first reports (still 200). */
  async snapshot(auth: AuthContext, gatewayId: string): Promise<TelemetryResponse> {
    const row = await this.liveState.snapshot(gatewayId, auth.orgId);
    if (!row || !canSeeSite(auth, row.site_id)) throw ApiError.notFound('Gateway');
    return toTelemetryResponse(row);
  }
}
