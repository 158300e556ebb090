import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import WebSocket from 'ws';
import { seedPairedGateways } from '../../bench/lib/seed';
import { expectRunning, FAST_INTERVALS, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { waitForExit } from '../support/service-process';
import { sleep } from '../support/sim-fleet';
import { eventually } from '../support/ws-client';

jest.setTimeout(300_000);

const FLEET = 1000;

/** A gateway that applies every configuration it is sent at once, and remembers what it applied across reconnects. */
class ConfigGateway {
  applied = 0;
  /** Sent a version older than one it had applied. */
  older = 0;
  /** Sent the version it had applied again. */
  repeated = 0;
  private ws?: WebSocket;
  private stopped = false;
  private readonly bootId = randomUUID();

  constructor(
    readonly id: string,
    private readonly key: string,
    private readonly fallbackUrl: () => string,
  ) {}

  connect(url: string): Promise<void> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/gateways/${this.id}/ws`, { headers: { Authorization: `Bearer ${this.key}` }, perMessageDeflate: false });
    this.ws = ws;
    return new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        reject(new Error(`upgrade refused: ${res.statusCode}`));
      });
      ws.on('error', reject);
      ws.on('message', (raw) => {
        const { event, data } = JSON.parse(raw.toString()) as { event: string; data: any };
        if (event === 'hello') {
          ws.send(JSON.stringify({ event: 'session', data: { boot_id: this.bootId, capabilities: ['config.v1'], config_version: this.applied } }));
          ws.send('{"event":"heartbeat","data":{}}');
          resolve();
        } else if (event === 'config') {
          if (data.version < this.applied) this.older++;
          else if (data.version === this.applied) this.repeated++;
          else {
            this.applied = data.version;
            ws.send(JSON.stringify({ event: 'config_report', data: { version: data.version, status: 'applied', reported: data.desired } }));
          }
        }
      });
      ws.on('close', () => {
        if (this.ws === ws && !this.stopped) void this.reconnect();
      });
    });
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      await sleep(100 + Math.random() * 400 * Math.min(attempt + 1, 4));
      try {
        return await this.connect(this.fallbackUrl());
      } catch {
        // the instance is busy or gone: again
      }
    }
  }

  beat(): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send('{"event":"heartbeat","data":{}}');
  }

  stop(): void {
    this.stopped = true;
    this.ws?.terminate();
  }
}

/**
 * 1,000 gateways, a configuration change to every one of them while the instance holding half
 * of their sockets restarts, then another: every gateway ends in_sync at the latest version,
 * and none was ever sent a version older than (or the same as) one it had applied.
 */
describe('a configuration change to a fleet while an instance restarts', () => {
  let cluster: OwnCluster;
  const adminKey = newAdminKey();
  const instances: Instance[] = [];
  let fleet: ConfigGateway[] = [];
  let beats: NodeJS.Timeout | undefined;

  const put = (instance: Instance, id: string, body: unknown) =>
    fetch(`${instance.baseUrl}/api/v1/gateways/${id}/config`, { method: 'PUT', headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  /** Writes `body` to every gateway through `instance`, 25 at a time, retrying a 503; returns when all are written. */
  async function writeAll(instance: () => Instance, body: unknown, onProgress?: (done: number) => void): Promise<void> {
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 25 }, async () => {
        while (next < fleet.length) {
          const gw = fleet[next++];
          for (;;) {
            const res = await put(instance(), gw.id, body).catch(() => undefined);
            if (res?.status === 200) break;
            if (res && res.status !== 503) throw new Error(`PUT answered ${res.status}: ${await res.text()}`);
            await sleep(100);
          }
          onProgress?.(++done);
        }
      }),
    );
  }

  async function count(sql: string): Promise<number> {
    const client = new Client({ connectionString: cluster.databaseUrl });
    await client.connect();
    try {
      return (await client.query<{ n: number }>(sql)).rows[0].n;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    cluster = await startOwnCluster();
    instances.push(await startInstance('A', cluster.databaseUrl, adminKey, FAST_INTERVALS));
    instances.push(await startInstance('B', cluster.databaseUrl, adminKey, FAST_INTERVALS));
    const client = new Client({ connectionString: cluster.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ org_id: string; site_id: string }>('SELECT org_id, id AS site_id FROM sites LIMIT 1');
    await client.end();
    const seeded = await seedPairedGateways(cluster.databaseUrl, { orgId: rows[0].org_id, siteId: rows[0].site_id }, FLEET);
    const b = instances[1];
    fleet = seeded.map((g) => new ConfigGateway(g.id, g.apiKey, () => b.baseUrl));
    await Promise.all(fleet.map((g, i) => g.connect(instances[i % 2].baseUrl)));
    beats = setInterval(() => fleet.forEach((g) => g.beat()), 700);
    await eventually(async () => (await count(`SELECT count(*)::int AS n FROM gateway_telemetry WHERE 'config.v1' = ANY(capabilities)`)) === FLEET, 30_000, 250);
  });

  afterAll(async () => {
    clearInterval(beats);
    fleet.forEach((g) => g.stop());
    await killAll(instances);
    await cluster?.destroy();
  });

  it('ends with every gateway in_sync at the latest version, none sent an older one', async () => {
    const [a, b] = instances;
    // Version 1 to all; a fifth of the way in, A stops (its gateways move to B), then starts again.
    let restart: Promise<void> | undefined;
    await writeAll(
      () => b,
      { log_level: 'debug', retention_days: 30 },
      (done) => {
        if (done !== FLEET / 5) return;
        restart = (async () => {
          a.service.child.kill('SIGTERM');
          await waitForExit(a.service);
          instances.push(await startInstance('A again', cluster.databaseUrl, adminKey, FAST_INTERVALS));
        })();
      },
    );
    await restart;
    const again = instances[2];
    // Version 2 to all, through the restarted instance.
    await writeAll(() => again, { log_level: 'info', retention_days: 31 });

    await eventually(
      async () => (await count(`SELECT count(*)::int AS n FROM gateway_configs WHERE desired_version = 2 AND applied_version = 2`)) === FLEET,
      60_000,
      500,
    );
    expect(fleet.filter((g) => g.applied !== 2).length).toBe(0);
    expect(fleet.reduce((n, g) => n + g.older, 0)).toBe(0);
    expect(fleet.reduce((n, g) => n + g.repeated, 0)).toBe(0);
    // As an operator reads it.
    for (const g of fleet.slice(0, 20)) {
      const body = (await (await fetch(`${b.baseUrl}/api/v1/gateways/${g.id}/config`, { headers: { Authorization: `Bearer ${adminKey}` } })).json()) as any;
      expect(body).toMatchObject({ desired_version: 2, applied_version: 2, sync: 'in_sync', reported: { log_level: 'info', retention_days: 31 } });
    }
    expectRunning(b);
    expectRunning(again);
  });
});
