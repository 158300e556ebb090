import { randomUUID } from 'node:crypto';
import { bearer, createKey, createSite } from './support/factories';
import { pairGateway } from './support/gateways';
import { ApiEvent, walkEvents } from './support/events';
import { createOrg, MANY_GATEWAYS_FAST_EVENTS, startTestApp, TestApp } from './support/test-app';
import { connectGateway, eventually, GatewaySocket } from './support/ws-client';

const types = (events: ApiEvent[]) => events.map((e) => e.type);
const CAPABILITIES = ['commands.v1', 'config.v1', 'credentials.v1'];

/** The `session` frame (v1.3): kept per gateway; a new boot id is a `gateway.rebooted` event. */
describe('gateway sessions (v1.3)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(MANY_GATEWAYS_FAST_EVENTS);
  });
  afterAll(async () => {
    await t?.close();
  });

  const eventsOf = async (gatewayId: string, key = t.adminKey) => (await walkEvents(t, { gateway_id: gatewayId }, key)).events;
  /** The gateway's events once they are these types (and stay so for a moment). */
  async function expectTypes(gatewayId: string, expected: string[]): Promise<ApiEvent[]> {
    await eventually(async () => (await eventsOf(gatewayId)).length >= expected.length, 8000, 50);
    await new Promise((r) => setTimeout(r, 400));
    const events = await eventsOf(gatewayId);
    expect(types(events)).toEqual(expected);
    return events;
  }
  const storedSession = async (gatewayId: string) =>
    (
      await t.dataSource.query(
        `SELECT boot_id, firmware, capabilities, config_version::int AS config_version, session_at IS NOT NULL AS has_time FROM gateway_telemetry WHERE gateway_id = $1`,
        [gatewayId],
      )
    )[0];

  async function connect(gw: { id: string; apiKey: string }): Promise<GatewaySocket> {
    const sock = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    expect((await sock.next()).event).toBe('hello');
    return sock;
  }
  /** The connection is lost (no close frame, so no offline transition) and the gateway connects again. */
  async function reconnect(sock: GatewaySocket, gw: { id: string; apiKey: string }): Promise<GatewaySocket> {
    sock.ws.terminate();
    await sock.closed;
    return connect(gw);
  }

  it('the first session records nothing, the same boot again nothing, a new boot id one gateway.rebooted', async () => {
    const gw = await pairGateway(t);
    const bootA = randomUUID();
    const bootB = randomUUID();
    let sock = await connect(gw);
    sock.send({ event: 'session', data: { boot_id: bootA, firmware: '2026.11.1', capabilities: CAPABILITIES, config_version: 3 } });
    // A session frame is a heartbeat too: the gateway goes online with it alone.
    await expectTypes(gw.id, ['gateway.registered', 'gateway.paired', 'gateway.online']);
    expect(await storedSession(gw.id)).toEqual({ boot_id: bootA, firmware: '2026.11.1', capabilities: CAPABILITIES, config_version: 3, has_time: true });

    // A reconnection of the same boot: nothing recorded.
    sock = await reconnect(sock, gw);
    sock.send({ event: 'session', data: { boot_id: bootA.toUpperCase(), firmware: '2026.11.1', capabilities: CAPABILITIES, config_version: 3 } });
    sock.send({ event: 'heartbeat', data: {} });
    await new Promise((r) => setTimeout(r, 500));
    await expectTypes(gw.id, ['gateway.registered', 'gateway.paired', 'gateway.online']);

    // A new boot: one event, with both boot ids and the new firmware; the session is replaced whole.
    sock = await reconnect(sock, gw);
    sock.send({ event: 'session', data: { boot_id: bootB, firmware: '2026.11.2', capabilities: ['commands.v1'] } });
    const events = await expectTypes(gw.id, ['gateway.registered', 'gateway.paired', 'gateway.online', 'gateway.rebooted']);
    expect(events[3]).toMatchObject({ gateway_id: gw.id, site_id: t.siteId, org_id: t.orgId, data: { boot_id: bootB, previous_boot_id: bootA, firmware: '2026.11.2' } });
    expect(await storedSession(gw.id)).toEqual({ boot_id: bootB, firmware: '2026.11.2', capabilities: ['commands.v1'], config_version: null, has_time: true });

    // Listed by type, and only for the org (and the sites) that may see the gateway.
    const listed = (await t.http().get('/api/v1/events?type=gateway.rebooted&limit=1000').set(bearer(t.adminKey)).expect(200)).body.data;
    expect(listed.map((e: ApiEvent) => e.id)).toContain(events[3].id);
    const other = await createOrg(t, 'Sessions other org');
    expect((await t.http().get('/api/v1/events?type=gateway.rebooted').set(bearer(other.api_key)).expect(200)).body.data).toEqual([]);
    const elsewhere = await createKey(t, 'viewer', [await createSite(t, 'Sessions elsewhere')]);
    expect(await eventsOf(gw.id, elsewhere.key)).toEqual([]);
    // Webhooks may subscribe to it.
    await t.http().post('/api/v1/webhooks').set(bearer(t.adminKey)).send({ url: 'https://hooks.example.com/novavms', event_types: ['gateway.rebooted'] }).expect(201);
    sock.ws.close(1000);
    await sock.closed;
  });

  it('a gateway that never sends a session works as before and has none', async () => {
    const gw = await pairGateway(t);
    const sock = await connect(gw);
    sock.send({ event: 'heartbeat', data: {} });
    await expectTypes(gw.id, ['gateway.registered', 'gateway.paired', 'gateway.online']);
    expect(await storedSession(gw.id)).toEqual({ boot_id: null, firmware: null, capabilities: null, config_version: null, has_time: false });
    sock.ws.close(1000);
    await sock.closed;
  });

  it.each([
    ['not an object', [], 'data'],
    ['no boot_id', { capabilities: [] }, 'boot_id'],
    ['a boot_id that is not a uuid', { boot_id: 'boot-1', capabilities: [] }, 'boot_id'],
    ['no capabilities', { boot_id: randomUUID() }, 'capabilities'],
    ['capabilities that are not a list', { boot_id: randomUUID(), capabilities: 'commands.v1' }, 'capabilities'],
    ['a capability that is not a name', { boot_id: randomUUID(), capabilities: ['Commands V1'] }, 'capabilities'],
    ['33 capabilities', { boot_id: randomUUID(), capabilities: Array.from({ length: 33 }, (_, i) => `cap${i}.v1`) }, 'capabilities'],
    ['an empty firmware', { boot_id: randomUUID(), capabilities: [], firmware: '' }, 'firmware'],
    ['a blank firmware', { boot_id: randomUUID(), capabilities: [], firmware: '   ' }, 'firmware'],
    ['a firmware of 129 characters', { boot_id: randomUUID(), capabilities: [], firmware: 'f'.repeat(129) }, 'firmware'],
    ['a negative config_version', { boot_id: randomUUID(), capabilities: [], config_version: -1 }, 'config_version'],
    ['a fractional config_version', { boot_id: randomUUID(), capabilities: [], config_version: 1.5 }, 'config_version'],
    ['an unknown field', { boot_id: randomUUID(), capabilities: [], extra: 1 }, 'extra'],
  ])('a session frame with %s is answered with an error frame and kept out', async (_name, data, field) => {
    const gw = await pairGateway(t);
    const sock = await connect(gw);
    sock.send({ event: 'session', data });
    const answer = await sock.next();
    expect(answer).toEqual({ event: 'error', data: { error: 'validation_error', message: 'Invalid session frame', details: expect.arrayContaining([expect.objectContaining({ field })]) } });
    // The connection stays open and a valid session still counts.
    const boot = randomUUID();
    sock.send({ event: 'session', data: { boot_id: boot, capabilities: [] } });
    await eventually(async () => (await storedSession(gw.id)).boot_id === boot, 5000);
    expect((await storedSession(gw.id)).capabilities).toEqual([]);
    sock.ws.close(1000);
    await sock.closed;
  });
});
