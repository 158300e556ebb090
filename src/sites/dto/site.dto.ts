import { ApiProperty } from '@nestjs/swagger';
import { NAME, TIMESTAMP, UUID } from '../../common/api-docs';
import { IsName } from '../../common/name.decorator';
import { PaginationQuery, TOTAL } from '../../common/pagination.dto';

export class CreateSiteDto {
  @IsName({ example: 'Warehouse A' })
  name: string;
}

export class ListSitesQuery extends PaginationQuery {}

export class SiteResponse {
  @ApiProperty(UUID) id: string;
  @ApiProperty(NAME) name: string;
  @ApiProperty({ ...TIMESTAMP, example: '2026-02-01T09:00:00Z' }) created_at: string;
}

export class SiteListResponse {
  @ApiProperty({ type: [SiteResponse], maxItems: 1000, description: 'At most `limit` sites' }) data: SiteResponse[];
  @ApiProperty(TOTAL) total: number;
}
