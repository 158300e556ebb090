import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIP, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { CODE_ALPHABET } from '../pairing-code';
import { LOCAL_IP, TIMESTAMP, UUID } from '../../common/api-docs';
import { IsOmittable } from '../../common/omittable.decorator';
import { IsName } from '../../common/name.decorator';

export class GeneratePairingCodeDto {
  @IsName({ example: 'Acme Logistics — Warehouse A' })
  name: string;

  @ApiProperty({ ...UUID, example: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b', description: "Must exist in caller's org" })
  @IsUUID('all')
  site_id: string;
}

export class PairingCodeResponse {
  @ApiProperty({ ...UUID, example: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c' }) id: string;
  @ApiProperty({
    example: 'A7B3CX',
    minLength: 6,
    maxLength: 6,
    pattern: `^[${CODE_ALPHABET}]{6}$`,
    description: 'Six characters of A-Z and 2-9, without the look-alikes O, I and L',
  })
  pairing_code: string;
  @ApiProperty({ ...TIMESTAMP, example: '2026-04-21T14:30:00Z' }) expires_at: string;
  @ApiProperty({ enum: ['registered'], example: 'registered' }) status: 'registered';
}

/** A code that pairs an existing gateway again (v1.3). */
export class RepairingCodeResponse extends OmitType(PairingCodeResponse, ['status'] as const) {
  @ApiProperty({ enum: ['registered', 'online', 'offline'], example: 'offline', description: "The gateway's status now: pairing again keeps it, and revokes its keys" })
  status: 'registered' | 'online' | 'offline';
}

/**
 * What the pair call accepts as a code (PairingService rejects anything else with
 * validation_error): spaces and dashes anywhere, and six characters of the pairing alphabet in
 * either case.
 */
const PAIRING_CODE_INPUT = `^[\\s-]*([${CODE_ALPHABET}${CODE_ALPHABET.replace(/[^A-Z]/g, '').toLowerCase()}][\\s-]*){6}$`;

export class PairDto {
  @ApiProperty({
    example: 'A7B3CX',
    minLength: 1,
    maxLength: 32,
    pattern: PAIRING_CODE_INPUT,
    description: '6 chars; case, spaces and dashes are ignored',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  pairing_code: string;

  @IsName({ description: "Gateway's self-reported name; used only if the registered gateway has none" }, { omittable: true })
  name?: string;

  @IsName({ example: '2026.04.12', description: 'Gateway build version' }, { omittable: true })
  version?: string;

  @ApiPropertyOptional({ ...LOCAL_IP, example: '192.168.10.24', description: "Gateway's LAN IP (IPv4 or IPv6)" })
  @IsOmittable()
  @IsIP()
  @MaxLength(LOCAL_IP.maxLength)
  local_ip?: string;
}

export class IceServerResponse {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', pattern: '^turns?:[^\\s,]+$' },
    description: "The deployment's TURN_URLS (turn: or turns: URLs)",
    example: ['turn:turn.novavms.novalien.com:3478'],
  })
  urls: string[];
  @ApiProperty({
    maxLength: 48,
    description: 'Opaque TURN REST API user name (`<expiry unix time>:<gateway id>`); pass it to the TURN server as is',
    example: '1776867604:8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c',
  })
  username: string;
  @ApiProperty({
    maxLength: 28,
    description: 'Opaque ephemeral TURN password (base64 HMAC-SHA1 of username); pass it to the TURN server as is',
    example: 'ephemeral-credential',
  })
  credential: string;
}

export class PairResponse {
  @ApiProperty(UUID) gateway_id: string;
  @ApiProperty({
    pattern: '^gw_',
    maxLength: 46,
    example: 'gw_ABCDEF0123456789...',
    description: 'The gateway key: `gw_` and 43 base64url characters. Shown once; only its hash is stored',
  })
  api_key: string;
  @ApiProperty(UUID) org_id: string;
  @ApiProperty({ type: [IceServerResponse], maxItems: 1, description: 'Empty when the deployment has no TURN server' })
  ice_servers: IceServerResponse[];
}
