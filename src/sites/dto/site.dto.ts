import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { PaginationQuery } from '../../common/pagination.dto';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateSiteDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Warehouse A' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;
}

export class ListSitesQuery extends PaginationQuery {}

export class SiteResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ format: 'date-time', example: '2026-02-01T09:00:00Z' }) created_at: string;
}

export class SiteListResponse {
  @ApiProperty({ type: [SiteResponse] }) data: SiteResponse[];
  @ApiProperty() total: number;
}
