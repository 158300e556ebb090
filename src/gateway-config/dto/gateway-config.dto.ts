import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { TIMESTAMP } from '../../common/api-docs';
import { CONFIG_SCHEMA } from '../config-document';

const P = CONFIG_SCHEMA.properties;
const CAMERA = P.cameras.additionalProperties.properties;

/** One camera's section of the document (the schema of GET /api/v1/config-schema, for the OpenAPI document). */
export class CameraConfigSchema {
  @ApiProperty({ enum: CAMERA.recording.enum, example: 'motion' }) recording: string;
  @ApiPropertyOptional({ type: 'string', maxLength: 32, pattern: CAMERA.stream_profile.pattern, example: 'main' }) stream_profile?: string;
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: CAMERA.fps.minimum, maximum: CAMERA.fps.maximum, example: 15 }) fps?: number;
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: CAMERA.bitrate_kbps.minimum, maximum: CAMERA.bitrate_kbps.maximum, example: 4096 }) bitrate_kbps?: number;
}

/** The configuration document (GET /api/v1/config-schema is its JSON Schema, with which the service validates it). */
@ApiExtraModels(CameraConfigSchema)
export class ConfigDocumentSchema {
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: P.heartbeat_interval_s.minimum, maximum: P.heartbeat_interval_s.maximum, example: 10 }) heartbeat_interval_s?: number;
  @ApiPropertyOptional({ enum: P.log_level.enum, example: 'info' }) log_level?: string;
  @ApiPropertyOptional({ type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_+/-]+$', example: 'Europe/Berlin', description: 'An IANA time zone' }) timezone?: string;
  @ApiPropertyOptional({ type: 'array', maxItems: 8, uniqueItems: true, items: { type: 'string', maxLength: 253, pattern: '^[A-Za-z0-9.:-]+$' }, example: ['pool.ntp.org'] })
  ntp_servers?: string[];
  @ApiPropertyOptional({ type: 'number', minimum: P.upstream_cap_mbps.minimum, maximum: P.upstream_cap_mbps.maximum, example: 20 }) upstream_cap_mbps?: number;
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: P.retention_days.minimum, maximum: P.retention_days.maximum, example: 30 }) retention_days?: number;
  @ApiPropertyOptional({
    type: 'object',
    maxProperties: 1024,
    additionalProperties: { $ref: getSchemaPath(CameraConfigSchema) },
    example: { '550e8400-e29b-41d4-a716-446655440000': { recording: 'motion', fps: 15 } },
    description: 'Per camera id; only cameras bound to this gateway',
  })
  cameras?: Record<string, CameraConfigSchema>;
}

export class ConfigErrorSchema {
  @ApiProperty({ type: 'string', maxLength: 200, pattern: '\\S', example: 'cameras.550e8400-e29b-41d4-a716-446655440000.fps' }) path: string;
  @ApiProperty({ type: 'string', maxLength: 1024, pattern: '\\S', example: 'this camera supports at most 12 fps' }) message: string;
}

const VERSION = { type: 'integer', format: 'int64', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;

export class GatewayConfigResponse {
  @ApiProperty({ type: ConfigDocumentSchema, description: 'What operators want the gateway to run' }) desired: Record<string, unknown>;
  @ApiProperty({ ...VERSION, example: 7, description: 'Up one with every change; also the ETag' }) desired_version: number;
  @ApiProperty({ type: ConfigDocumentSchema, description: 'What the gateway last reported it runs (`{}` before its first report)' }) reported: Record<string, unknown>;
  @ApiProperty({ ...VERSION, nullable: true, example: 7, description: 'The last version the gateway applied; null before its first report' }) applied_version: number | null;
  @ApiProperty({ ...TIMESTAMP, type: 'string', nullable: true, example: '2026-04-21T14:20:05Z' }) reported_at: string | null;
  @ApiProperty({ enum: ['in_sync', 'pending', 'rejected', 'unknown'], example: 'in_sync', description: 'unknown: never reported; rejected: the gateway refused the desired version (see errors); pending: not applied yet' })
  sync: 'in_sync' | 'pending' | 'rejected' | 'unknown';
  @ApiProperty({ type: [ConfigErrorSchema], maxItems: 50, description: 'Why the gateway rejected the desired version (empty unless sync is rejected)' }) errors: { path: string; message: string }[];
}
