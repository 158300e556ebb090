/**
 * Gateway simulator, for people trying the service and for benchmarks.
 *
 *   npm run gateway:sim -- --url http://localhost:3000 --code A7B3CX
 *       pairs one gateway with a code from generate-pairing-code, then streams frames.
 *   npm run gateway:sim -- --url http://localhost:3000 --key sk_live_... --gateways 100 [--site-id UUID]
 *       generates and redeems N codes itself (operator key), then streams frames from all N.
 *
 * After `hello`, every gateway declares its session (v1.3: a boot id new at each start of the
 * simulator, firmware `sim-1.0`, no capabilities yet); one gateway sends its first frame at once; several spread their first frames
 * over the period. Options: --rate F (frames per second per gateway; default: one per heartbeat
 * interval from `hello`), --telemetry-every N (every Nth frame is telemetry, the rest
 * heartbeats, the first always telemetry; default 1),
 * --duration S (stop after S seconds; default: until Ctrl-C), --quiet.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

export interface SimOptions {
  url: string;
  code?: string;
  key?: string;
  gateways: number;
  siteId?: string;
  rate?: number;
  telemetryEvery: number;
  durationS?: number;
  quiet: boolean;
}

export interface PairedGateway {
  id: string;
  apiKey: string;
}

export interface SimStats {
  connected: number;
  framesSent: number;
  errorFrames: number;
  closes: Map<number, number>;
}

const CAMERA = '550e8400-e29b-41d4-a716-446655440000';

async function api<T>(base: string, path: string, init: RequestInit & { key?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.key) headers.Authorization = `Bearer ${init.key}`;
  const res = await fetch(`${base}${path}`, { ...init, headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function pair(base: string, code: string, name?: string): Promise<PairedGateway> {
  const body = await api<{ gateway_id: string; api_key: string }>(base, '/api/v1/gateways/pair', {
    method: 'POST',
    body: JSON.stringify({ pairing_code: code, version: 'sim-1.0', local_ip: '192.0.2.10', ...(name ? { name } : {}) }),
  });
  return { id: body.gateway_id, apiKey: body.api_key };
}

/** Generates and redeems codes with an operator key, in groups that respect the active-code limit. */
export async function pairMany(base: string, key: string, count: number, siteId?: string, log: (m: string) => void = () => undefined): Promise<PairedGateway[]> {
  const site = siteId ?? (await api<{ data: { id: string }[] }>(base, '/api/v1/sites?limit=1', { key })).data[0]?.id;
  if (!site) throw new Error('the key sees no site; pass --site-id');
  const paired: PairedGateway[] = [];
  while (paired.length < count) {
    const group = Math.min(5, count - paired.length);
    const codes = await Promise.all(
      Array.from({ length: group }, (_, i) =>
        api<{ pairing_code: string }>(base, '/api/v1/gateways/generate-pairing-code', {
          method: 'POST',
          key,
          body: JSON.stringify({ name: `sim gateway ${paired.length + i + 1}`, site_id: site }),
        }),
      ),
    );
    paired.push(...(await Promise.all(codes.map((c) => pair(base, c.pairing_code)))));
    if (paired.length % 500 === 0 || paired.length === count) log(`paired ${paired.length}/${count}`);
  }
  return paired;
}

function telemetryFrame(i: number) {
  return {
    event: 'telemetry',
    data: {
      cpu_percent: Math.round((10 + ((i * 7) % 80)) * 10) / 10,
      memory_mb: 512 + (i % 256),
      camera_recording_status: { [CAMERA]: 'recording' },
      network_throughput: { upstream_mbps: 5.2, downstream_mbps: 28.6 },
    },
  };
}

/** Connects every gateway and streams frames until stop() is called. */
export function stream(base: string, gateways: PairedGateway[], options: Pick<SimOptions, 'rate' | 'telemetryEvery'>, stats: SimStats) {
  const wsBase = base.replace(/^http/, 'ws');
  const sockets: WebSocket[] = [];
  const timers: NodeJS.Timeout[] = [];
  // One boot of each simulated gateway per run of the simulator: a restart of it is a reboot.
  const bootIds = gateways.map(() => randomUUID());
  const open = (gw: PairedGateway, index: number) => {
    const ws = new WebSocket(`${wsBase}/api/v1/gateways/${gw.id}/ws`, {
      headers: { Authorization: `Bearer ${gw.apiKey}` },
      perMessageDeflate: false,
    });
    sockets.push(ws);
    let frames = 0;
    let greeted = false;
    // The first frame is telemetry whatever --telemetry-every says, so a snapshot exists at once.
    const send = () => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(frames % options.telemetryEvery === 0 ? telemetryFrame(index + frames) : { event: 'heartbeat', data: {} }));
      frames++;
      stats.framesSent++;
    };
    ws.on('message', (raw) => {
      const frame = JSON.parse(raw.toString());
      if (frame.event === 'error') stats.errorFrames++;
      if (frame.event !== 'hello') return;
      greeted = true;
      stats.connected++;
      ws.send(JSON.stringify({ event: 'session', data: { boot_id: bootIds[index], firmware: 'sim-1.0', capabilities: [] } }));
      const rate = options.rate ?? 1 / frame.data.heartbeat_interval_s;
      const periodMs = 1000 / rate;
      const beat = () => {
        send();
        timers.push(setInterval(send, periodMs));
      };
      // The gateway is online from its first frame (docs/gateway-protocol.md, "Liveness"): one
      // gateway sends it at once, so whoever just paired it does not see it offline for an
      // interval. Many gateways spread their first frames over the period, so the load is
      // even rather than one burst per period.
      if (gateways.length === 1) beat();
      else timers.push(setTimeout(beat, Math.random() * periodMs));
    });
    ws.on('close', (code) => {
      stats.closes.set(code, (stats.closes.get(code) ?? 0) + 1);
      if (greeted) stats.connected--;
    });
    ws.on('error', () => undefined);
  };
  gateways.forEach((gw, i) => open(gw, i));
  return {
    sockets,
    stop: () => {
      for (const t of timers) clearTimeout(t);
      for (const ws of sockets) ws.close(1000, 'simulator stopping');
    },
  };
}

function parseOptions(argv: string[]): SimOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string', default: 'http://localhost:3000' },
      code: { type: 'string' },
      key: { type: 'string' },
      gateways: { type: 'string', default: '1' },
      'site-id': { type: 'string' },
      rate: { type: 'string' },
      'telemetry-every': { type: 'string', default: '1' },
      duration: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const num = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}`);
    return n;
  };
  const options: SimOptions = {
    url: values.url!.replace(/\/$/, ''),
    code: values.code,
    key: values.key,
    gateways: num('gateways', values.gateways, 1)!,
    siteId: values['site-id'],
    rate: num('rate', values.rate, 0.001),
    telemetryEvery: num('telemetry-every', values['telemetry-every'], 1)!,
    durationS: num('duration', values.duration, 1),
    quiet: values.quiet!,
  };
  if (!options.code && !options.key) throw new Error('give --code CODE (one gateway) or --key OPERATOR_KEY --gateways N');
  if (options.code && options.gateways > 1) throw new Error('--code pairs one gateway; use --key for several');
  return options;
}

async function main(): Promise<void> {
  let options: SimOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  }
  const log = (m: string) => {
    if (!options.quiet) process.stderr.write(`${new Date().toISOString()} ${m}\n`);
  };
  const gateways = options.code
    ? [await pair(options.url, options.code)]
    : await pairMany(options.url, options.key!, options.gateways, options.siteId, log);
  if (options.code) log(`paired gateway ${gateways[0].id}`);
  const stats: SimStats = { connected: 0, framesSent: 0, errorFrames: 0, closes: new Map() };
  const sim = stream(options.url, gateways, options, stats);
  let last = 0;
  const report = setInterval(() => {
    const closes = [...stats.closes].map(([c, n]) => `${c}×${n}`).join(' ') || 'none';
    log(`connected ${stats.connected}/${gateways.length}, frames ${stats.framesSent} (+${stats.framesSent - last}/5s), error frames ${stats.errorFrames}, closes ${closes}`);
    last = stats.framesSent;
  }, 5000);
  const stop = () => {
    clearInterval(report);
    sim.stop();
    setTimeout(() => process.exit(0), 500).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (options.durationS) setTimeout(stop, options.durationS * 1000);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`gateway-sim: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
