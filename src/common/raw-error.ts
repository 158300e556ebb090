import { STATUS_CODES } from 'node:http';
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
