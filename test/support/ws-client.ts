import WebSocket from 'ws';

export interface GatewaySocket {
  ws: WebSocket;
  /** Resolves with the next frame received (JSON-parsed). */
  next(timeoutMs?: number): Promise<{ event: string; data: any }>;
  /** Resolves with the close code once the socket is closed. */
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
}

/** Opens a gateway socket; rejects with the HTTP status and body when the upgrade is refused. */
export function connectGateway(baseUrl: string, gatewayId: string, key?: string): Promise<GatewaySocket> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/gateways/${gatewayId}/ws`;
  const ws = new WebSocket(url, { headers: key ? { Authorization: `Bearer ${key}` } : {}, perMessageDeflate: false });
  const queue: { event: string; data: any }[] = [];
  const waiters: ((f: { event: string; data: any }) => void)[] = [];
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString());
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, body: body ? JSON.parse(body) : undefined, headers: res.headers })));
    });
    ws.on('error', (e) => reject(e));
    ws.on('open', () =>
      resolve({
        ws,
        closed,
        send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
        next: (timeoutMs = 5000) =>
          new Promise((res, rej) => {
            const queued = queue.shift();
            if (queued) return res(queued);
            const waiter = (f: { event: string; data: any }) => {
              clearTimeout(timer);
              res(f);
            };
            // A waiter that timed out leaves the queue: the next frame goes to whoever asks next.
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(waiter), 1);
              rej(new Error('no frame within timeout'));
            }, timeoutMs);
            waiters.push(waiter);
          }),
      }),
    );
  });
}

/** Polls until `check` returns a truthy value or the time runs out (then throws the last error). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw last ?? new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Resolves with the close event, or rejects if the socket is still open after `ms`. */
export function closesWithin<T>(closed: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
  });
  return Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
}
