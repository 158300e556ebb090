import { HttpException, HttpStatus } from '@nestjs/common';

/** Every error code of the API, with the HTTP status it always travels with. */
export const ERROR_STATUS = {
  validation_error: HttpStatus.BAD_REQUEST,
  auth_required: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  gone: HttpStatus.GONE,
  precondition_failed: HttpStatus.PRECONDITION_FAILED,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  internal_error: HttpStatus.INTERNAL_SERVER_ERROR,
  service_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  details?: ErrorDetail[];
}

/** The one exception type services throw; the error filter turns it into the documented body. */
export class ApiError extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message, ERROR_STATUS[code]);
  }

  body(): ErrorBody {
    return this.details ? { error: this.code, message: this.message, details: this.details } : { error: this.code, message: this.message };
  }

  static validation(message: string, details: ErrorDetail[] = []): ApiError {
    return new ApiError('validation_error', message, details);
  }

  static notFound(what: string): ApiError {
    return new ApiError('not_found', `${what} not found`);
  }

  static forbidden(message = 'Your API key does not allow this'): ApiError {
    return new ApiError('forbidden', message);
  }

  static authRequired(message = 'A valid API key is required: Authorization: Bearer sk_live_...'): ApiError {
    return new ApiError('auth_required', message);
  }

  static rateLimited(message: string, retryAfterS: number): ApiError {
    return new ApiError('rate_limited', message, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterS))) });
  }
}
