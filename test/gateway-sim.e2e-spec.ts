import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, Server } from 'node:net';
import { resolve } from 'node:path';
import { pair, pairMany, SimStats, stream } from '../bench/gateway-sim';
import { GatewayCommands } from '../bench/lib/sim-commands';
import { GatewayConfig } from '../bench/lib/sim-config';
import { storedCapabilities } from './support/commands';
import { bearer, createKey } from './support/factories';
import { generateCode } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/ws-client';

const HEARTBEAT_INTERVAL_MS = 30_000;
const UNFINISHED = ['queued', 'sent', 'accepted'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `npm run gateway:sim -- ...`, with its stderr collected. */
function runSim(args: string[]): { proc: ChildProcessWithoutNullStreams; stderr: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bench/gateway-sim.ts', ...args], {
    cwd: resolve(__dirname, '..'),
    stdio: 'pipe',
  });
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) => proc.on('exit', r));
  return { proc, stderr: () => err, exited };
}

describe('gateway simulator', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A long heartbeat interval, as told in `hello`: a simulator that waits for it before its
    // first frame leaves a freshly paired gateway offline for the whole interval.
    t = await startTestApp({ HEARTBEAT_INTERVAL_S: String(HEARTBEAT_INTERVAL_MS / 1000), TELEMETRY_FLUSH_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('pairs N gateways with an operator key and streams frames that show up as telemetry', async () => {
    const operator = await createKey(t, 'operator');
    const gateways = await pairMany(t.baseUrl, operator.key, 12);
    expect(new Set(gateways.map((g) => g.id)).size).toBe(12);
    const stats: SimStats = { connected: 0, framesSent: 0, errorFrames: 0, closes: new Map() };
    const sim = stream(t.baseUrl, gateways, { rate: 5, telemetryEvery: 1 }, stats);
    try {
      await eventually(async () => {
        const res = await t.http().get('/api/v1/gateways?status=online').set(bearer(t.adminKey));
        return res.body.total === 12;
      }, 10_000);
      // Online from the session frame sent at hello; the telemetry follows within its period.
      const telemetry = await eventually(async () => {
        const res = await t.http().get(`/api/v1/gateways/${gateways[0].id}/telemetry`).set(bearer(t.adminKey)).expect(200);
        return res.body.cpu_percent !== null && res;
      }, 5000);
      expect(telemetry.body.cpu_percent).toEqual(expect.any(Number));
      expect(stats.errorFrames).toBe(0);
      expect(stats.connected).toBe(12);
    } finally {
      sim.stop();
    }
  });

  it('runs from the command line with a pairing code', async () => {
    const issued = await generateCode(t);
    const sim = runSim(['--url', t.baseUrl, '--code', issued.pairing_code, '--rate', '5', '--duration', '2']);
    expect(await sim.exited).toBe(0);
    expect(sim.stderr()).toContain(`paired gateway ${issued.id}`);
    const snapshot = await t.http().get(`/api/v1/gateways/${issued.id}/telemetry`).set(bearer(t.adminKey)).expect(200);
    expect(snapshot.body.memory_mb).toEqual(expect.any(Number));
  });

  it('shows one freshly paired gateway online, with telemetry, long before a heartbeat interval has passed', async () => {
    const issued = await generateCode(t);
    // No --rate: the simulator sends at the interval from `hello` (30 s here), as a new user runs it.
    const sim = runSim(['--url', t.baseUrl, '--code', issued.pairing_code]);
    try {
      await eventually(async () => sim.stderr().includes(`paired gateway ${issued.id}`), 20_000);
      const paired = Date.now();
      let seen: { status?: string; cpu_percent?: unknown } = {};
      await eventually(async () => {
        const gateway = await t.http().get(`/api/v1/gateways/${issued.id}`).set(bearer(t.adminKey)).expect(200);
        const telemetry = await t.http().get(`/api/v1/gateways/${issued.id}/telemetry`).set(bearer(t.adminKey)).expect(200);
        seen = { status: gateway.body.status, cpu_percent: telemetry.body.cpu_percent };
        return seen.status === 'online' && typeof seen.cpu_percent === 'number';
      }, HEARTBEAT_INTERVAL_MS / 3).catch(() => undefined);
      const waitedMs = Date.now() - paired;
      expect(seen).toEqual({ status: 'online', cpu_percent: expect.any(Number) });
      expect(waitedMs).toBeLessThan(HEARTBEAT_INTERVAL_MS / 3);
    } finally {
      sim.proc.kill('SIGTERM');
      await sim.exited;
    }
  });
  describe('remote commands (v1.3)', () => {
    /**
     * POST /gateways/{id}/commands, again while it is 409: the service knows the gateway takes
     * commands once the telemetry flush has stored its session's capabilities.
     */
    const postCommand = async (gatewayId: string, body: object) => {
      const until = Date.now() + 10_000;
      for (;;) {
        const res = await t.http().post(`/api/v1/gateways/${gatewayId}/commands`).set(bearer(t.adminKey)).send(body);
        if (res.status !== 409 || Date.now() > until) return res;
        await sleep(100);
      }
    };
    /** GET /commands/{id}?wait_s=10 until it is finished. */
    const finished = async (id: string) => {
      const until = Date.now() + 30_000;
      for (;;) {
        const res = await t.http().get(`/api/v1/commands/${id}?wait_s=10`).set(bearer(t.adminKey)).expect(200);
        if (!UNFINISHED.includes(res.body.status) || Date.now() > until) return res.body;
      }
    };
    const run = async (gatewayId: string, body: object) => {
      const created = await postCommand(gatewayId, body);
      expect({ status: created.status, body: created.body }).toEqual({ status: 201, body: expect.objectContaining({ type: (body as { type: string }).type }) });
      return finished(created.body.id);
    };

    let listener: Server;
    let port: number;
    let connections = 0;
    beforeAll(async () => {
      listener = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
      port = (listener.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((r) => listener?.close(r));
    });

    it('runs the commands it is sent from the command line: probes, discovery and a reboot with a new boot id', async () => {
      const issued = await generateCode(t);
      const sim = runSim(['--url', t.baseUrl, '--code', issued.pairing_code, '--rate', '1']);
      try {
        await eventually(async () => sim.stderr().includes(`paired gateway ${issued.id}`), 20_000);
        const before = connections;

        const probe = await run(issued.id, { type: 'network.probe', params: { host: '127.0.0.1', port } });
        expect(probe).toMatchObject({ status: 'succeeded', attempt: 1, result: { reachable: true, latency_ms: expect.any(Number) }, error: null });
        // One TCP connect: run once.
        expect(connections - before).toBe(1);

        const elsewhere = await run(issued.id, { type: 'network.probe', params: { host: '192.0.2.1', port: 554 } });
        expect(elsewhere).toMatchObject({ status: 'failed', result: null, error: { code: 'not_allowed', message: 'the simulator only probes 127.0.0.1' } });

        const discover = await run(issued.id, { type: 'cameras.discover', params: { timeout_s: 1 } });
        expect(discover.status).toBe('succeeded');
        expect(discover.result.devices.length).toBeGreaterThan(0);
        for (const device of discover.result.devices) {
          expect(device).toEqual({
            address: expect.stringMatching(/^192\.0\.2\.\d{1,3}$/),
            mac: expect.stringMatching(/^00:00:5e:00:53:[0-9a-f]{2}$/),
            manufacturer: expect.any(String),
            model: expect.any(String),
            onvif_xaddr: expect.any(String),
            camera_id: null,
          });
        }

        const reboot = await run(issued.id, { type: 'gateway.reboot' });
        expect(reboot).toMatchObject({ status: 'succeeded', error: null, result: { boot_id: expect.stringMatching(UUID), previous_boot_id: expect.stringMatching(UUID) } });
        expect(reboot.result.boot_id).not.toBe(reboot.result.previous_boot_id);

        // Back from the reboot, it takes commands again.
        const after = await run(issued.id, { type: 'network.probe', params: { host: 'localhost', port } });
        expect(after).toMatchObject({ status: 'succeeded', result: { reachable: true } });
        expect(connections - before).toBe(2);

        // One line per command handled: id, type, outcome.
        await eventually(async () => sim.stderr().includes(`command ${after.id} network.probe (attempt 1): succeeded`), 5000);
        const lines = sim.stderr();
        expect(lines).toContain(`gateway ${issued.id}: command ${probe.id} network.probe (attempt 1): succeeded {"reachable":true,`);
        expect(lines).toContain(`command ${elsewhere.id} network.probe (attempt 1): failed not_allowed: the simulator only probes 127.0.0.1`);
        expect(lines).toContain(`command ${discover.id} cameras.discover (attempt 1): succeeded, ${discover.result.devices.length} devices`);
        expect(lines).toContain(`command ${reboot.id} gateway.reboot (attempt 1): accepted, rebooting`);
      } finally {
        sim.proc.kill('SIGTERM');
        await sim.exited;
      }
    });

    it('does not run a command again when it is sent again after a reconnect, and keeps its boot id', async () => {
      const issued = await generateCode(t);
      const gw = await pair(t.baseUrl, issued.pairing_code);
      const lines: string[] = [];
      const stats: SimStats = { connected: 0, framesSent: 0, errorFrames: 0, closes: new Map() };
      const sim = stream(t.baseUrl, [gw], { rate: 1, telemetryEvery: 1 }, stats, (line) => lines.push(line));
      try {
        // Long enough to reconnect (within 1 s) before it ends.
        const created = await postCommand(gw.id, { type: 'cameras.discover', params: { timeout_s: 5 } });
        expect(created.status).toBe(201);
        await eventually(async () => (await t.http().get(`/api/v1/commands/${created.body.id}`).set(bearer(t.adminKey))).body.status === 'accepted', 5000);
        // A lost connection (no close frame) while it runs: the service sends it again on the next session.
        sim.sockets[0].terminate();
        const done = await finished(created.body.id);
        expect(done).toMatchObject({ status: 'succeeded', attempt: 2, result: { devices: expect.any(Array) } });
        expect(lines.filter((l) => l.includes(`command ${created.body.id}`))).toEqual([
          `gateway ${gw.id}: command ${created.body.id} cameras.discover (attempt 2): a duplicate, not run again; ack sent again`,
          `gateway ${gw.id}: command ${created.body.id} cameras.discover (attempt 1): succeeded, ${done.result.devices.length} devices`,
        ]);
        // The reconnection was not a reboot: a reboot now names the boot id of the first connection.
        const reboot = await finished((await postCommand(gw.id, { type: 'gateway.reboot' })).body.id);
        const [first] = await t.dataSource.query('SELECT sent_boot_id FROM gateway_commands WHERE id = $1', [created.body.id]);
        expect(reboot).toMatchObject({ status: 'succeeded', result: { previous_boot_id: first.sent_boot_id } });
        expect(reboot.result.boot_id).not.toBe(first.sent_boot_id);
        expect(stats.errorFrames).toBe(0);
      } finally {
        sim.stop();
      }
    });

    it('keeps a result until its receipt, sends it again after a reconnect, and answers a duplicate with its ack and result', async () => {
      const frames: { event: string; data: any }[] = [];
      const lines: string[] = [];
      let reboots = 0;
      const commands = new GatewayCommands({ send: (event, data) => frames.push({ event, data }), reboot: () => reboots++, log: (l) => lines.push(l) });
      const id = '0b7e2c1a-3d4f-4a5b-8c6d-7e8f9a0b1c2d';
      commands.onCommand({ id, type: 'network.probe', params: { host: '198.51.100.7', port: 80 }, attempt: 1, deadline: '2026-12-04T21:00:00Z' });
      await eventually(async () => frames.length === 2);
      const ack = { event: 'command_ack', data: { id, status: 'accepted' } };
      const result = { event: 'command_result', data: { id, status: 'failed', error: { code: 'not_allowed', message: 'the simulator only probes 127.0.0.1' } } };
      expect(frames).toEqual([ack, result]);

      commands.resendResults();
      expect(frames.slice(2)).toEqual([result]);
      commands.onCommand({ id, type: 'network.probe', params: { host: '198.51.100.7', port: 80 }, attempt: 2, deadline: '2026-12-04T21:00:00Z' });
      expect(frames.slice(3)).toEqual([ack, result]);
      commands.onReceipt({ id });
      commands.resendResults();
      expect(frames).toHaveLength(5);
      expect(lines).toEqual([
        `command ${id} network.probe (attempt 1): failed not_allowed: the simulator only probes 127.0.0.1`,
        `command ${id} network.probe (attempt 2): a duplicate, not run again; ack and result sent again`,
      ]);

      // gateway.reboot: acked, no result, rebooted once however often it is sent.
      const rebootId = '1c8f3d2b-4e5a-4b6c-9d7e-8f9a0b1c2d3e';
      for (const attempt of [1, 2]) commands.onCommand({ id: rebootId, type: 'gateway.reboot', params: {}, attempt, deadline: '2026-12-04T21:00:00Z' });
      expect(frames.slice(5)).toEqual([
        { event: 'command_ack', data: { id: rebootId, status: 'accepted' } },
        { event: 'command_ack', data: { id: rebootId, status: 'accepted' } },
      ]);
      expect(reboots).toBe(1);
    });
  });

  describe('configuration (v1.3)', () => {
    const configPath = (gatewayId: string) => `/api/v1/gateways/${gatewayId}/config`;
    const putConfig = (gatewayId: string, desired: object) => t.http().put(configPath(gatewayId)).set(bearer(t.adminKey)).send(desired);
    /** GET /gateways/{id}/config until `check` holds; its body. */
    const configReaches = (gatewayId: string, check: (c: any) => boolean, timeoutMs = 10_000) =>
      eventually(async () => {
        const res = await t.http().get(configPath(gatewayId)).set(bearer(t.adminKey)).expect(200);
        return check(res.body) && res.body;
      }, timeoutMs, 100);
    /** The service takes configuration for a gateway once the telemetry flush has stored its session declaring config.v1. */
    const configReady = (gatewayId: string) => eventually(async () => (await storedCapabilities(t, gatewayId))?.includes('config.v1'), 10_000, 50);
    /** The last session stored for the gateway: its boot id and config_version. */
    const storedSession = async (gatewayId: string): Promise<{ boot_id: string; config_version: number | null }> => {
      const [row] = await t.dataSource.query('SELECT boot_id, config_version FROM gateway_telemetry WHERE gateway_id = $1', [gatewayId]);
      return { boot_id: row?.boot_id, config_version: row?.config_version === null || row?.config_version === undefined ? null : Number(row.config_version) };
    };

    it('applies the configuration it is sent, reports it, and declares its version again after a reconnect and a reboot so it is not sent again', async () => {
      const issued = await generateCode(t);
      const gw = await pair(t.baseUrl, issued.pairing_code);
      const lines: string[] = [];
      const stats: SimStats = { connected: 0, framesSent: 0, errorFrames: 0, closes: new Map() };
      const sim = stream(t.baseUrl, [gw], { rate: 1, telemetryEvery: 1 }, stats, (line) => lines.push(line));
      const configLines = () => lines.filter((l) => l.includes(': config '));
      try {
        await configReady(gw.id);
        expect((await storedSession(gw.id)).config_version).toBe(0);

        const put = await putConfig(gw.id, { log_level: 'debug' });
        expect({ status: put.status, version: put.body.desired_version }).toEqual({ status: 200, version: 1 });
        const synced = await configReaches(gw.id, (c) => c.sync === 'in_sync' && c.applied_version === 1 && c.reported.log_level === 'debug');
        expect(synced).toMatchObject({ desired: { log_level: 'debug' }, desired_version: 1, reported: { log_level: 'debug' }, applied_version: 1, sync: 'in_sync', errors: [] });
        expect(configLines()).toEqual([`gateway ${gw.id}: config v1: applied {"log_level":"debug"}`]);

        // A lost connection (no close frame): the new session says config_version 1, so v1 is not sent again.
        const { boot_id: bootId } = await storedSession(gw.id);
        sim.sockets[0].terminate();
        await eventually(async () => stats.connected === 1 && (await storedSession(gw.id)).config_version === 1, 10_000, 50);
        expect((await storedSession(gw.id)).boot_id).toBe(bootId);
        // The next version reaches it on the same socket, after anything sent at its session.
        expect((await putConfig(gw.id, { log_level: 'warn' })).status).toBe(200);
        await configReaches(gw.id, (c) => c.sync === 'in_sync' && c.applied_version === 2);
        expect(configLines()).toEqual([
          `gateway ${gw.id}: config v1: applied {"log_level":"debug"}`,
          `gateway ${gw.id}: config v2: applied {"log_level":"warn"}`,
        ]);

        // A simulated reboot: a new boot id, the applied version kept.
        const reboot = await t.http().post(`/api/v1/gateways/${gw.id}/commands`).set(bearer(t.adminKey)).send({ type: 'gateway.reboot' });
        expect(reboot.status).toBe(201);
        await eventually(async () => {
          const session = await storedSession(gw.id);
          return session.boot_id !== bootId && session.config_version === 2;
        }, 15_000, 50);
        expect((await putConfig(gw.id, { log_level: 'error' })).status).toBe(200);
        const last = await configReaches(gw.id, (c) => c.sync === 'in_sync' && c.applied_version === 3);
        expect(last.reported).toEqual({ log_level: 'error' });
        expect(configLines()).toEqual([
          `gateway ${gw.id}: config v1: applied {"log_level":"debug"}`,
          `gateway ${gw.id}: config v2: applied {"log_level":"warn"}`,
          `gateway ${gw.id}: config v3: applied {"log_level":"error"}`,
        ]);
        // Every report fit the protocol: none was answered with an error frame.
        expect(stats.errorFrames).toBe(0);
      } finally {
        sim.stop();
      }
    });

    it('rejects a desired configuration holding a field named by --reject-config-field, and reports the configuration it still runs', async () => {
      const issued = await generateCode(t);
      const sim = runSim(['--url', t.baseUrl, '--code', issued.pairing_code, '--rate', '1', '--reject-config-field', 'retention_days']);
      try {
        await eventually(async () => sim.stderr().includes(`paired gateway ${issued.id}`), 20_000);
        await configReady(issued.id);

        expect((await putConfig(issued.id, { log_level: 'info', retention_days: 30 })).status).toBe(200);
        const rejected = await configReaches(issued.id, (c) => c.sync === 'rejected');
        expect(rejected).toMatchObject({
          desired_version: 1,
          applied_version: null,
          reported: {},
          sync: 'rejected',
          errors: [{ path: 'retention_days', message: 'not supported by this simulator' }],
        });

        // Without the field it applies; with it again it still runs (and reports) the last one it applied.
        expect((await putConfig(issued.id, { log_level: 'info' })).status).toBe(200);
        await configReaches(issued.id, (c) => c.sync === 'in_sync' && c.applied_version === 2);
        expect((await putConfig(issued.id, { log_level: 'debug', retention_days: 7 })).status).toBe(200);
        const again = await configReaches(issued.id, (c) => c.sync === 'rejected' && c.desired_version === 3);
        expect(again).toMatchObject({ applied_version: 2, reported: { log_level: 'info' }, errors: [{ path: 'retention_days', message: 'not supported by this simulator' }] });

        await eventually(async () => sim.stderr().includes('config v3: rejected'), 5000);
        const lines = sim.stderr();
        expect(lines).toContain(`gateway ${issued.id}: config v1: rejected, retention_days not supported by this simulator; still running v0`);
        expect(lines).toContain(`gateway ${issued.id}: config v2: applied {"log_level":"info"}`);
        expect(lines).toContain(`gateway ${issued.id}: config v3: rejected, retention_days not supported by this simulator; still running v2`);
      } finally {
        sim.proc.kill('SIGTERM');
        await sim.exited;
      }
    });

    it('refuses a --reject-config-field that is not a configuration field', async () => {
      const sim = runSim(['--url', t.baseUrl, '--code', 'AAAAAA', '--reject-config-field', 'retention']);
      expect(await sim.exited).toBe(2);
      expect(sim.stderr()).toContain('--reject-config-field must be a top-level configuration field');
    });

    it('ignores a version older than the applied one, reports the applied one again, and its latest report after a session', () => {
      const frames: { event: string; data: any }[] = [];
      const lines: string[] = [];
      const config = new GatewayConfig({ send: (event, data) => frames.push({ event, data }), log: (l) => lines.push(l) }, ['ntp_servers']);
      expect(config.version).toBe(0);
      config.resendReport();
      expect(frames).toEqual([]);

      config.onConfig({ version: 4, desired: { log_level: 'warn' } });
      const applied = { event: 'config_report', data: { version: 4, status: 'applied', reported: { log_level: 'warn' }, errors: [] } };
      expect(frames).toEqual([applied]);
      expect(config.version).toBe(4);
      config.onConfig({ version: 4, desired: { log_level: 'warn' } });
      config.onConfig({ version: 3, desired: { log_level: 'debug' } });
      expect(frames).toEqual([applied, applied]);

      config.onConfig({ version: 5, desired: { log_level: 'debug', ntp_servers: ['pool.ntp.org'] } });
      const rejected = { event: 'config_report', data: { version: 5, status: 'rejected', reported: { log_level: 'warn' }, errors: [{ path: 'ntp_servers', message: 'not supported by this simulator' }] } };
      expect(frames.slice(2)).toEqual([rejected]);
      expect(config.version).toBe(4);
      config.resendReport();
      expect(frames.slice(3)).toEqual([rejected]);
      expect(lines).toEqual([
        'config v4: applied {"log_level":"warn"}',
        'config v4: already applied, reported again',
        'config v3: older than the applied v4, ignored',
        'config v5: rejected, ntp_servers not supported by this simulator; still running v4',
      ]);
    });
  });
});
