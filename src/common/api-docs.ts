import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOperation, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from './api-error';

/** A uuid as the API reads and writes it: 36 characters, `IsUUID('all')` / ParseUUIDPipe on input. */
export const UUID = { format: 'uuid', maxLength: 36 } as const;

/** An instant as `isoUtc` writes it: RFC 3339 UTC with second precision, `2026-04-21T14:20:04Z`. */
export const TIMESTAMP = { format: 'date-time', maxLength: 20 } as const;

/**
 * A free-text name (or version): trimmed, then 1 to 100 characters — `@Transform(trim)`
 * `@IsString()` `@Length(1, 100)` on input, a `varchar(100)` column behind it. Not blank: it has
 * at least one non-whitespace character.
 */
export const NAME = { minLength: 1, maxLength: 100, pattern: '\\S' } as const;

/**
 * A gateway's LAN address as it reported it: an IPv4 or IPv6 address (`@IsIP()`), the latter
 * possibly with a `%zone`, at most 64 characters (`@MaxLength(64)`, the `varchar(64)` column).
 * The pattern is the character set `@IsIP()` admits; the validator itself is stricter.
 */
export const LOCAL_IP = { maxLength: 64, pattern: '^[0-9A-Fa-f:.]+(%[0-9A-Za-z.]+)?$' } as const;

export class ErrorDetailSchema {
  @ApiProperty({ example: 'site_id' }) field: string;
  @ApiProperty({ example: 'must exist in your org' }) message: string;
}

const SCHEMA_NAMES: Record<ErrorCode, string> = {
  validation_error: 'ValidationError',
  auth_required: 'AuthRequiredError',
  forbidden: 'ForbiddenError',
  not_found: 'NotFoundError',
  conflict: 'ConflictError',
  gone: 'GoneError',
  precondition_failed: 'PreconditionFailedError',
  payload_too_large: 'PayloadTooLargeError',
  rate_limited: 'RateLimitedError',
  internal_error: 'InternalError',
  service_unavailable: 'ServiceUnavailableError',
};

/**
 * One schema per error code, its `error` enumerated, so SDKs get a distinct type for each.
 * `details` travels with validation_error only, and always does (ApiError.validation, ErrorFilter).
 * `message` and `details` are diagnostics for people and may quote what the client sent (an
 * unknown field's name, a path), so they carry no length limit: see docs/openapi-lint.md.
 */
function errorSchema(code: ErrorCode): Type<unknown> {
  class ErrorSchema {
    @ApiProperty({ enum: [code], example: code }) error: string;
    @ApiProperty({ description: 'A human-readable sentence' }) message: string;
  }
  class ValidationErrorSchema extends ErrorSchema {
    @ApiProperty({ type: [ErrorDetailSchema], description: 'One entry per problem' })
    details: ErrorDetailSchema[];
  }
  const schema = code === 'validation_error' ? ValidationErrorSchema : ErrorSchema;
  Object.defineProperty(schema, 'name', { value: SCHEMA_NAMES[code] });
  return schema;
}

export const ERROR_SCHEMAS = Object.fromEntries(
  (Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => [code, errorSchema(code)]),
) as Record<ErrorCode, Type<unknown>>;

/** A curl call of a code sample: the method, the example admin key, further flags, the path on the example host. */
export const curlSample = (method: string, path: string, extra = '') =>
  `curl -X ${method} -H "Authorization: Bearer sk_live_abc123"${extra} \\\n  https://novavms.novalien.com${path}`;

/** An operation's code samples: curl, the JavaScript SDK and, when given, the Python SDK. */
export const codeSamples = (curl: string, js: string, python?: string) => [
  { lang: 'Shell', label: 'curl', source: curl },
  { lang: 'JavaScript', label: 'JavaScript SDK', source: js },
  ...(python === undefined ? [] : [{ lang: 'Python', label: 'Python SDK', source: python }]),
];

export interface EndpointDoc {
  operationId: string;
  summary: string;
  description: string;
  /** API version the operation appeared in. */
  since: '1.0' | '1.1' | '1.2' | '1.3';
  /** The success response. */
  status: 200 | 201 | 202 | 204;
  /** Headers of the success response (an ETag). */
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
  /** A second success response (an idempotent replay answered 200 where a new object is 201). */
  alsoStatus?: { status: 200; description: string };
  type?: Type<unknown>;
  /** The success body is a JSON array of `type`, of at most this many items. */
  arrayOf?: { maxItems: number };
  responseDescription?: string;
  example?: unknown;
  /** Every error the operation can answer with, and what it means here. */
  errors: Partial<Record<ErrorCode, string>>;
  codeSamples?: { lang: string; label: string; source: string }[];
  /** Health of the process only: no database behind it, so no 503. */
  noDatabase?: boolean;
}

/**
 * Whole seconds, at least 1 (ApiError.rateLimited rounds up). The longest wait the service can
 * ask for is a full pairing-guess window or a pairing code's lifetime, both capped at 86400 s by
 * the configuration (PAIR_GUESS_WINDOW_S, PAIRING_CODE_TTL_S); a 503 always says 1.
 */
const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86400 },
  },
};

/**
 * Documents an operation completely from one place: summary, description, operationId,
 * `x-since`, the success response with its example, and each error response with the error
 * schema of its code. Who may call it is documented by @Authenticated/@Public.
 */
export function ApiEndpoint(doc: EndpointDoc): MethodDecorator {
  const body =
    doc.type && doc.arrayOf
      ? { schema: { type: 'array' as const, maxItems: doc.arrayOf.maxItems, items: { $ref: getSchemaPath(doc.type) } } }
      : doc.type
        ? { type: doc.type }
        : {};
  const decorators: MethodDecorator[] = [
    ApiOperation({ operationId: doc.operationId, summary: doc.summary, description: doc.description }),
    ApiExtension('x-since', doc.since),
    ...(doc.type && doc.arrayOf ? [ApiExtraModels(doc.type) as MethodDecorator] : []),
    ApiResponse({
      status: doc.status,
      description: doc.responseDescription ?? (doc.status === 204 ? 'Empty body.' : 'Success'),
      ...body,
      ...(doc.example !== undefined ? { example: doc.example } : {}),
      ...(doc.headers ? { headers: doc.headers } : {}),
    }),
  ];
  if (doc.alsoStatus) {
    decorators.push(ApiResponse({ status: doc.alsoStatus.status, description: doc.alsoStatus.description, ...(doc.type ? { type: doc.type } : {}) }));
  }
  const errors: Partial<Record<ErrorCode, string>> = doc.noDatabase
    ? doc.errors
    : { service_unavailable: 'The database is busy or unreachable; retry after Retry-After seconds', ...doc.errors };
  for (const [code, meaning] of Object.entries(errors) as [ErrorCode, string][]) {
    decorators.push(
      ApiResponse({
        status: ERROR_STATUS[code],
        description: meaning,
        type: ERROR_SCHEMAS[code],
        ...(code === 'rate_limited' || code === 'service_unavailable' ? { headers: RETRY_AFTER } : {}),
      }),
    );
  }
  if (doc.codeSamples) decorators.push(ApiExtension('x-codeSamples', doc.codeSamples));
  return applyDecorators(...decorators);
}
