import { ApiProperty } from '@nestjs/swagger';
import { TIMESTAMP, UUID } from '../../common/api-docs';
import { MAX_CAMERAS_PER_FRAME } from '../telemetry-report';

export class NetworkThroughputResponse {
  @ApiProperty({ minimum: 0, example: 5.2, required: false }) upstream_mbps?: number;
  @ApiProperty({ minimum: 0, example: 28.6, required: false }) downstream_mbps?: number;
}

export class TelemetryResponse {
  @ApiProperty({ ...UUID, example: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c' }) gateway_id: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 18.4, nullable: true, type: Number }) cpu_percent: number | null;
  @ApiProperty({ minimum: 0, example: 742, nullable: true, type: Number }) memory_mb: number | null;
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-21T14:20:04Z', nullable: true, type: String })
  last_heartbeat_at: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['recording', 'idle', 'error'] },
    maxProperties: MAX_CAMERAS_PER_FRAME,
    description: 'Camera uuid → status, as of the latest telemetry frame that carried it (at most one entry per camera a frame may report)',
    example: { '550e8400-e29b-41d4-a716-446655440000': 'recording' },
  })
  camera_recording_status: Record<string, 'recording' | 'idle' | 'error'>;
  @ApiProperty({ type: NetworkThroughputResponse }) network_throughput: NetworkThroughputResponse;
}
