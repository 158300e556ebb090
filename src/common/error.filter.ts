import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError, ErrorBody, ErrorCode } from './api-error';
import { redactUrl } from './redact';
import type { RequestWithId } from './request-logger';

const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: 'validation_error',
  401: 'auth_required',
  403: 'forbidden',
  404: 'not_found',
  405: 'not_found',
  409: 'conflict',
  410: 'gone',
  412: 'precondition_failed',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/**
 * The single mapping from anything thrown to the documented error body
 * `{error, message, details?}`. Unknown exceptions are logged with the request id and answered
 * with a 500 that reveals nothing of the internals.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const { status, body, headers } = this.toResponse(exception, req);
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(status).json(body);
  }

  private toResponse(exception: unknown, req: Request): { status: number; body: ErrorBody; headers: Record<string, string> } {
    if (exception instanceof ApiError) {
      return { status: exception.getStatus(), body: exception.body(), headers: exception.headers };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_FOR_STATUS[status];
      if (code) {
        const message =
          status === HttpStatus.NOT_FOUND || status === HttpStatus.METHOD_NOT_ALLOWED
            ? `No route ${req.method} ${req.path}`
            : exception.message;
        const body: ErrorBody =
          code === 'validation_error' ? { error: code, message, details: [{ field: 'request', message }] } : { error: code, message };
        return { status: status === 405 ? 404 : status, body, headers: {} };
      }
    }
    const requestId = (req as RequestWithId).id;
    if (isRejectedValue(exception)) {
      // Validation let through a value the column cannot hold (e.g. a length counted differently).
      this.logger.warn({ err: exception, requestId }, `database refused a value on ${req.method} ${redactUrl(req.path)}`);
      return {
        status: 400,
        body: { error: 'validation_error', message: 'A value is too long or not valid text', details: [{ field: 'body', message: 'a value is too long or not valid text' }] },
        headers: {},
      };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ err: exception, requestId }, `database unavailable on ${req.method} ${redactUrl(req.path)}`);
      return {
        status: 503,
        body: { error: 'service_unavailable', message: 'The database is busy or unreachable; retry shortly' },
        headers: { 'Retry-After': '1' },
      };
    }
    this.logger.error(
      { err: exception, requestId },
      `unhandled error on ${req.method} ${redactUrl(req.path)} (request ${requestId ?? 'unknown'})`,
    );
    return {
      status: 500,
      body: { error: 'internal_error', message: `Internal error; quote request id ${requestId ?? 'unknown'} when reporting it` },
      headers: {},
    };
  }
}

/**
 * Pool exhaustion, statement timeouts, lost connections, and a transaction chosen as a deadlock
 * victim or failed serialization (transient: the same request succeeds when retried) are the
 * database's, not the caller's.
 */
export function isDatabaseUnavailable(exception: unknown): boolean {
  const e = exception as { code?: string; driverError?: { code?: string }; message?: string } | undefined;
  const code = e?.driverError?.code ?? e?.code;
  if (code && ['40P01', '40001', '57014', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'].includes(code)) return true;
  const message = e?.message ?? '';
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|not queryable|the database system is (starting up|shutting down)/i.test(message);
}

/** string_data_right_truncation, character_not_in_repertoire, untranslatable_character. */
function isRejectedValue(exception: unknown): boolean {
  const code = (exception as { driverError?: { code?: string } } | undefined)?.driverError?.code;
  return code === '22001' || code === '22021' || code === '22P05';
}
