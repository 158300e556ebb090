import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator';
import { UUID } from './api-docs';

/** A list of site ids limiting something to those sites; null (or omitted) for every site of the org. */
export const SITE_IDS = {
  type: 'array',
  items: { type: 'string', ...UUID },
  minItems: 1,
  maxItems: 1000,
  uniqueItems: true,
  nullable: true,
} as const;

/** An optional `site_ids` body field: 1–1000 distinct uuids, or null. Whether they are the caller's sites is the service's rule. */
export function IsSiteIdList(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ ...SITE_IDS, description }),
    IsOptional(),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(1000),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
}
