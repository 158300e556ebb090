import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { ApiError } from './api-error';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-limits';

const MAX_BODY_BYTES = 64 * 1024;


/**
 * JSON bodies only, objects only, at most 64 KiB (413 beyond), valid UTF-8 only (the decoder
 * would otherwise replace bad bytes with U+FFFD and store something the caller did not send).
 */
const jsonBody = json({
  limit: MAX_BODY_BYTES,
  strict: true,
  type: () => true,
  verify: (_req, _res, buf) => {
    if (!isUtf8(buf)) throw Object.assign(new Error('body is not valid UTF-8'), { type: 'encoding.invalid' });
  },
});

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A request that carries a body must say it is JSON; a body must be a JSON object. Both are
 * `400 validation_error`, before any controller runs.
 */
export function requireJsonObjectBody(req: Request, _res: Response, next: NextFunction): void {
  if (!validUrlEncoding(req.url)) {
    return next(ApiError.validation('The URL is not valid percent-encoded UTF-8', [{ field: 'url', message: 'must be percent-encoded UTF-8' }]));
  }
  if (!hasBody(req) || req.method === 'GET' || req.method === 'HEAD') return next();
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) {
    return next(
      ApiError.validation('Request body must be JSON (Content-Type: application/json)', [
        { field: 'content-type', message: `expected application/json, got ${type || 'none'}` },
      ]),
    );
  }
  jsonBody(req, _res, (err?: unknown) => {
    if (err) return next(bodyError(err));
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
      return next(ApiError.validation('Request body must be a JSON object', [{ field: 'body', message: 'must be a JSON object' }]));
    }
    if (nestedDeeperThan(req.body, MAX_JSON_DEPTH)) {
      return next(
        ApiError.validation(`Request body is nested deeper than ${MAX_JSON_DEPTH} levels`, [
          { field: 'body', message: `nested deeper than ${MAX_JSON_DEPTH} levels` },
        ]),
      );
    }
    const bad = unstorableField(req.body, '');
    if (bad !== undefined) {
      return next(
        ApiError.validation(`${bad} contains a character that cannot be stored`, [
          { field: bad, message: 'must not contain U+0000 or unpaired surrogates' },
        ]),
      );
    }
    const proto = protoMember(req.body, '');
    if (proto !== undefined) return next(ApiError.validation(`${proto} is not a field of this API`, [{ field: proto, message: 'unknown field' }]));
    next();
  });
}

/**
 * No field of this API is named `__proto__`. JSON.parse makes it an ordinary member, but any
 * later copy by assignment (class-transformer's, a merge) turns it into the object's prototype
 * and the member silently disappears: refused up front, at any depth, like any unknown field.
 */
function protoMember(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  // Recursion is bounded: the body's depth was checked first.
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key === '__proto__') return childPath;
    const found = protoMember(child, childPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** U+0000, or half of a surrogate pair: not valid text for PostgreSQL (or for UTF-8 at all). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * PostgreSQL text and jsonb cannot hold U+0000 (the INSERT would fail as a 500), and an unpaired
 * surrogate would be stored as U+FFFD, silently unlike what the caller sent. Both are the
 * caller's mistake, refused up front as a 400 naming the field.
 */
function unstorableField(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path || 'body' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  // Recursion is bounded: the body's depth was checked first.
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return childPath;
    const found = unstorableField(child, childPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Percent-escapes that decode to valid UTF-8 (decodeURIComponent refuses anything else). */
function validUrlEncoding(url: string): boolean {
  if (!url.includes('%')) return true;
  try {
    decodeURIComponent(url);
    return true;
  } catch {
    return false;
  }
}

/** body-parser's failures, in the API's words. */
function bodyError(err: unknown): ApiError {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') {
    return new ApiError('payload_too_large', `Request body exceeds ${MAX_BODY_BYTES / 1024} KiB`);
  }
  if (type === 'encoding.invalid') {
    return ApiError.validation('Request body is not valid UTF-8', [{ field: 'body', message: 'must be valid UTF-8' }]);
  }
  if (type === 'entity.parse.failed') {
    return ApiError.validation('Request body is not valid JSON', [{ field: 'body', message: 'malformed JSON' }]);
  }
  return ApiError.validation('Request body could not be read', [{ field: 'body', message: type ?? 'unreadable body' }]);
}
