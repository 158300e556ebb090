import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthContext, canSeeSite } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { SQL_TELEMETRY_SNAPSHOT, TelemetrySnapshotRow, toTelemetryResponse } from '../gateways/gateway.queries';
import { TelemetryResponse } from './dto/telemetry.dto';

@Injectable()
export class TelemetryService {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest snapshot; nulls and empty objects until the gateway first reports (still 200). */
  async snapshot(auth: AuthContext, gatewayId: string): Promise<TelemetryResponse> {
    const [row] = await this.dataSource.query<TelemetrySnapshotRow[]>(SQL_TELEMETRY_SNAPSHOT, [gatewayId, auth.orgId]);
    if (!row || !canSeeSite(auth, row.site_id)) throw ApiError.notFound('Gateway');
    return toTelemetryResponse(row);
  }
}
