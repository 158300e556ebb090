import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { NAME, TIMESTAMP, UUID } from '../../common/api-docs';
import { PaginationQuery, TOTAL } from '../../common/pagination.dto';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateSiteDto {
  @ApiProperty({ ...NAME, example: 'Warehouse A' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
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
