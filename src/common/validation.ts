import { ArgumentMetadata, ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
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

const declared = new WeakMap<object, Set<string>>();

/** The fields a DTO class declares (its own and inherited), from its class-validator rules. */
function declaredFields(dto: abstract new (...args: never[]) => unknown): Set<string> {
  let fields = declared.get(dto);
  if (!fields) {
    fields = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName));
    declared.set(dto, fields);
  }
  return fields;
}

/**
 * class-validator's whitelist looks field names up in a plain object, so a name of an
 * Object.prototype member (`toString`, `constructor`, `__proto__`, …) passes as declared. The
 * body's and the query's own keys are checked against the DTO's declared fields first, by set
 * membership, so every undeclared name is an unknown field.
 */
class WhitelistPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype;
    if ((metadata.type === 'body' || metadata.type === 'query') && dto && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const fields = declaredFields(dto as never);
      const unknown = fields.size > 0 ? Object.keys(value).filter((key) => !fields.has(key)) : [];
      if (unknown.length > 0) {
        throw ApiError.validation(
          `Invalid request: ${unknown.map((f) => f.slice(0, 64)).join(', ')}`,
          unknown.map((field) => ({ field: field.slice(0, 64), message: 'unknown field' })),
        );
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * Body and query validation for every route: DTOs are whitelists (an unknown field is an error),
 * types are not coerced behind the caller's back, and the answer is always
 * `400 validation_error` with one `details` entry per problem.
 */
export function createValidationPipe(): ValidationPipe {
  return new WhitelistPipe({
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
