/**
 * Load-generating WebSocket client for bench/ws-ingest.ts, one child process of several (forked
 * with an IPC channel). It connects its share of the gateways, waits for each one's `hello`,
 * then sends telemetry frames at the total rate it is told, round-robin over its sockets, from
 * one timer (open loop: a late tick sends what fell due, up to 100 ms worth at once).
 *
 * Every frame carries its send time in memory_mb: milliseconds since the run's epoch (shared
 * by all processes on the machine through Date.now()), so a reader of GET telemetry can tell
 * how old the snapshot it sees is.
 */
import WebSocket from 'ws';

export interface ClientGateway {
  id: string;
  apiKey: string;
}

export type ClientCommand =
  | { type: 'connect'; url: string; gateways: ClientGateway[]; concurrency: number; epoch: number }
  | { type: 'rate'; perSecond: number }
  | { type: 'stats' }
  | { type: 'close' };

export interface ClientStats {
  sent: number;
  /** Frames that fell due but were not sent because the client itself was late (open loop deficit). */
  behind: number;
  errorFrames: number;
  closes: Record<string, number>;
  open: number;
  /** Bytes queued in ws but not yet handed to the kernel, summed over sockets. */
  buffered: number;
  /** Date.now() when these counters were read. */
  at: number;
}

export type ClientReply =
  | { type: 'connected'; ok: number; failed: number; failures: Record<string, number>; ms: number }
  | { type: 'stats'; stats: ClientStats }
  | { type: 'ack' }
  | { type: 'closed' };

const CAMERA = '550e8400-e29b-41d4-a716-446655440000';
const TICK_MS = 10;

let epoch = Date.now();
const sockets: WebSocket[] = [];
const stats: ClientStats = { sent: 0, behind: 0, errorFrames: 0, closes: {}, open: 0, buffered: 0, at: 0 };
let rate = 0;
let rateSince = 0;
let sentSinceRate = 0;
let cursor = 0;
let timer: NodeJS.Timeout | undefined;

const reply = (m: ClientReply) => process.send?.(m);

function frame(i: number): string {
  const cpu = (i % 1000) / 10;
  return `{"event":"telemetry","data":{"cpu_percent":${cpu},"memory_mb":${Date.now() - epoch},"camera_recording_status":{"${CAMERA}":"recording"},"network_throughput":{"upstream_mbps":5.2,"downstream_mbps":28.6}}}`;
}

function connectOne(url: string, gw: ClientGateway): Promise<string | undefined> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url}/api/v1/gateways/${gw.id}/ws`, {
      headers: { Authorization: `Bearer ${gw.apiKey}` },
      perMessageDeflate: false,
      handshakeTimeout: 60_000,
    });
    let greeted = false;
    ws.on('unexpected-response', (_req, res) => {
      resolve(`http ${res.statusCode}`);
      res.resume();
      ws.terminate();
    });
    ws.on('message', (raw) => {
      const text = raw.toString();
      if (!greeted) {
        if (text.includes('"event":"hello"')) {
          greeted = true;
          sockets.push(ws);
          stats.open++;
          resolve(undefined);
        }
        return;
      }
      if (text.includes('"event":"error"')) stats.errorFrames++;
    });
    ws.on('close', (code) => {
      if (greeted) {
        stats.open--;
        stats.closes[code] = (stats.closes[code] ?? 0) + 1;
      } else resolve(`closed ${code} before hello`);
    });
    ws.on('error', (e) => {
      if (!greeted) resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`);
    });
  });
}

async function connectAll(url: string, gateways: ClientGateway[], concurrency: number) {
  const t0 = performance.now();
  const failures: Record<string, number> = {};
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < gateways.length) {
      const gw = gateways[next++];
      const failure = await connectOne(url, gw);
      if (failure) failures[failure] = (failures[failure] ?? 0) + 1;
      else ok++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, gateways.length) }, worker));
  reply({ type: 'connected', ok, failed: gateways.length - ok, failures, ms: performance.now() - t0 });
}

function tick(): void {
  if (rate <= 0 || sockets.length === 0) return;
  const due = Math.floor(((performance.now() - rateSince) / 1000) * rate) - sentSinceRate;
  const cap = Math.max(1, Math.ceil(rate / 10));
  const n = Math.min(due, cap);
  if (due > cap) {
    // More than 100 ms late: drop the excess rather than burst; it is reported as "behind".
    stats.behind += due - cap;
    sentSinceRate += due - cap;
  }
  for (let i = 0; i < n; i++) {
    let ws: WebSocket | undefined;
    for (let tries = 0; tries < sockets.length; tries++) {
      const candidate = sockets[cursor];
      cursor = (cursor + 1) % sockets.length;
      if (candidate.readyState === WebSocket.OPEN) {
        ws = candidate;
        break;
      }
    }
    sentSinceRate++;
    if (!ws) continue;
    ws.send(frame(stats.sent));
    stats.sent++;
  }
}

process.on('message', (m: ClientCommand) => {
  switch (m.type) {
    case 'connect':
      epoch = m.epoch;
      void connectAll(m.url, m.gateways, m.concurrency);
      break;
    case 'rate':
      rate = m.perSecond;
      rateSince = performance.now();
      sentSinceRate = 0;
      timer ??= setInterval(tick, TICK_MS);
      reply({ type: 'ack' });
      break;
    case 'stats':
      stats.buffered = sockets.reduce((a, ws) => a + ws.bufferedAmount, 0);
      stats.at = Date.now();
      reply({ type: 'stats', stats: { ...stats, closes: { ...stats.closes } } });
      break;
    case 'close': {
      rate = 0;
      if (timer) clearInterval(timer);
      for (const ws of sockets) ws.terminate();
      reply({ type: 'closed' });
      setTimeout(() => process.exit(0), 100);
      break;
    }
  }
});
process.on('disconnect', () => process.exit(0));
