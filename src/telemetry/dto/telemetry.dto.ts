import { ApiProperty } from '@nestjs/swagger';

export class NetworkThroughputResponse {
  @ApiProperty({ example: 5.2, required: false }) upstream_mbps?: number;
  @ApiProperty({ example: 28.6, required: false }) downstream_mbps?: number;
}

export class TelemetryResponse {
  @ApiProperty({ format: 'uuid', example: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c' }) gateway_id: string;
  @ApiProperty({ example: 18.4, nullable: true, type: Number }) cpu_percent: number | null;
  @ApiProperty({ example: 742, nullable: true, type: Number }) memory_mb: number | null;
  @ApiProperty({ format: 'date-time', example: '2026-04-21T14:20:04Z', nullable: true, type: String })
  last_heartbeat_at: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['recording', 'idle', 'error'] },
    example: { '550e8400-e29b-41d4-a716-446655440000': 'recording' },
  })
  camera_recording_status: Record<string, 'recording' | 'idle' | 'error'>;
  @ApiProperty({ type: NetworkThroughputResponse }) network_throughput: NetworkThroughputResponse;
}
