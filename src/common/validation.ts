import { ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, ErrorDetail } from './api-error';

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      // class-validator's whitelist message names the property already ("property x should not exist").
      message: message.startsWith('property ') ? 'unknown field' : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Body and query validation for every route: DTOs are whitelists (an unknown field is an error),
 * types are not coerced behind the caller's back, and the answer is always
 * `400 validation_error` with one `details` entry per problem.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => {
      const details = flatten(errors);
      const fields = [...new Set(details.map((d) => d.field))];
      return ApiError.validation(`Invalid request: ${fields.join(', ')}`, details);
    },
  });
}

/** Path ids are uuids; anything else is a 400 (never a 404), the same on every route. */
export function uuidPipe(name = 'id'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => ApiError.validation(`${name} must be a uuid`, [{ field: name, message: 'must be a uuid' }]),
  });
}
