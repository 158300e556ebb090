import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIP, IsNotEmpty, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { trim } from '../../sites/dto/site.dto';

export class GeneratePairingCodeDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Acme Logistics — Warehouse A' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ format: 'uuid', example: 'b5e9f3a1-2c4d-4e6f-8a1b-3c5d7e9f1a2b', description: "Must exist in caller's org" })
  @IsUUID('all')
  site_id: string;
}

export class PairingCodeResponse {
  @ApiProperty({ format: 'uuid', example: '8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c' }) id: string;
  @ApiProperty({ example: 'A7B3CX', minLength: 6, maxLength: 6 }) pairing_code: string;
  @ApiProperty({ format: 'date-time', example: '2026-04-21T14:30:00Z' }) expires_at: string;
  @ApiProperty({ enum: ['registered'], example: 'registered' }) status: 'registered';
}

export class PairDto {
  @ApiProperty({ example: 'A7B3CX', description: '6 chars; case, spaces and dashes are ignored' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  pairing_code: string;

  @ApiPropertyOptional({ maxLength: 100, description: "Gateway's self-reported name; used only if the registered gateway has none" })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ maxLength: 100, example: '2026.04.12', description: 'Gateway build version' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  version?: string;

  @ApiPropertyOptional({ example: '192.168.10.24', description: "Gateway's LAN IP" })
  @IsOptional()
  @IsIP()
  local_ip?: string;
}

export class IceServerResponse {
  @ApiProperty({ type: [String], example: ['turn:turn.novavms.novalien.com:3478'] }) urls: string[];
  @ApiProperty({ example: '1776867604:8f1a2b3c-4d5e-6f7a-8b9c-0d1e2f3a4b5c' }) username: string;
  @ApiProperty({ example: 'ephemeral-credential' }) credential: string;
}

export class PairResponse {
  @ApiProperty({ format: 'uuid' }) gateway_id: string;
  @ApiProperty({ example: 'gw_ABCDEF0123456789...', description: 'Shown once; only its hash is stored' }) api_key: string;
  @ApiProperty({ format: 'uuid' }) org_id: string;
  @ApiProperty({ type: [IceServerResponse] }) ice_servers: IceServerResponse[];
}
