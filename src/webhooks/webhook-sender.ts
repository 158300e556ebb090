import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, isForbiddenAddress, urlHost } from './target-guard';

/** At most this much of a response is read; the rest is not waited for. */
const READ_LIMIT = 64 * 1024;
/** At most this much of it is kept, in the attempt's error. */
const KEEP_LIMIT = 1024;

export interface SendResult {
  /** The HTTP status, when an answer came. */
  status: number | null;
  /** Why the attempt failed, when it did (with up to 1 KiB of a non-2xx body). */
  error: string | null;
  durationMs: number;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
}

/**
 * POSTs one signed body. Redirects are not followed (a 3xx is a failure); the whole attempt —
 * DNS, connect, answer and the read of at most 64 KiB of its body — ends at `timeoutMs`, so a
 * slow or endless answer cannot hold a worker; the address connected to is checked after DNS.
 */
export function sendWebhook(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const done = (status: number | null, error: string | null): SendResult => ({ status, error, durationMs: Math.round(performance.now() - started) });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(done(null, 'invalid URL'));
  }
  const host = urlHost(target);
  if (!options.allowPrivateTargets && isIP(host) && isForbiddenAddress(host)) {
    return Promise.resolve(done(null, `${host} is an address webhooks may not reach`));
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    /** Set once the answer's head arrived. */
    let answered: number | null = null;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(done(status, error));
    };
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'NovaVMS-Webhooks/1.2' },
        ...(options.allowPrivateTargets ? {} : { lookup: guardedLookup() as never }),
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        answered = status;
        // A 2xx delivers as soon as it arrives; its body is not waited for.
        if (status >= 200 && status < 300) return finish(status, null);
        const chunks: Buffer[] = [];
        let read = 0;
        let kept = 0;
        const conclude = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, KEEP_LIMIT).toString('utf8');
          finish(status, `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`);
        };
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (kept < KEEP_LIMIT) {
            chunks.push(chunk);
            kept += chunk.length;
          }
          if (read >= READ_LIMIT) conclude();
        });
        res.on('end', conclude);
        res.on('error', () => conclude());
      },
    );
    const timer = setTimeout(
      () => finish(answered, answered === null ? `no answer within ${options.timeoutMs} ms` : `HTTP ${answered}: the body did not end within ${options.timeoutMs} ms`),
      options.timeoutMs,
    );
    req.on('error', (e: NodeJS.ErrnoException) => finish(null, e.code === 'EFORBIDDENTARGET' ? e.message : `${e.code ?? 'error'}: ${e.message}`.slice(0, KEEP_LIMIT)));
    req.end(body);
  });
}
