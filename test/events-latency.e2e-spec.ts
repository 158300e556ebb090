import { PairedGateway, seedPairedGateways } from '../bench/lib/seed';
import { bearer } from './support/factories';
import { SimGateway, sleep } from './support/sim-fleet';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const GATEWAYS = 200;
const RENAMES = 100;

/**
 * docs/events.md: an event is listed by GET /api/v1/events within 1 s of its change's commit.
 * Held here at the default sequencer and flush intervals, with 200 gateways streaming telemetry
 * (about 800 frames/s) and connecting and closing meanwhile: a client renames a gateway, and
 * from the PATCH's answer polls the event list with its cursor until the rename is there.
 */
describe('events are listed within 1 s of their change, under load', () => {
  let t: TestApp;
  let fleet: PairedGateway[];

  beforeAll(async () => {
    t = await startTestApp({ WS_MAX_FRAMES_PER_S: '100', WS_FRAME_BURST: '100' });
    fleet = await seedPairedGateways(t.databaseUrl, { orgId: t.orgId, siteId: t.siteId }, GATEWAYS);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('p99 under 1 s from the PATCH answer to the event in the list', async () => {
    const streaming = fleet.slice(0, GATEWAYS - 20).map((g) => new SimGateway(g.id, g.apiKey, [t.baseUrl], 0, { everyMs: 250, reconnect: false }));
    await Promise.all(streaming.map((g) => g.connect()));
    streaming.forEach((g) => g.startSending());
    // The last 20 connect, send a frame and close (online, then offline) in a loop.
    let churning = true;
    const churn = Promise.all(
      fleet.slice(GATEWAYS - 20).map(async (g) => {
        while (churning) {
          const sim = new SimGateway(g.id, g.apiKey, [t.baseUrl], 0, { everyMs: 250, reconnect: false });
          await sim.connect();
          sim.send();
          await sleep(100);
          sim.stop();
          await sleep(100);
        }
      }),
    );
    const lags: number[] = [];
    try {
      let cursor = (await t.http().get('/api/v1/events?limit=1000').set(bearer(t.adminKey)).expect(200)).body.next_cursor as string;
      for (let i = 0; i < RENAMES; i++) {
        const target = fleet[i % 20];
        const name = `renamed ${i}`;
        await t.http().patch(`/api/v1/gateways/${target.id}`).set(bearer(t.adminKey)).send({ name }).expect(200);
        const answered = Date.now();
        for (let seen = false; !seen; ) {
          const page = (await t.http().get(`/api/v1/events?limit=1000&after=${cursor}`).set(bearer(t.adminKey)).expect(200)).body;
          cursor = page.next_cursor;
          seen = page.data.some((e: { type: string; gateway_id: string; data: { changes?: { name?: { to: string } } } }) => e.type === 'gateway.updated' && e.gateway_id === target.id && e.data.changes?.name?.to === name);
          if (!seen && Date.now() - answered > 5000) throw new Error(`rename ${i} not listed after 5 s`);
          if (!seen) await sleep(20);
        }
        lags.push(Date.now() - answered);
      }
    } finally {
      churning = false;
      await churn;
      streaming.forEach((g) => g.stop());
    }
    const sorted = [...lags].sort((x, y) => x - y);
    const p99 = sorted[Math.ceil(sorted.length * 0.99) - 1];
    process.stderr.write(`events listed after a PATCH: p50 ${sorted[sorted.length >> 1]} ms, p99 ${p99} ms, max ${sorted.at(-1)} ms\n`);
    expect(p99).toBeLessThan(1000);
  });
});
