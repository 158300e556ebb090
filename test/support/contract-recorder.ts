/**
 * `attachContractRecorder(server)` hooks a Node HTTP server (the one of every app started by
 * startTestApp) and checks every response it finishes against the committed contract
 * (contract-checker.ts); test-app.ts throws from `close()` when anything was recorded.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { CheckOutcome, committedContract, ContractChecker, ContractViolation, formatViolation } from './contract-checker';

/** What one hooked server saw. */
export interface ContractRecorder {
  /** Responses compared with the spec. */
  checked: number;
  /** Of those, answers to routes the spec does not have (404 not_found, checked as such). */
  unrouted: number;
  /** Swagger UI responses and responses never finished (client went away), not checked. */
  skipped: number;
  violations: ContractViolation[];
  /** One line: what was checked and how many violations. */
  summary(label?: string): string;
  /** A readable list of every violation (empty string when there is none). */
  report(): string;
  detach(): void;
}

/** Totals over every recorder of this process (one jest worker runs several suites). */
export const contractTotals = { checked: 0, unrouted: 0, skipped: 0, violations: 0 };

function toBuffer(chunk: unknown, encoding?: unknown): Buffer | undefined {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return undefined;
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return undefined;
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.toLowerCase()) {
    case 'gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

/** writeHead's headers: an object, a flat [k, v, k, v] array or an array of [k, v] pairs. */
function headerEntries(headers: unknown): [string, string][] {
  if (!headers || typeof headers !== 'object') return [];
  if (Array.isArray(headers)) {
    if (headers.every((h) => Array.isArray(h))) return (headers as unknown[][]).map((h) => [String(h[0]), String(h[1])]);
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) out.push([String(headers[i]), String(headers[i + 1])]);
    return out;
  }
  return Object.entries(headers as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]);
}


/**
 * Hooks `server` so that every response it finishes is checked against `checker`. The hook runs
 * before the app's own 'request' listener, so even a response written synchronously is seen.
 */
export function attachContractRecorder(server: Server, checker: ContractChecker = committedContract()): ContractRecorder {
  const recorder: ContractRecorder = {
    checked: 0,
    unrouted: 0,
    skipped: 0,
    violations: [],
    summary(label) {
      return `[contract] ${label ? `${label}: ` : ''}${this.checked} responses checked against openapi/openapi.json (${this.unrouted} unrouted 404s, ${this.skipped} skipped), ${this.violations.length} violations`;
    },
    report() {
      return this.violations.map((v, i) => `  ${i + 1}. ${formatViolation(v)}`).join('\n');
    },
    detach() {
      server.off('request', onRequest);
    },
  };

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers.upgrade) return; // a WebSocket handshake is not an API response
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]) => {
      const b = toBuffer(args[0], args[1]);
      if (b) chunks.push(b);
      return write(...args);
    };
    (res as unknown as { end: (...args: unknown[]) => ServerResponse }).end = (...args: unknown[]) => {
      const b = toBuffer(args[0], args[1]);
      if (b) chunks.push(b);
      return end(...args);
    };
    // Headers given to writeHead(status, [message], headers) are not visible through getHeader().
    const headed: Record<string, string> = {};
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as unknown as { writeHead: (...args: unknown[]) => ServerResponse }).writeHead = (...args: unknown[]) => {
      const headers = typeof args[1] === 'string' ? args[2] : args[1];
      for (const [k, v] of headerEntries(headers)) headed[k.toLowerCase()] = v;
      return writeHead(...args);
    };
    const header = (name: string): string | undefined => {
      const v = res.getHeader(name) ?? headed[name];
      return v === undefined ? undefined : String(v);
    };
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    res.once('finish', () => {
      let outcome: CheckOutcome;
      try {
        outcome = checker.check({
          method,
          url,
          status: res.statusCode,
          contentType: header('content-type'),
          body: decode(Buffer.concat(chunks), header('content-encoding')),
        });
      } catch (e) {
        outcome = {
          kind: 'checked',
          operation: undefined,
          violations: [{ method, path: url, status: res.statusCode, problem: `checker failed: ${(e as Error).message}`, body: '' }],
        };
      }
      if (outcome.kind === 'skipped') {
        recorder.skipped++;
        contractTotals.skipped++;
        return;
      }
      recorder.checked++;
      contractTotals.checked++;
      if (!outcome.operation) {
        recorder.unrouted++;
        contractTotals.unrouted++;
      }
      recorder.violations.push(...outcome.violations);
      contractTotals.violations += outcome.violations.length;
    });
    res.once('close', () => {
      if (!res.writableFinished) {
        recorder.skipped++; // the client went away before the response was complete
        contractTotals.skipped++;
      }
    });
  }

  server.prependListener('request', onRequest);
  return recorder;
}
