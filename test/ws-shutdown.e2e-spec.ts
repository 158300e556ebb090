import { Client } from 'pg';
import { createTestDatabase, dropTestDatabase } from './support/test-db';
import { freePort } from '../src/database/embedded-postgres';
import { checkedFetch } from './support/checked-fetch';
import { spawnService, waitForExit, waitUntilReady } from './support/service-process';
import { closesWithin, connectGateway } from './support/ws-client';

const ADMIN_KEY = 'sk_live_shutdown_test_key_0123456789';

describe('SIGTERM with gateways connected', () => {
  let db: { url: string; name: string };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await dropTestDatabase(db.name);
  });

  it('closes every socket with 1001, flushes pending telemetry, and exits 0 within 10 s', async () => {
    // A flush interval far beyond the test: the telemetry can only reach the database through the shutdown flush.
    const service = spawnService({
      DATABASE_URL: db.url,
      NOVAVMS_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      TELEMETRY_FLUSH_INTERVAL_MS: '10000',
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    });
    await waitUntilReady(service);
    const auth = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };
    const sites = (await checkedFetch(`${service.baseUrl}/api/v1/sites`, { headers: auth })).body;
    const sockets = [];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const code = (
        await checkedFetch(`${service.baseUrl}/api/v1/gateways/generate-pairing-code`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ name: `gw ${i}`, site_id: sites.data[0].id }),
        })
      ).body;
      const paired = (
        await checkedFetch(`${service.baseUrl}/api/v1/gateways/pair`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ pairing_code: code.pairing_code }),
        })
      ).body;
      const sock = await connectGateway(service.baseUrl, paired.gateway_id, paired.api_key);
      await sock.next();
      sock.send({ event: 'telemetry', data: { cpu_percent: 10 + i } });
      sockets.push(sock);
      ids.push(paired.gateway_id);
    }
    // Let the frames reach the server before the signal.
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    service.child.kill('SIGTERM');
    for (const sock of sockets) expect((await closesWithin(sock.closed, 10_000)).code).toBe(1001);
    const exit = await waitForExit(service, 15_000);
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);

    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT g.id, t.cpu_percent, g.status FROM gateways g LEFT JOIN gateway_telemetry t ON t.gateway_id = g.id WHERE g.id = ANY($1::uuid[]) ORDER BY t.cpu_percent',
        [ids],
      );
      expect(rows.map((r) => r.cpu_percent)).toEqual([10, 11, 12]);
      // A close for shutdown is no offline transition (v1.2 presence: the gateways reconnect to
      // another instance): the shutdown flush made them online, and no offline event was written.
      expect(rows.every((r) => r.status === 'online')).toBe(true);
      const events = await client.query(`SELECT type FROM gateway_events WHERE gateway_id = ANY($1::uuid[]) ORDER BY written`, [ids]);
      expect(events.rows.filter((r) => r.type === 'gateway.offline')).toEqual([]);
      expect(events.rows.filter((r) => r.type === 'gateway.online')).toHaveLength(3);
    } finally {
      await client.end();
    }
    expect(exit.stdout).toMatch(/closing 3 gateway socket\(s\) for shutdown/);
  });
});

