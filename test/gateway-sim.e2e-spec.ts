import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pairMany, SimStats, stream } from '../bench/gateway-sim';
import { bearer, createKey } from './support/factories';
import { generateCode } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';
import { eventually } from './support/ws-client';

describe('gateway simulator', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ HEARTBEAT_INTERVAL_S: '1', TELEMETRY_FLUSH_INTERVAL_MS: '100' });
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
      const telemetry = await t.http().get(`/api/v1/gateways/${gateways[0].id}/telemetry`).set(bearer(t.adminKey)).expect(200);
      expect(telemetry.body.cpu_percent).toEqual(expect.any(Number));
      expect(stats.errorFrames).toBe(0);
      expect(stats.connected).toBe(12);
    } finally {
      sim.stop();
    }
  });

  it('runs from the command line with a pairing code', async () => {
    const issued = await generateCode(t);
    const proc = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'bench/gateway-sim.ts', '--url', t.baseUrl, '--code', issued.pairing_code, '--rate', '5', '--duration', '2'],
      { cwd: resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => proc.on('exit', r));
    expect(code).toBe(0);
    expect(err).toContain(`paired gateway ${issued.id}`);
    const snapshot = await t.http().get(`/api/v1/gateways/${issued.id}/telemetry`).set(bearer(t.adminKey)).expect(200);
    expect(snapshot.body.memory_mb).toEqual(expect.any(Number));
  });
});
