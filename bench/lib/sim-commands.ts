/**
 * Remote commands (v1.3) as the gateway simulator (bench/gateway-sim.ts) runs them, exactly once:
 * - A `command` frame is acked and run once per id. The same id again (the service sends what
 *   it has not seen finished again after a reconnect, `attempt` + 1) is not run again: its ack
 *   is sent again, and its result if it has one.
 * - A result is kept until the service answers `command_result_received`, and sent again after
 *   every reconnect until then (resendResults).
 * The simulator's memory stands for a gateway's disk: what it handled survives its reconnects
 * and its simulated reboots.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface CommandFrame {
  id: string;
  type: string;
  params: Record<string, unknown>;
  attempt: number;
  deadline: string;
}

interface Ack {
  id: string;
  status: 'accepted' | 'rejected';
  reason?: string;
}

interface Result {
  id: string;
  status: 'succeeded' | 'failed';
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/** What the commands of one simulated gateway need from it. */
export interface CommandIo {
  /** Sends a frame on the gateway's socket if it is open (else it is dropped: see resendResults). */
  send(event: string, data: unknown): void;
  /** gateway.reboot, once acked: close the socket (1000), come back ~1 s later with a new boot id. */
  reboot(): void;
  /** One line per command handled. */
  log(line: string): void;
}

/** Hosts network.probe connects to; any other is refused without a connection. */
const PROBE_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
const PROBE_TIMEOUT_MS = 5_000;
/** Commands remembered for the dedupe (the service keeps at most 16 unfinished per gateway). */
const MAX_REMEMBERED = 1_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** A TCP connect; `localhost` is tried as 127.0.0.1, then ::1, so no name lookup can lead elsewhere. */
async function probe(host: string, port: number): Promise<{ reachable: boolean; latency_ms: number | null }> {
  for (const address of host === 'localhost' ? ['127.0.0.1', '::1'] : [host]) {
    const started = performance.now();
    const reachable = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: address, port });
      const done = (ok: boolean) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
    if (reachable) return { reachable, latency_ms: Math.round((performance.now() - started) * 100) / 100 };
  }
  return { reachable: false, latency_ms: null };
}

/** A few made-up cameras, on the documentation network (RFC 5737) with documentation MACs (RFC 7042). */
export const DISCOVERED_DEVICES = [51, 52, 53].map((n, i) => ({
  address: `192.0.2.${n}`,
  mac: `00:00:5e:00:53:${n}`,
  manufacturer: 'Simulated',
  model: ['SIM-CAM-100', 'SIM-CAM-200', 'SIM-DOME-300'][i],
  onvif_xaddr: `http://192.0.2.${n}/onvif/device_service`,
  camera_id: null,
}));

/** Runs one command (not gateway.reboot, which is the simulator's own): its result frame without the id. */
async function run(type: string, params: Record<string, unknown>): Promise<Omit<Result, 'id'>> {
  switch (type) {
    case 'gateway.restart_service':
      await sleep(200);
      return { status: 'succeeded' };
    case 'camera.reboot':
      await sleep(500);
      return { status: 'succeeded' };
    case 'cameras.discover':
      // Listens as long as asked, as a real gateway does.
      await sleep((typeof params.timeout_s === 'number' ? params.timeout_s : 10) * 1000);
      return { status: 'succeeded', result: { devices: DISCOVERED_DEVICES } };
    case 'network.probe': {
      const host = String(params.host).toLowerCase();
      if (!PROBE_HOSTS.has(host)) return { status: 'failed', error: { code: 'not_allowed', message: 'the simulator only probes 127.0.0.1' } };
      return { status: 'succeeded', result: await probe(host, Number(params.port)) };
    }
    default:
      return { status: 'failed', error: { code: 'unsupported', message: `the simulator does not run ${type}` } };
  }
}

function outcome(result: Result): string {
  if (result.status === 'failed') return `failed ${result.error?.code}: ${result.error?.message}`;
  if (Array.isArray(result.result?.devices)) return `succeeded, ${result.result.devices.length} devices`;
  return result.result ? `succeeded ${JSON.stringify(result.result)}` : 'succeeded';
}

const isCommandFrame = (d: unknown): d is CommandFrame =>
  typeof d === 'object' && d !== null && typeof (d as CommandFrame).id === 'string' && typeof (d as CommandFrame).type === 'string';

const KNOWN_TYPES = ['gateway.reboot', 'gateway.restart_service', 'camera.reboot', 'cameras.discover', 'network.probe'];

/** running → (result sent) unconfirmed → (receipt) settled; a reboot or a rejection is settled at its ack. */
interface Handled {
  ack: Ack;
  result?: Result;
  state: 'running' | 'unconfirmed' | 'settled';
}

/** The commands of one simulated gateway, across its connections and reboots. */
export class GatewayCommands {
  private readonly handled = new Map<string, Handled>();

  constructor(private readonly io: CommandIo) {}

  onCommand(data: unknown): void {
    if (!isCommandFrame(data)) return;
    const { id, type, attempt } = data;
    const what = `command ${id} ${type} (attempt ${attempt})`;
    const seen = this.handled.get(id);
    if (seen) {
      this.io.send('command_ack', seen.ack);
      if (seen.result) this.io.send('command_result', seen.result);
      this.io.log(`${what}: a duplicate, not run again; ack${seen.result ? ' and result' : ''} sent again`);
      return;
    }
    if (!KNOWN_TYPES.includes(type)) {
      this.remember(id, { ack: { id, status: 'rejected', reason: `unknown command type ${type}` }, state: 'settled' });
      this.io.send('command_ack', this.handled.get(id)!.ack);
      this.io.log(`${what}: rejected, unknown type`);
      return;
    }
    const entry: Handled = { ack: { id, status: 'accepted' }, state: 'running' };
    this.remember(id, entry);
    this.io.send('command_ack', entry.ack);
    if (type === 'gateway.reboot') {
      // No result: the service sees the new boot id in the next session.
      entry.state = 'settled';
      this.io.log(`${what}: accepted, rebooting`);
      this.io.reboot();
      return;
    }
    void run(type, data.params ?? {}).then((r) => {
      entry.result = { id, ...r };
      entry.state = 'unconfirmed';
      this.io.send('command_result', entry.result);
      this.io.log(`${what}: ${outcome(entry.result)}`);
    });
  }

  /** `command_result_received`: the result is committed, and is no longer sent after a reconnect. */
  onReceipt(data: unknown): void {
    const id = (data as { id?: unknown } | null)?.id;
    const entry = typeof id === 'string' ? this.handled.get(id) : undefined;
    if (entry?.state === 'unconfirmed') entry.state = 'settled';
  }

  /** After a reconnect: every result the service has not confirmed, again. */
  resendResults(): void {
    for (const entry of this.handled.values()) if (entry.state === 'unconfirmed') this.io.send('command_result', entry.result);
  }

  private remember(id: string, entry: Handled): void {
    this.handled.set(id, entry);
    if (this.handled.size <= MAX_REMEMBERED) return;
    // Forget the oldest settled one: one running, or whose result is not confirmed, is kept.
    for (const [old, e] of this.handled) {
      if (e.state === 'settled') {
        this.handled.delete(old);
        return;
      }
    }
  }
}
