import WebSocket from 'ws';

/** Close codes after which a gateway reconnects (docs/gateway-protocol.md): shutdown, network loss, server errors. */
const RECONNECT_AFTER = new Set([1001, 1006, 1011, 1012, 1013]);

export interface Close {
  code: number;
  /** Date.now() when it closed. */
  at: number;
  url: string;
}

/**
 * A gateway as its firmware behaves: one socket, a telemetry frame every `everyMs` whose
 * `memory_mb` counts up (so a snapshot shows which frame it holds), and — with `reconnect` —
 * a new socket on the next instance after a close that calls for it.
 */
export class SimGateway {
  readonly closes: Close[] = [];
  /** The counter of the newest frame sent on an open socket. */
  lastSent = 0;
  /** Instance URL of the open socket, if any. */
  connectedTo?: string;
  private ws?: WebSocket;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private next: number;

  constructor(
    readonly id: string,
    readonly key: string,
    private readonly urls: string[],
    first = 0,
    private readonly options: { everyMs: number; reconnect: boolean } = { everyMs: 250, reconnect: true },
  ) {
    this.next = first;
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Opens a socket on `urls[index]` (default: the next one) and resolves once `hello` arrived. */
  connect(index = this.next): Promise<void> {
    const url = this.urls[index % this.urls.length];
    this.next = (index + 1) % this.urls.length;
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/gateways/${this.id}/ws`, {
      headers: { Authorization: `Bearer ${this.key}` },
      perMessageDeflate: false,
    });
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        reject(Object.assign(new Error(`upgrade refused on ${url}: ${res.statusCode}`), { status: res.statusCode }));
      });
      ws.on('error', (e) => reject(e));
      ws.on('message', (raw) => {
        if (JSON.parse(raw.toString()).event !== 'hello') return;
        this.ws = ws;
        this.connectedTo = url;
        resolve();
      });
      ws.on('close', (code) => {
        if (this.ws !== ws) return;
        this.ws = undefined;
        this.connectedTo = undefined;
        this.closes.push({ code, at: Date.now(), url });
        if (this.options.reconnect && !this.stopped && RECONNECT_AFTER.has(code)) this.reconnectSoon();
      });
    });
  }

  /** Sends a frame every `everyMs` while a socket is open. */
  startSending(): void {
    this.timer ??= setInterval(() => this.send(), this.options.everyMs);
  }

  /** One telemetry frame now; returns its counter, or undefined when no socket is open. */
  send(): number | undefined {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return undefined;
    const n = this.lastSent + 1;
    this.ws.send(JSON.stringify({ event: 'telemetry', data: { memory_mb: n, cpu_percent: n % 100 } }));
    this.lastSent = n;
    return n;
  }

  /** A `session` frame (v1.3) with this boot id now; false when no socket is open. */
  sendSession(bootId: string): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify({ event: 'session', data: { boot_id: bootId, capabilities: ['commands.v1'] } }));
    return true;
  }

  /** The gateway closes its own socket (and does not reconnect). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.ws?.close(1000, 'gateway stopping');
  }

  private reconnectSoon(attempt = 0): void {
    setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch(() => this.reconnectSoon(attempt + 1));
    }, Math.min(100 * 2 ** attempt, 1000));
  }
}

async function api(baseUrl: string, path: string, body: unknown, key?: string): Promise<any> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** Generates and redeems `count` codes with an operator key: the paired gateways' ids and keys. */
export async function pairFleet(baseUrl: string, key: string, siteId: string, count: number): Promise<{ id: string; key: string }[]> {
  const paired: { id: string; key: string }[] = [];
  for (let i = 0; i < count; i++) {
    const issued = await api(baseUrl, '/api/v1/gateways/generate-pairing-code', { name: `sim ${i + 1}`, site_id: siteId }, key);
    const redeemed = await api(baseUrl, '/api/v1/gateways/pair', { pairing_code: issued.pairing_code, version: 'sim-1.0' });
    paired.push({ id: redeemed.gateway_id, key: redeemed.api_key });
  }
  return paired;
}

export interface StatusReport {
  /** Each sighting, through REST, of a gateway that should have been online but was not. */
  falseOffline: { url: string; id: string; status: string; at: number }[];
  /** Answers by status code. */
  answers: Map<number, number>;
}

/**
 * Polls `GET /api/v1/gateways` on every instance, as a dashboard would, and records every
 * gateway shown with another status than online while `expectOnline(id)` says it is live.
 */
export function watchStatuses(urls: string[], key: string, expectOnline: (id: string) => boolean, everyMs = 100) {
  const report: StatusReport = { falseOffline: [], answers: new Map() };
  let running = true;
  const loops = urls.map(async (url) => {
    while (running) {
      try {
        const res = await fetch(`${url}/api/v1/gateways?limit=1000`, { headers: { Authorization: `Bearer ${key}` } });
        report.answers.set(res.status, (report.answers.get(res.status) ?? 0) + 1);
        const body = (await res.json()) as { data?: { id: string; status: string }[] };
        if (res.status === 200) {
          for (const g of body.data ?? []) {
            if (g.status !== 'online' && expectOnline(g.id)) report.falseOffline.push({ url, id: g.id, status: g.status, at: Date.now() });
          }
        }
      } catch {
        report.answers.set(0, (report.answers.get(0) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  });
  return {
    report,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return report;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
