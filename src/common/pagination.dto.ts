import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Query strings arrive as text: only a plain decimal integer becomes a number; anything else fails IsInt. */
export const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;

export class PaginationQuery {
  @ApiPropertyOptional({ description: 'Page size', minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'Rows to skip', minimum: 0, default: 0 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  offset?: number;
}

export interface Page<T> {
  data: T[];
  total: number;
}
