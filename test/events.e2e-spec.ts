import { Client } from 'pg';
import { bearer, createCamera, createKey, createSite } from './support/factories';
import { ISO_Z, sha256 } from './support/gateway-helpers';
import { pairGateway } from './support/gateways';
import { expectErrorBody, UUID_RE } from './support/http';
import { ApiEvent, iso, seedEvent, walkEvents } from './support/events';
import { createOrg, startTestApp, TestApp } from './support/test-app';
import { connectGateway, eventually, GatewaySocket } from './support/ws-client';

const CAMERA = '550e8400-e29b-41d4-a716-446655440000';

const types = (events: ApiEvent[]) => events.map((e) => e.type);

describe('gateway events (v1.2)', () => {
  let t: TestApp;
  let admin: { id: string; name: string };

  beforeAll(async () => {
    t = await startTestApp({
      PAIR_GUESS_LIMIT_PER_ADDRESS: '1000',
      PAIRING_MAX_ACTIVE_CODES: '1000',
      HEARTBEAT_INTERVAL_S: '1',
      OFFLINE_AFTER_S: '2',
      TELEMETRY_FLUSH_INTERVAL_MS: '100',
      LIVENESS_SWEEP_INTERVAL_MS: '200',
      EVENTS_SEQUENCE_INTERVAL_MS: '50',
      EVENTS_PURGE_INTERVAL_S: '1',
      EVENTS_PURGE_BATCH: '2',
    });
    [admin] = await t.dataSource.query('SELECT id, name FROM api_keys WHERE key_hash = $1', [sha256(t.adminKey)]);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function eventsOf(gatewayId: string): Promise<ApiEvent[]> {
    return (await walkEvents(t, { gateway_id: gatewayId })).events;
  }
  /** Waits until the gateway's events are exactly these types (and stay so for a moment). */
  async function expectTypes(gatewayId: string, expected: string[]): Promise<ApiEvent[]> {
    await eventually(async () => types(await eventsOf(gatewayId)).length >= expected.length, 8000, 50);
    await new Promise((r) => setTimeout(r, 300));
    const events = await eventsOf(gatewayId);
    expect(types(events)).toEqual(expected);
    return events;
  }
  async function statusOf(id: string): Promise<string> {
    return (await t.http().get(`/api/v1/gateways/${id}`).set(bearer(t.adminKey)).expect(200)).body.status;
  }
  async function online(sock: GatewaySocket, id: string): Promise<void> {
    sock.send({ event: 'heartbeat', data: {} });
    await eventually(async () => (await statusOf(id)) === 'online', 5000);
  }

  it('records every change exactly once, whatever made it: API, frames, the liveness sweep, plain SQL', async () => {
    const siteB = await createSite(t, 'Events B');
    const gw = await pairGateway(t);
    const actor = { key_id: admin.id, key_name: admin.name };
    let expected = ['gateway.registered', 'gateway.paired'];
    await expectTypes(gw.id, expected);

    // The first frame of a connection: online. A second connection replaces the first (4409):
    // a close by the service, no event.
    const first = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await first.next();
    await online(first, gw.id);
    const second = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await second.next();
    expect((await first.closed).code).toBe(4409);
    second.send({ event: 'heartbeat', data: {} });
    // Camera statuses: an event when one changes, none when a frame repeats it.
    second.send({ event: 'telemetry', data: { camera_recording_status: { [CAMERA]: 'recording' } } });
    await new Promise((r) => setTimeout(r, 300));
    second.send({ event: 'telemetry', data: { cpu_percent: 12, camera_recording_status: { [CAMERA]: 'recording' } } });
    await new Promise((r) => setTimeout(r, 300));
    second.send({ event: 'telemetry', data: { camera_recording_status: { [CAMERA]: 'idle' } } });
    expected = [...expected, 'gateway.online', 'camera.recording_status_changed', 'camera.recording_status_changed'];
    await expectTypes(gw.id, expected);

    // The gateway closes its socket itself: offline at once.
    second.ws.close();
    await second.closed;
    await eventually(async () => (await statusOf(gw.id)) === 'offline', 3000);
    expected = [...expected, 'gateway.offline'];
    await expectTypes(gw.id, expected);

    // Back online, then silent with the socket open: offline after OFFLINE_AFTER_S, by the sweep.
    const third = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    await third.next();
    await online(third, gw.id);
    await eventually(async () => (await statusOf(gw.id)) === 'offline', 6000, 100);
    third.ws.close();
    await third.closed;
    expected = [...expected, 'gateway.online', 'gateway.offline'];
    await expectTypes(gw.id, expected);

    // Through the API: rename and move in one request, disable, enable.
    await t.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).send({ name: 'Dock 7', site_id: siteB }).expect(200);
    await t.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).send({ status: 'disabled' }).expect(200);
    await t.http().patch(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).send({ status: 'offline' }).expect(200);
    // Plain SQL, behind the service's back.
    await t.dataSource.query(`UPDATE gateways SET status = 'disabled' WHERE id = $1`, [gw.id]);
    await t.dataSource.query(`UPDATE gateways SET status = 'offline' WHERE id = $1`, [gw.id]);
    await t.http().delete(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).expect(204);
    expected = [...expected, 'gateway.updated', 'gateway.disabled', 'gateway.enabled', 'gateway.disabled', 'gateway.enabled', 'gateway.deleted'];
    const events = await expectTypes(gw.id, expected);

    for (const [i, e] of events.entries()) {
      expect(e).toEqual({ id: expect.stringMatching(UUID_RE), seq: expect.any(Number), type: expected[i], occurred_at: expect.stringMatching(ISO_Z), org_id: t.orgId, site_id: expect.any(String), gateway_id: gw.id, data: expect.any(Object) });
      if (i > 0) expect(e.seq).toBeGreaterThan(events[i - 1].seq);
    }
    expect(events.map((e) => e.data)).toEqual([
      { status: 'registered', name: 'Gateway', actor },
      { previous_status: 'registered', reason: 'paired' },
      { previous_status: 'offline', reason: 'connected' },
      { camera_id: CAMERA, from: null, to: 'recording' },
      { camera_id: CAMERA, from: 'recording', to: 'idle' },
      { previous_status: 'online', reason: 'closed_by_gateway' },
      { previous_status: 'offline', reason: 'connected' },
      { previous_status: 'online', reason: 'heartbeat_timeout' },
      { changes: { name: { from: 'Gateway', to: 'Dock 7' }, site_id: { from: t.siteId, to: siteB } }, actor },
      { previous_status: 'offline', reason: 'user_request', actor },
      { previous_status: 'disabled', reason: 'user_request', actor },
      { previous_status: 'offline', reason: 'database_change' },
      { previous_status: 'disabled', reason: 'database_change' },
      { previous_status: 'offline', actor },
    ]);
    // The site is the gateway's when the event happened.
    expect(events.map((e) => e.site_id)).toEqual([...Array(8).fill(t.siteId), ...Array(6).fill(siteB)]);
  });

  it('a reader walking the cursor sees every event once while transactions commit out of order', async () => {
    const ids: string[] = (
      await t.dataSource.query(`INSERT INTO gateways (org_id, site_id, name) SELECT $1, $2, 'cursor ' || g FROM generate_series(1, 8) g RETURNING id`, [t.orgId, t.siteId])
    ).map((r: { id: string }) => r.id);
    const clients = await Promise.all(ids.map(async () => {
      const c = new Client({ connectionString: t.databaseUrl });
      await c.connect();
      return c;
    }));
    let { cursor } = await walkEvents(t, { type: 'gateway.updated' });
    const seen: ApiEvent[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const page = await walkEvents(t, { type: 'gateway.updated', limit: '3' }, t.adminKey, cursor);
        seen.push(...page.events);
        cursor = page.cursor;
      }
    })();
    const expectedNames: string[] = [];
    try {
      for (let round = 0; round < 6; round++) {
        // Each transaction writes its event in turn; they commit in the reverse order, apart.
        for (const [i, c] of clients.entries()) {
          await c.query('BEGIN');
          await c.query(`UPDATE gateways SET name = $2 WHERE id = $1`, [ids[i], `r${round} g${i}`]);
          expectedNames.push(`r${round} g${i}`);
        }
        for (const c of [...clients].reverse()) {
          await new Promise((r) => setTimeout(r, 20 + Math.random() * 60));
          await c.query('COMMIT');
        }
      }
      // A skipped event never arrives: wait a while, then say which are missing.
      await eventually(async () => seen.length >= expectedNames.length, 8000, 50).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      reading = false;
      await reader;
      await Promise.all(clients.map((c) => c.end()));
    }
    const seqs = seen.map((e) => e.seq);
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seen.map((e) => e.data.changes.name.to).sort()).toEqual([...expectedNames].sort());
  });

  it('shows an org only its own events, and a site-scoped key only its sites', async () => {
    const other = await createOrg(t, 'Events other org');
    const theirs = await pairGateway(t, other.site_id, other.api_key);
    const siteC = await createSite(t, 'Events C');
    const inC = await pairGateway(t, siteC);
    const mine = await pairGateway(t);
    const scoped = await createKey(t, 'viewer', [siteC]);
    await eventually(async () => (await walkEvents(t, { gateway_id: mine.id })).events.length === 2);

    const all = (await walkEvents(t)).events;
    expect(all.some((e) => e.gateway_id === theirs.id)).toBe(false);
    expect(all.every((e) => e.org_id === t.orgId)).toBe(true);
    expect((await walkEvents(t, { gateway_id: theirs.id })).events).toEqual([]);
    expect((await walkEvents(t, {}, other.api_key)).events.map((e) => e.gateway_id)).toEqual([theirs.id, theirs.id]);

    const scopedEvents = (await walkEvents(t, {}, scoped.key)).events;
    expect(scopedEvents.map((e) => e.gateway_id)).toEqual([inC.id, inC.id]);
    expect((await walkEvents(t, { site_id: t.siteId }, scoped.key)).events).toEqual([]);
    expect((await walkEvents(t, { gateway_id: mine.id }, scoped.key)).events).toEqual([]);

    // Availability and coverage of what the caller cannot see: 404, like the gateway itself.
    const theirCamera = await createCamera(t, other.site_id, null, other.api_key);
    const myCamera = await createCamera(t, t.siteId);
    for (const [path, key] of [
      [`/api/v1/gateways/${theirs.id}/availability`, t.adminKey],
      [`/api/v1/gateways/${mine.id}/availability`, scoped.key],
      [`/api/v1/cameras/${theirCamera}/recording-coverage`, t.adminKey],
      [`/api/v1/cameras/${myCamera}/recording-coverage`, scoped.key],
    ]) {
      expectErrorBody(await t.http().get(path).set(bearer(key)), 404, 'not_found');
    }
    await t.http().get(`/api/v1/gateways/${inC.id}/availability`).set(bearer(scoped.key)).expect(200);

    // An org deleted with its gateways takes its events along, and writes none while going.
    await t.dataSource.query('DELETE FROM orgs WHERE id = $1', [other.org_id]);
    expect(await t.dataSource.query('SELECT type FROM gateway_events WHERE org_id = $1', [other.org_id])).toEqual([]);
  });

  it('refuses malformed filters and ranges with 400 and the documented body', async () => {
    const gw = await pairGateway(t);
    const now = Math.floor(Date.now() / 1000);
    for (const query of ['type=gateway.exploded', 'type=gateway.online,', 'after=abc', 'after=-1', 'limit=0', 'limit=1001', 'since=yesterday', 'gateway_id=nope', 'site_id=1', 'offset=5']) {
      expectErrorBody(await t.http().get(`/api/v1/events?${query}`).set(bearer(t.adminKey)), 400, 'validation_error');
    }
    for (const query of [`from=${iso(now - 60)}&to=${iso(now - 120)}`, `from=${iso(now - 91 * 86400)}`, 'from=2026-13-01T00:00:00Z', 'to=noon']) {
      expectErrorBody(await t.http().get(`/api/v1/gateways/${gw.id}/availability?${query}`).set(bearer(t.adminKey)), 400, 'validation_error');
    }
    // A range reaching into the future ends now.
    const res = await t.http().get(`/api/v1/gateways/${gw.id}/availability?from=${iso(now - 10)}&to=${iso(now + 3600)}`).set(bearer(t.adminKey)).expect(200);
    expect(Date.parse(res.body.to) / 1000).toBeLessThanOrEqual(now + 5);
    expect(res.body.from).toBe(iso(now - 10));
  });

  it('purges events older than the retention in the background, keeping what gives the state at its start', async () => {
    const [{ id: gw }] = await t.dataSource.query(`INSERT INTO gateways (org_id, site_id, name, status) VALUES ($1, $2, 'old', 'offline') RETURNING id`, [t.orgId, t.siteId]);
    const deletedGateway = '0d0d0d0d-0000-4000-8000-000000000001';
    const camera = '0c0c0c0c-0000-4000-8000-000000000002';
    const now = Math.floor(Date.now() / 1000);
    const daysAgo = (d: number) => now - d * 86400;
    const seeded: [string, number, string, string?][] = [
      ['gateway.online', daysAgo(100), gw],
      ['gateway.offline', daysAgo(99), gw],
      ['gateway.updated', daysAgo(98), gw],
      ['camera.recording_status_changed', daysAgo(97), gw, camera],
      ['camera.recording_status_changed', daysAgo(96), gw, camera],
      ['gateway.online', daysAgo(1), gw],
      ['gateway.online', daysAgo(100), deletedGateway],
      ['gateway.offline', daysAgo(99), deletedGateway],
    ];
    for (const [type, at, gatewayId, cameraId] of seeded) await seedEvent(t, { type, at, gatewayId, cameraId, data: cameraId ? { camera_id: cameraId, to: 'idle' } : {} });
    const left = async () =>
      (await t.dataSource.query(`SELECT type, extract(epoch FROM occurred_at)::bigint AS at, gateway_id FROM gateway_events WHERE gateway_id = ANY($1::uuid[]) ORDER BY written`, [[gw, deletedGateway]]))
        .map((r: { type: string; at: string; gateway_id: string }) => `${r.gateway_id === gw ? 'gw' : 'deleted'} ${r.type} ${Math.round((now - Number(r.at)) / 86400)}`);
    // The purge runs every second, two rows a statement.
    await eventually(async () => (await left()).length === 4, 8000, 200);
    expect(await left()).toEqual(['gw gateway.registered 0', 'gw gateway.offline 99', 'gw camera.recording_status_changed 96', 'gw gateway.online 1']);
    // Kept rows give the state at the start of the retention, but are no longer listed.
    await eventually(async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM gateway_events WHERE seq IS NULL`))[0].n === 0);
    expect(types(await eventsOf(gw))).toEqual(['gateway.registered', 'gateway.online']);
    const res = await t.http().get(`/api/v1/gateways/${gw}/availability?from=${iso(daysAgo(89))}&to=${iso(daysAgo(88))}`).set(bearer(t.adminKey)).expect(200);
    expect(res.body).toMatchObject({ offline_seconds: 86400, online_seconds: 0, outages: [{ started_at: iso(daysAgo(89)), ended_at: null, duration_seconds: 86400 }] });
  });

  describe('availability and recording coverage, from known transitions', () => {
    let gw: string;
    let camera: string;
    let base: number;

    beforeAll(async () => {
      [{ id: gw }] = await t.dataSource.query(`INSERT INTO gateways (org_id, site_id, name, status) VALUES ($1, $2, 'seeded', 'online') RETURNING id`, [t.orgId, t.siteId]);
      await t.dataSource.query(`UPDATE gateway_telemetry SET last_heartbeat_at = now() + interval '1 day' WHERE gateway_id = $1`, [gw]);
      camera = await createCamera(t, t.siteId);
      base = Math.floor(Date.now() / 1000) - 10 * 3600;
      const at = (s: number) => base + s;
      for (const [type, s, reason] of [
        ['gateway.online', 0, 'connected'],
        ['gateway.offline', 3600, 'heartbeat_timeout'],
        ['gateway.online', 3700, 'connected'],
        ['gateway.disabled', 7200, 'user_request'],
        ['gateway.enabled', 7300, 'user_request'],
        ['gateway.online', 7400, 'connected'],
      ] as const) {
        await seedEvent(t, { type, at: at(s), gatewayId: gw, data: { reason } });
      }
      for (const [s, status] of [[1, 'recording'], [5000, 'idle'], [6000, 'error'], [6500, 'recording']] as const) {
        await seedEvent(t, { type: 'camera.recording_status_changed', at: at(s), gatewayId: gw, cameraId: camera, data: { camera_id: camera, to: status } });
      }
      await eventually(async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM gateway_events WHERE gateway_id = $1 AND seq IS NULL`, [gw]))[0].n === 0);
    });

    const get = async (path: string, from: number, to: number) =>
      (await t.http().get(`${path}?from=${iso(base + from)}&to=${iso(base + to)}`).set(bearer(t.adminKey)).expect(200)).body;

    it('adds up online, offline and disabled time to the second, with every outage', async () => {
      expect(await get(`/api/v1/gateways/${gw}/availability`, 1800, 9000)).toEqual({
        from: iso(base + 1800),
        to: iso(base + 9000),
        online_seconds: 1800 + 3500 + 1600,
        offline_seconds: 200,
        planned_seconds: 0,
        disabled_seconds: 100,
        uptime_percent: 97.183,
        outages: [
          { started_at: iso(base + 3600), ended_at: iso(base + 3700), duration_seconds: 100, reason: 'heartbeat_timeout' },
          { started_at: iso(base + 7300), ended_at: iso(base + 7400), duration_seconds: 100, reason: 'user_request' },
        ],
      });
    });

    it('counts an outage going on at the start of the range from the range start, and one still going at its end as open', async () => {
      const inside = await get(`/api/v1/gateways/${gw}/availability`, 3650, 3800);
      expect(inside).toMatchObject({ online_seconds: 100, offline_seconds: 50, disabled_seconds: 0, uptime_percent: 66.667 });
      expect(inside.outages).toEqual([{ started_at: iso(base + 3650), ended_at: iso(base + 3700), duration_seconds: 50, reason: 'heartbeat_timeout' }]);
      const open = await get(`/api/v1/gateways/${gw}/availability`, 3000, 3650);
      expect(open.outages).toEqual([{ started_at: iso(base + 3600), ended_at: null, duration_seconds: 50, reason: 'heartbeat_timeout' }]);
      // The same range gives the same figures.
      expect(await get(`/api/v1/gateways/${gw}/availability`, 3650, 3800)).toEqual(inside);
    });

    it('counts recording time only while the reporting gateway is online; the rest is unknown', async () => {
      expect(await get(`/api/v1/cameras/${camera}/recording-coverage`, 1800, 9000)).toEqual({
        from: iso(base + 1800),
        to: iso(base + 9000),
        recording_seconds: 1800 + 1300 + 700 + 1600,
        not_recording_seconds: 1000 + 500,
        unknown_seconds: 100 + 200,
        coverage_percent: 78.261,
        gaps: [
          { started_at: iso(base + 3600), ended_at: iso(base + 3700), status: 'unknown' },
          { started_at: iso(base + 5000), ended_at: iso(base + 6000), status: 'idle' },
          { started_at: iso(base + 6000), ended_at: iso(base + 6500), status: 'error' },
          { started_at: iso(base + 7200), ended_at: iso(base + 7400), status: 'unknown' },
        ],
      });
      // Before the camera's first report: unknown.
      const early = await get(`/api/v1/cameras/${camera}/recording-coverage`, -100, 1);
      expect(early).toMatchObject({ recording_seconds: 0, unknown_seconds: 101, coverage_percent: null });
    });
  });
});
