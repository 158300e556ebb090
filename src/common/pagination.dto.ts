import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { parseDecimalInteger } from './integer';

/** Query strings arrive as text: only a plain decimal integer becomes a number; anything else fails IsInt. */
export const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' ? (parseDecimalInteger(value) ?? value) : value);

/** `limit` of a page: 1 to 1000, default 100. */
export function IsPageLimit(description = 'Page size'): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, type: 'integer', format: 'int32', minimum: 1, maximum: 1000, default: 100 }),
    IsOptional(),
    Transform(toInteger),
    IsInt(),
    Min(1),
    Max(1000),
  );
}

export class PaginationQuery {
  @IsPageLimit()
  limit: number = 100;

  @ApiPropertyOptional({ description: 'Rows to skip', type: 'integer', format: 'int32', minimum: 0, maximum: 1_000_000_000, default: 0 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  offset: number = 0;
}

/**
 * `total` of a list response: a row count, sent as a JSON number by JavaScript, so an integer no
 * larger than Number.MAX_SAFE_INTEGER.
 */
export const TOTAL = {
  type: 'integer',
  format: 'int64',
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'Rows matching the filters, over all pages',
} as const;

export interface Page<T> {
  data: T[];
  total: number;
}
