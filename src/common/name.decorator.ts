import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { NAME } from './api-docs';
import { IsOmittable } from './omittable.decorator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * A free-text name (or version) field of a request body, validated and documented at once:
 * trimmed, then 1 to 100 characters (the `varchar(100)` column behind it). `omittable`: it may
 * be left out, but not sent as null.
 */
export function IsName(doc: ApiPropertyOptions = {}, { omittable = false } = {}): PropertyDecorator {
  const property = { ...NAME, ...doc } as ApiPropertyOptions;
  return applyDecorators(
    omittable ? ApiPropertyOptional(property) : ApiProperty(property),
    ...(omittable ? [IsOmittable()] : []),
    Transform(trim),
    IsString(),
    Length(1, 100),
  );
}
