/**
 * Gateway simulator, for people trying the service and for benchmarks.
 *
 *   npm run gateway:sim -- --url http://localhost:3000 --code A7B3CX
 *       pairs one gateway with a code from generate-pairing-code, then streams frames.
 *   npm run gateway:sim -- --url http://localhost:3000 --key sk_live_... --gateways 100 [--site-id UUID]
 *       generates and redeems N codes itself (operator key), then streams frames from all N.
 *
 * After `hello`, every gateway declares its session (v1.3: a boot id new at each start of the
 * simulator and at each simulated reboot, the same on every reconnection in between; firmware
 * `sim-1.0`; capabilities `commands.v1` and `config.v1`; `config_version`, the configuration
 * version it last applied, 0 at first); one gateway sends its first frame at once; several spread
 * their first frames over the period. Each gateway runs the commands it is sent, exactly once
 * (bench/lib/sim-commands.ts), and logs one line per command: network.probe connects only to
 * 127.0.0.1, ::1 or localhost; cameras.discover finds a few made-up cameras after `timeout_s`;
 * gateway.reboot closes the socket and is back 1 s later with a new boot id. Each gateway applies
 * the configuration it is sent and reports it (bench/lib/sim-config.ts), one log line per version;
 * its applied version and running configuration survive reconnections and reboots (not a restart
 * of the simulator). A gateway reconnects after any close but 4403, 4404 or 4409.
 *
 * Options: --rate F (frames per second per gateway; default: one per heartbeat interval from
 * `hello`), --telemetry-every N (every Nth frame is telemetry, the rest heartbeats, the first
 * always telemetry; default 1), --duration S (stop after S seconds; default: until Ctrl-C),
 * --reject-config-field NAME (reject every desired configuration that holds this top-level field,
 * e.g. retention_days, with the error "not supported by this simulator"; may be repeated),
 * --quiet (no log lines, the commands' and configuration's included).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { CONFIG_SCHEMA } from '../src/gateway-config/config-document';
import { GatewayCommands } from './lib/sim-commands';
import { CONFIG_CAPABILITY, GatewayConfig } from './lib/sim-config';

export interface SimOptions {
  url: string;
  code?: string;
  key?: string;
  gateways: number;
  siteId?: string;
  rate?: number;
  telemetryEvery: number;
  durationS?: number;
  /** Top-level configuration fields whose presence makes a gateway reject a desired document. */
  rejectConfigFields?: string[];
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

/** One simulated gateway across its connections: its boot, its backoff, its commands. */
interface GatewayState {
  bootId: string;
  /** Connections in a row that closed before `hello`: the backoff's exponent. */
  failures: number;
  /** It closed its socket for a gateway.reboot. */
  rebooting: boolean;
  /** The current connection's frame timers. */
  timers: NodeJS.Timeout[];
  commands?: GatewayCommands;
  config?: GatewayConfig;
}

/** Close codes after which a gateway does not reconnect (docs/gateway-protocol.md, "Close codes"): disabled, deleted, replaced. */
const FINAL_CLOSES = new Set([4403, 4404, 4409]);
/** A gateway.reboot: the socket closes (1000), and the gateway is back this much later with a new boot id. */
const REBOOT_MS = 1_000;
const BACKOFF_FIRST_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;

/**
 * Connects every gateway and streams frames until stop() is called. A gateway reconnects after
 * any close but a final one (with backoff and jitter: 1 s doubling to 60 s) and after its own
 * reboot; `sockets[i]` is gateway i's current socket. `log` gets one line per command handled
 * and one per configuration version received.
 */
export function stream(
  base: string,
  gateways: PairedGateway[],
  options: Pick<SimOptions, 'rate' | 'telemetryEvery' | 'rejectConfigFields'>,
  stats: SimStats,
  log: (m: string) => void = () => undefined,
) {
  const wsBase = base.replace(/^http/, 'ws');
  const sockets: WebSocket[] = [];
  let stopping = false;
  const reconnects = new Set<NodeJS.Timeout>();
  const states: GatewayState[] = [];
  const open = (gw: PairedGateway, index: number, state: GatewayState) => {
    const ws = new WebSocket(`${wsBase}/api/v1/gateways/${gw.id}/ws`, {
      headers: { Authorization: `Bearer ${gw.apiKey}` },
      perMessageDeflate: false,
    });
    sockets[index] = ws;
    const timers: NodeJS.Timeout[] = (state.timers = []);
    let frames = 0;
    let greeted = false;
    // On the gateway's current socket (these outlive this one), if it is open.
    const sendFrame = (event: string, data: unknown) => {
      const current = sockets[index];
      if (current.readyState === current.OPEN) current.send(JSON.stringify({ event, data }));
    };
    const commands = (state.commands ??= new GatewayCommands({
      send: sendFrame,
      reboot: () => {
        state.rebooting = true;
        sockets[index].close(1000, 'rebooting');
      },
      log: (line) => log(`gateway ${gw.id}: ${line}`),
    }));
    const config = (state.config ??= new GatewayConfig({ send: sendFrame, log: (line) => log(`gateway ${gw.id}: ${line}`) }, options.rejectConfigFields));
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
      else if (frame.event === 'command') commands.onCommand(frame.data);
      else if (frame.event === 'command_result_received') commands.onReceipt(frame.data);
      else if (frame.event === 'config') config.onConfig(frame.data);
      if (frame.event !== 'hello') return;
      greeted = true;
      state.failures = 0;
      stats.connected++;
      // The same boot id on every connection of one boot: only a reboot makes a new one.
      // config_version: the service sends configuration only when it is newer than this.
      const session = { boot_id: state.bootId, firmware: 'sim-1.0', capabilities: ['commands.v1', CONFIG_CAPABILITY], config_version: config.version };
      ws.send(JSON.stringify({ event: 'session', data: session }));
      commands.resendResults();
      config.resendReport();
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
      for (const t of timers) clearTimeout(t);
      stats.closes.set(code, (stats.closes.get(code) ?? 0) + 1);
      if (greeted) stats.connected--;
      if (stopping) return;
      let delayMs: number;
      if (state.rebooting) {
        state.rebooting = false;
        state.bootId = randomUUID();
        delayMs = REBOOT_MS;
      } else if (FINAL_CLOSES.has(code)) {
        log(`gateway ${gw.id}: closed with ${code}, not reconnecting`);
        return;
      } else {
        delayMs = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** state.failures++) * (0.5 + Math.random() / 2);
      }
      const timer = setTimeout(() => {
        reconnects.delete(timer);
        open(gw, index, state);
      }, delayMs);
      reconnects.add(timer);
    });
    ws.on('error', () => undefined);
  };
  // One boot of each simulated gateway per run of the simulator (a restart of it is a reboot), and one more per gateway.reboot.
  gateways.forEach((gw, i) => open(gw, i, (states[i] = { bootId: randomUUID(), failures: 0, rebooting: false, timers: [] })));
  return {
    sockets,
    stop: () => {
      stopping = true;
      for (const t of reconnects) clearTimeout(t);
      for (const state of states) for (const t of state.timers) clearTimeout(t);
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
      'reject-config-field': { type: 'string', multiple: true, default: [] },
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
    rejectConfigFields: values['reject-config-field']!,
    quiet: values.quiet!,
  };
  const fields = Object.keys(CONFIG_SCHEMA.properties);
  for (const f of options.rejectConfigFields!) {
    if (!fields.includes(f)) throw new Error(`--reject-config-field must be a top-level configuration field (${fields.join(', ')}), not ${JSON.stringify(f)}`);
  }
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
  const sim = stream(options.url, gateways, options, stats, log);
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
