import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { LOCAL_IP, NAME, TIMESTAMP, UUID } from '../../common/api-docs';
import { PaginationQuery, TOTAL } from '../../common/pagination.dto';
import { IsOmittable } from '../../common/omittable.decorator';
import { IsName } from '../../common/name.decorator';
import { GATEWAY_STATUSES, type GatewayStatus } from '../gateway.entity';
import { SETTABLE_STATUSES, type SettableStatus } from '../transitions';

export class ListGatewaysQuery extends PaginationQuery {
  @ApiPropertyOptional({ ...UUID, description: 'Only gateways of this site' })
  @IsOptional()
  @IsUUID('all')
  site_id?: string;

  @ApiPropertyOptional({ enum: GATEWAY_STATUSES, description: 'Only gateways with this status' })
  @IsOptional()
  @IsIn(GATEWAY_STATUSES)
  status?: GatewayStatus;
}

export class UpdateGatewayDto {
  @IsName({ example: 'Acme Logistics — Warehouse A (Rev 2)' }, { omittable: true })
  name?: string;

  @ApiPropertyOptional({ ...UUID, description: "Must exist in caller's org" })
  @IsOmittable()
  @IsUUID('all')
  site_id?: string;

  @ApiPropertyOptional({ enum: SETTABLE_STATUSES, description: 'disabled or offline only' })
  @IsOmittable()
  @IsIn(SETTABLE_STATUSES, { message: 'status may be set to disabled or offline only' })
  status?: SettableStatus;
}

export class GatewaySummary {
  @ApiProperty({ ...UUID, example: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c' }) id: string;
  @ApiProperty({ ...NAME, example: 'Acme Logistics — Warehouse A', nullable: true, type: String }) name: string | null;
  @ApiProperty({ ...UUID, example: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b' }) site_id: string;
  @ApiProperty({ enum: GATEWAY_STATUSES, example: 'online' }) status: GatewayStatus;
  @ApiProperty({ ...NAME, example: '2026.04.12', nullable: true, type: String }) version: string | null;
  @ApiProperty({ ...LOCAL_IP, example: '192.168.10.24', nullable: true, type: String }) local_ip: string | null;
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-21T14:20:04Z', nullable: true, type: String })
  last_heartbeat_at: string | null;
}

export class GatewayResponse extends GatewaySummary {
  @ApiProperty({ ...TIMESTAMP, example: '2026-02-01T09:00:00Z' }) created_at: string;
}

export class GatewayListResponse {
  @ApiProperty({ type: [GatewaySummary], maxItems: 1000, description: 'At most `limit` gateways' }) data: GatewaySummary[];
  @ApiProperty({ ...TOTAL, example: 1 }) total: number;
}
