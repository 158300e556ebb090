import type { NextFunction, Request, Response } from 'express';
import { storage, Store } from 'nestjs-pino/storage';
import pino, { Level, Logger, LoggerOptions } from 'pino';
import { colourFor, LogFormat, prettyDestination } from './log-format';
import { redactUrl, serializeError } from './redact';
import { requestId } from './request-id';

export type RequestWithId = Request & { id?: string };

/** Told of every request when its response is done (or aborted), with how long it took in ms. */
export type RequestDone = (req: Request, res: Response, durationMs: number) => void;

export interface RootLoggerOptions {
  /** `json` (the default): pino's JSON lines; `pretty`: one readable line per event. */
  format?: LogFormat;
  /** Colour codes in pretty lines; by default when stdout is a terminal. */
  colorize?: boolean;
  /** Where the lines go instead of stdout. */
  destination?: NodeJS.WritableStream;
}

/**
 * The process's root logger: JSON lines (or readable ones, see log-format.ts) on stdout;
 * credentials never written (headers are not logged, URLs are redacted, errors keep only their
 * type, message, code and stack). Redaction happens here, before either format is written.
 */
export function createRootLogger(level: string, options: RootLoggerOptions = {}): Logger {
  const settings: LoggerOptions = {
    level,
    serializers: { err: serializeError },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  };
  if (options.format === 'pretty') {
    return pino(settings, prettyDestination(options.colorize ?? colourFor(process.stdout), options.destination));
  }
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

function levelFor(statusCode: number, finished: boolean): Level {
  if (!finished) return 'warn';
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/**
 * What nestjs-pino's Logger writes through while a request is being handled: a child logger
 * bound to the request, built only if something logs (most requests log nothing but their own
 * line).
 */
class RequestLogStore {
  private child?: Logger;
  responseLogger?: Logger;

  constructor(
    private readonly root: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  get logger(): Logger {
    return (this.child ??= this.root.child(this.bindings));
  }

  set logger(logger: Logger) {
    this.child = logger;
  }
}

/**
 * One line per HTTP request, written when the response is done: `request completed` (info for
 * 2xx/3xx, warn for 4xx, error for 5xx) or `request aborted` (warn) when the client went away
 * first. The line carries the request id, which is also set on `req.id` (the error filter quotes
 * it) and echoed in `X-Request-Id`.
 *
 * It runs on every request, so it stays cheap: no serializers, and the request's child logger
 * (for the services' lines, through nestjs-pino's async-context store) is built only when a
 * line is written while the request is handled. `onDone` (the HTTP metrics) hears of every
 * request from the same hook, so the request is timed once.
 */
export function requestLogger(logger: Logger, onDone?: RequestDone) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const id = requestId(req, res);
    (req as RequestWithId).id = id;
    const started = performance.now();
    const fields = { req: { id, method: req.method, url: redactUrl(req.originalUrl) } };
    res.once('close', () => {
      const durationMs = performance.now() - started;
      onDone?.(req, res, durationMs);
      const finished = res.writableFinished;
      const level = levelFor(res.statusCode, finished);
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          ...fields,
          res: { statusCode: res.statusCode },
          responseTime: Math.round(durationMs),
        },
        finished ? 'request completed' : 'request aborted',
      );
    });
    // Log lines written while the request is handled (by the services, through nestjs-pino's
    // Logger) carry the request id too.
    storage.run(new RequestLogStore(logger, fields) as unknown as Store, next);
  };
}
