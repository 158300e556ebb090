import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ROLES, type Role } from '../../auth/roles';
import { NAME, TIMESTAMP, UUID } from '../../common/api-docs';
import { PaginationQuery, TOTAL } from '../../common/pagination.dto';
import { IsName } from '../../common/name.decorator';
import { IsSiteIdList } from '../../common/site-ids.decorator';

export class CreateApiKeyDto {
  @IsName({ example: 'NOC dashboard' })
  name: string;

  @ApiProperty({ enum: ROLES, example: 'viewer' })
  @IsIn(ROLES)
  role: Role;

  @IsSiteIdList('Limit the key to these sites; omit or null for every site of the org')
  site_ids?: string[] | null;
}

export class ListApiKeysQuery extends PaginationQuery {}

export class ApiKeyResponse {
  @ApiProperty(UUID) id: string;
  @ApiProperty(NAME) name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', ...UUID },
    maxItems: 1000,
    nullable: true,
    description: 'The sites the key is limited to; null for every site of the org',
  })
  site_ids: string[] | null;
  @ApiProperty(TIMESTAMP) created_at: string;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({
    description: 'The key itself: `sk_live_` and 43 base64url characters. Shown once; only its hash is stored.',
    pattern: '^sk_live_',
    maxLength: 51,
    example: 'sk_live_...',
  })
  key: string;
}

export class ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyResponse], maxItems: 1000, description: 'At most `limit` keys' }) data: ApiKeyResponse[];
  @ApiProperty(TOTAL) total: number;
}
