import { Injectable } from '@nestjs/common';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { PoolReads } from '../database/pool-reads';
import { SQL_TELEMETRY_SNAPSHOT, TelemetrySnapshotRow, toTelemetryResponse } from '../gateways/gateway.queries';
import { TelemetryResponse } from './dto/telemetry.dto';

@Injectable()
export class TelemetryService {
  constructor(private readonly reads: PoolReads) {}

  /** The latest snapshot; nulls and empty objects until the gateway first reports (still 200). */
  async snapshot(auth: AuthContext, gatewayId: string): Promise<TelemetryResponse> {
    const [row] = await this.reads.rows<TelemetrySnapshotRow>(SQL_TELEMETRY_SNAPSHOT, [gatewayId, auth.orgId]);
    if (!row || !canSeeSite(auth, row.site_id)) throw ApiError.notFound('Gateway');
    return toTelemetryResponse(row);
  }
}
