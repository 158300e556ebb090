import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtension, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from './api-error';

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
  payload_too_large: 'PayloadTooLargeError',
  rate_limited: 'RateLimitedError',
  internal_error: 'InternalError',
  service_unavailable: 'ServiceUnavailableError',
};

/** One schema per error code, its `error` enumerated, so SDKs get a distinct type for each. */
function errorSchema(code: ErrorCode): Type<unknown> {
  class ErrorSchema {
    @ApiProperty({ enum: [code], example: code }) error: string;
    @ApiProperty({ description: 'A human-readable sentence' }) message: string;
    @ApiPropertyOptional({ type: [ErrorDetailSchema], description: 'One entry per problem (validation_error only)' })
    details?: ErrorDetailSchema[];
  }
  Object.defineProperty(ErrorSchema, 'name', { value: SCHEMA_NAMES[code] });
  return ErrorSchema;
}

export const ERROR_SCHEMAS = Object.fromEntries(
  (Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => [code, errorSchema(code)]),
) as Record<ErrorCode, Type<unknown>>;

export interface EndpointDoc {
  operationId: string;
  summary: string;
  description: string;
  /** API version the operation appeared in. */
  since: '1.0' | '1.1';
  /** The success response. */
  status: 200 | 201 | 204;
  type?: Type<unknown>;
  responseDescription?: string;
  example?: unknown;
  /** Every error the operation can answer with, and what it means here. */
  errors: Partial<Record<ErrorCode, string>>;
  codeSamples?: { lang: string; label: string; source: string }[];
  /** Health of the process only: no database behind it, so no 503. */
  noDatabase?: boolean;
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
};

/**
 * Documents an operation completely from one place: summary, description, operationId,
 * `x-since`, the success response with its example, and each error response with the error
 * schema of its code. Who may call it is documented by @Authenticated/@Public.
 */
export function ApiEndpoint(doc: EndpointDoc): MethodDecorator {
  const decorators: MethodDecorator[] = [
    ApiOperation({ operationId: doc.operationId, summary: doc.summary, description: doc.description }),
    ApiExtension('x-since', doc.since),
    ApiResponse({
      status: doc.status,
      description: doc.responseDescription ?? (doc.status === 204 ? 'Empty body.' : 'Success'),
      ...(doc.type ? { type: doc.type } : {}),
      ...(doc.example !== undefined ? { example: doc.example } : {}),
    }),
  ];
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
