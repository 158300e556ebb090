import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { TIMESTAMP, UUID } from '../../common/api-docs';
import { IsOmittable } from '../../common/omittable.decorator';
import type { RotationStatus } from '../gateway-key-rotation.entity';

export const MAX_GRACE_S = 604_800;
export const DEFAULT_GRACE_S = 86_400;
/** A gateway's keys listed at most: its newest (every rotation adds one). */
export const MAX_LISTED_KEYS = 100;

export class CredentialResponse {
  @ApiProperty({ ...UUID, example: '5b2e9c4a-7d1f-4e3a-8c6b-2f9d0e1a3b4c' }) id: string;
  @ApiProperty({
    enum: ['active', 'retiring', 'revoked'],
    example: 'active',
    description: '`active`: the key; `retiring`: the key before a rotation, usable until `expires_at`; `revoked`: refused (also a retiring key past `expires_at`)',
  })
  state: 'active' | 'retiring' | 'revoked';
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-21T14:20:04Z', description: 'When it was issued (by pairing, or sent by a rotation)' }) created_at: string;
  @ApiProperty({ ...TIMESTAMP, type: String, nullable: true, example: '2026-04-22T09:12:40Z', description: 'The last connection made with it; null if never used' })
  last_used_at: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 64, pattern: '^[0-9A-Fa-f:.]+$', example: '198.51.100.7', description: 'The client address of that connection' })
  last_peer_address: string | null;
  @ApiProperty({ ...TIMESTAMP, type: String, nullable: true, example: null, description: 'A retiring key: the end of its grace. null otherwise' })
  expires_at: string | null;
}

export class RotateKeyDto {
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_GRACE_S, default: DEFAULT_GRACE_S, example: 86400, description: 'How long the key before stays usable once the gateway has connected with the new one; 0 revokes it then' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_S)
  grace_s?: number;
}

export class RotationResponse {
  @ApiProperty({ ...UUID, example: 'e3a1c5b7-9d2f-4a6c-8e0b-1f3d5a7c9e2b' }) rotation_id: string;
  @ApiProperty({
    enum: ['pending', 'sent', 'acknowledged', 'completed', 'canceled'],
    example: 'pending',
    description: '`pending` until the new key is sent to the gateway (at once when it is connected, else on its next connection); completion is the `gateway.key_rotated` event',
  })
  status: RotationStatus;
}
