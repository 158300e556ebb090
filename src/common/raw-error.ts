import { IncomingMessage, Server, ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorBody } from './api-error';

/**
 * Answers on a raw socket, where no framework response exists (a refused WebSocket upgrade, a
 * request Node's HTTP parser rejected): the documented JSON error body, then the connection closes.
 */
export function endWithError(socket: Duplex, status: number, body: ErrorBody, headers: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) return;
  const json = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${json}`);
}

/**
 * Node's HTTP parser refuses some requests before any route sees them — headers over 16 KiB, a
 * bad or contradictory Content-Length, control bytes, a request line that is not HTTP, a
 * request too slow to arrive — and by default answers with an empty body. This answers with
 * the API's error body instead: 431 payload_too_large for oversized headers, 408 for a request
 * that did not arrive in time, 400 validation_error for the rest.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
    socket.destroy();
    return;
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    endWithError(socket, 431, { error: 'payload_too_large', message: 'Request headers exceed 16 KiB' });
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    endWithError(socket, 408, {
      error: 'validation_error',
      message: 'The request did not arrive in time',
      details: [{ field: 'request', message: 'not received within the server timeout' }],
    });
  } else {
    endWithError(socket, 400, {
      error: 'validation_error',
      message: 'Malformed HTTP request',
      details: [{ field: 'request', message: err.code === 'HPE_UNEXPECTED_CONTENT_LENGTH' || err.code === 'HPE_INVALID_CONTENT_LENGTH' ? 'invalid Content-Length' : 'not a valid HTTP/1.1 request' }],
    });
  }
}

/** Most header lines a request may have; a request with more is refused 431. */
export const MAX_REQUEST_HEADERS = 200;

/**
 * What Node's HTTP server would otherwise answer with an empty body, or not at all:
 * - parser errors (answerClientError);
 * - an `Expect` other than 100-continue: 417 with the error body;
 * - CONNECT (a proxy's method, no route of the API): 400 with the error body, where Node
 *   would close the socket without a word;
 * - a missing Host header and too many header lines: Node answers the first with an empty
 *   400 and silently drops headers past its count limit (Host among them, so 1,000 headers
 *   became an empty 400). Both checks move to `checkRequestHead`, which answers with the body.
 */
export function answerRawRequests(server: Server): void {
  server.on('clientError', answerClientError);
  // An option of http.createServer, read from the server at each request; @types/node omits it.
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  // The 16 KiB header size limit still bounds what a request can send.
  server.maxHeadersCount = 0;
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    answer(res, 417, {
      error: 'validation_error',
      message: 'Unsupported Expect header; only 100-continue is supported',
      details: [{ field: 'Expect', message: 'unsupported expectation' }],
    });
    req.resume();
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    endWithError(socket, 400, {
      error: 'validation_error',
      message: 'CONNECT is not supported',
      details: [{ field: 'method', message: 'not a method of this API' }],
    });
  });
}

/** Express middleware: the request-head checks Node's own were replaced by (answerRawRequests). */
export function checkRequestHead(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (req.rawHeaders.length / 2 > MAX_REQUEST_HEADERS) {
    return answer(res, 431, { error: 'payload_too_large', message: `More than ${MAX_REQUEST_HEADERS} request headers` });
  }
  if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) {
    return answer(res, 400, { error: 'validation_error', message: 'HTTP/1.1 requests need a Host header', details: [{ field: 'Host', message: 'required' }] });
  }
  next();
}

function answer(res: ServerResponse, status: number, body: ErrorBody): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json), Connection: 'close' });
  res.end(json);
}
