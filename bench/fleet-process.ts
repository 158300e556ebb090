/**
 * A fleet of simulated gateways in one child process (forked with an IPC channel by
 * bench/lib/fleet.ts), behaving as docs/gateway-protocol.md asks firmware to:
 * - after `hello` a gateway sends a telemetry frame at once, then one every `heartbeatMs`;
 * - after a close that calls for it (1001 shutdown, 1006 lost, 1011–1013) it reconnects to the
 *   next instance after a random pause of up to `reconnectJitterMs`; a refused upgrade is
 *   retried with backoff (1 s doubling to 8 s, with jitter) on the next instance;
 * - `churn` instead runs each gateway in a loop: connect, send `framesPerCycle` frames, close
 *   with 1000 (the gateway's own close), again — at most `cyclesPerSecond` cycles in total.
 *
 * Each frame carries its send time in memory_mb (ms since the driver's epoch, the same clock
 * for every process on the machine), so a reader of GET .../telemetry can tell its age.
 * Every answer is counted: refusals by status, closes by code, reconnect durations.
 */
import WebSocket from 'ws';

export interface FleetGatewayRef {
  id: string;
  apiKey: string;
}

export type FleetCommand =
  | { type: 'connect'; urls: string[]; gateways: FleetGatewayRef[]; heartbeatMs: number; reconnectJitterMs: number; concurrency: number; epoch: number }
  | { type: 'churn'; urls: string[]; gateways: FleetGatewayRef[]; framesPerCycle: number; cyclesPerSecond: number; durationMs: number; epoch: number }
  | { type: 'stats'; since?: number }
  | { type: 'stop'; how: 'close' | 'terminate' };

export interface FleetStats {
  /** Sockets open (hello received) now, in all and per instance URL. */
  open: number;
  openByUrl: Record<string, number>;
  /** Upgrades refused, by HTTP status or network error, since the start. */
  refusals: Record<string, number>;
  /** Closes of greeted sockets by code, since the start. */
  closes: Record<string, number>;
  errorFrames: number;
  framesSent: number;
  /** Connections greeted (first connects, reconnects and churn cycles). */
  greeted: number;
  /** Gateways whose socket closed at or after `since`, and how many of them are back (greeted again). */
  closedSince: number;
  backSince: number;
  /** The latest hello (ms after `since`) among those that are back; 0 when none. */
  lastBackMs: number;
  /** Close → next hello of every reconnect since the start (ms). */
  reconnectMs: number[];
  /** Churn: cycles completed (connect, frames, own close). */
  cycles: number;
  /** Date.now() when the stats were read. */
  at: number;
}

export type FleetReply =
  | { type: 'connected'; ok: number; failures: Record<string, number>; ms: number; helloMs: number[] }
  | { type: 'churned'; stats: FleetStats }
  | { type: 'stats'; stats: FleetStats }
  | { type: 'stopped' };

/** Close codes after which a gateway reconnects (docs/gateway-protocol.md). */
const RECONNECT_AFTER = new Set([1001, 1006, 1011, 1012, 1013]);

let epoch = Date.now();
let stopped = false;
const counters = { refusals: {} as Record<string, number>, closes: {} as Record<string, number>, errorFrames: 0, framesSent: 0, greeted: 0, cycles: 0 };
const reconnectMs: number[] = [];
const fleet: SimGateway[] = [];
const bump = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);
const reply = (m: FleetReply) => process.send?.(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function telemetry(): string {
  return `{"event":"telemetry","data":{"cpu_percent":${(Math.random() * 100).toFixed(1)},"memory_mb":${Date.now() - epoch}}}`;
}

/** Opens one socket; resolves with it once `hello` arrived, or with why it did not. */
function open(url: string, gw: FleetGatewayRef): Promise<WebSocket | string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/gateways/${gw.id}/ws`, {
      headers: { Authorization: `Bearer ${gw.apiKey}` },
      perMessageDeflate: false,
      handshakeTimeout: 30_000,
    });
    let settled = false;
    const settle = (v: WebSocket | string) => {
      if (settled) return;
      settled = true;
      resolve(v);
    };
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      settle(`http ${res.statusCode}`);
    });
    ws.on('error', (e) => settle(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    ws.on('close', (code) => settle(`closed ${code} before hello`));
    ws.on('message', (raw) => {
      const text = raw.toString();
      if (!settled && text.includes('"event":"hello"')) settle(ws);
      else if (text.includes('"event":"error"')) counters.errorFrames++;
    });
  });
}

class SimGateway {
  ws?: WebSocket;
  url?: string;
  closedAt?: number;
  backAt?: number;
  private next: number;
  private timer?: NodeJS.Timeout;

  constructor(
    readonly ref: FleetGatewayRef,
    private readonly urls: string[],
    first: number,
    private readonly heartbeatMs: number,
    private readonly jitterMs: number,
  ) {
    this.next = first;
  }

  /** One connection attempt on the next URL; returns the refusal, or undefined once greeted. */
  async connect(): Promise<string | undefined> {
    const url = this.urls[this.next % this.urls.length];
    this.next++;
    const result = await open(url, this.ref);
    if (typeof result === 'string') {
      bump(counters.refusals, result);
      return result;
    }
    if (stopped) {
      result.terminate();
      return 'stopped';
    }
    this.greeted(result, url);
    return undefined;
  }

  private greeted(ws: WebSocket, url: string): void {
    counters.greeted++;
    this.ws = ws;
    this.url = url;
    if (this.closedAt !== undefined) {
      this.backAt = Date.now();
      reconnectMs.push(this.backAt - this.closedAt);
    }
    this.send();
    this.timer = setInterval(() => this.send(), this.heartbeatMs);
    ws.on('close', (code) => {
      clearInterval(this.timer);
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.url = undefined;
      this.closedAt = Date.now();
      this.backAt = undefined;
      bump(counters.closes, String(code));
      if (!stopped && RECONNECT_AFTER.has(code)) void this.reconnect();
    });
  }

  private send(): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(telemetry());
    counters.framesSent++;
  }

  private async reconnect(): Promise<void> {
    await sleep(Math.random() * this.jitterMs);
    for (let attempt = 0; !stopped; attempt++) {
      if ((await this.connect()) === undefined) return;
      const backoff = Math.min(1000 * 2 ** attempt, 8000);
      await sleep(backoff / 2 + Math.random() * (backoff / 2));
    }
  }

  stop(how: 'close' | 'terminate'): void {
    clearInterval(this.timer);
    if (how === 'close') this.ws?.close(1000, 'gateway stopping');
    else this.ws?.terminate();
  }
}

async function connectAll(m: Extract<FleetCommand, { type: 'connect' }>): Promise<void> {
  const t0 = performance.now();
  const failures: Record<string, number> = {};
  const helloMs: number[] = [];
  const gateways = m.gateways.map((ref, i) => new SimGateway(ref, m.urls, i, m.heartbeatMs, m.reconnectJitterMs));
  fleet.push(...gateways);
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < gateways.length) {
      const gw = gateways[next++];
      const started = performance.now();
      const failure = await gw.connect();
      if (failure) bump(failures, failure);
      else {
        ok++;
        helloMs.push(performance.now() - started);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(m.concurrency, gateways.length) }, worker));
  reply({ type: 'connected', ok, failures, ms: performance.now() - t0, helloMs });
}

/** Each gateway: connect, frames, its own close, again; the fleet paced to cyclesPerSecond. */
async function churn(m: Extract<FleetCommand, { type: 'churn' }>): Promise<void> {
  const until = Date.now() + m.durationMs;
  const periodMs = (m.gateways.length / m.cyclesPerSecond) * 1000;
  const loop = async (gw: FleetGatewayRef, i: number) => {
    await sleep((i / m.gateways.length) * periodMs);
    for (let n = i; Date.now() < until && !stopped; n++) {
      const started = Date.now();
      const result = await open(m.urls[n % m.urls.length], gw);
      if (typeof result === 'string') {
        bump(counters.refusals, result);
      } else {
        counters.greeted++;
        for (let f = 0; f < m.framesPerCycle; f++) result.send(telemetry());
        counters.framesSent += m.framesPerCycle;
        const code = await new Promise<number>((resolve) => {
          result.once('close', resolve);
          result.close(1000, 'cycle done');
        });
        bump(counters.closes, String(code));
        counters.cycles++;
      }
      await sleep(Math.max(0, periodMs - (Date.now() - started)));
    }
  };
  await Promise.all(m.gateways.map(loop));
  reply({ type: 'churned', stats: stats() });
}

function stats(since?: number): FleetStats {
  const openByUrl: Record<string, number> = {};
  let openCount = 0;
  let closedSince = 0;
  let backSince = 0;
  let lastBackMs = 0;
  for (const gw of fleet) {
    if (gw.url) {
      openCount++;
      bump(openByUrl, gw.url);
    }
    if (since !== undefined && gw.closedAt !== undefined && gw.closedAt >= since) {
      closedSince++;
      if (gw.backAt !== undefined) {
        backSince++;
        lastBackMs = Math.max(lastBackMs, gw.backAt - since);
      }
    }
  }
  return { open: openCount, openByUrl, ...counters, refusals: { ...counters.refusals }, closes: { ...counters.closes }, closedSince, backSince, lastBackMs, reconnectMs: [...reconnectMs], at: Date.now() };
}

process.on('message', (m: FleetCommand) => {
  switch (m.type) {
    case 'connect':
      epoch = m.epoch;
      void connectAll(m);
      break;
    case 'churn':
      epoch = m.epoch;
      void churn(m);
      break;
    case 'stats':
      reply({ type: 'stats', stats: stats(m.since) });
      break;
    case 'stop':
      stopped = true;
      for (const gw of fleet) gw.stop(m.how);
      reply({ type: 'stopped' });
      setTimeout(() => process.exit(0), 500);
      break;
  }
});
process.on('disconnect', () => process.exit(0));
