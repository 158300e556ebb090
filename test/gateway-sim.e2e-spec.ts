import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pairMany, SimStats, stream } from '../bench/gateway-sim';
import { bearer, createKey } from './support/factories';
import { generateCode } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/ws-client';

const HEARTBEAT_INTERVAL_MS = 30_000;

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
});
