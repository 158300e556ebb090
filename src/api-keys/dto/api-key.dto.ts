import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { ROLES, type Role } from '../../auth/roles';
import { PaginationQuery } from '../../common/pagination.dto';
import { trim } from '../../sites/dto/site.dto';

export class CreateApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'NOC dashboard' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ROLES, example: 'viewer' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    nullable: true,
    description: 'Limit the key to these sites; omit or null for every site of the org',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  site_ids?: string[] | null;
}

export class ListApiKeysQuery extends PaginationQuery {}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: [String], format: 'uuid', nullable: true }) site_ids: string[] | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'The key itself. Shown once; only its hash is stored.', example: 'sk_live_...' })
  key: string;
}

export class ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyResponse] }) data: ApiKeyResponse[];
  @ApiProperty() total: number;
}
