import { Webhook as StandardWebhook } from 'standardwebhooks';
import { verifyWebhook } from '../sdk';
import { bearer, createKey, createSite } from './support/factories';
import { generateCode } from './support/gateways';
import { expectErrorBody } from './support/http';
import { createOrg, startTestApp, TestApp } from './support/test-app';
import { Receiver, startReceiver } from './support/webhook-receiver';
import { cancelCommand, commandGateway, expectFrame, postCommand } from './support/commands';
import { eventually } from './support/ws-client';

const SCHEDULE_S = [1, 2, 3];
const TIMEOUT_MS = 1000;

describe('webhooks (v1.2)', () => {
  let t: TestApp;
  let rx: Receiver;

  beforeAll(async () => {
    rx = await startReceiver();
    t = await startTestApp({
      PAIRING_MAX_ACTIVE_CODES: '1000',
      EVENTS_SEQUENCE_INTERVAL_MS: '50',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_RETRY_SCHEDULE_S: SCHEDULE_S.join(','),
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  async function createHook(path: string, body: Record<string, unknown> = {}, key = t.adminKey): Promise<{ id: string; secret: string }> {
    const res = await t.http().post('/api/v1/webhooks').set(bearer(key)).send({ url: rx.url(path), event_types: ['gateway.registered'], ...body });
    if (res.status !== 201) throw new Error(`create webhook: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  async function deliveries(id: string): Promise<any[]> {
    return (await t.http().get(`/api/v1/webhooks/${id}/deliveries?limit=1000`).set(bearer(t.adminKey)).expect(200)).body.data;
  }
  const eventOf = (r: { body: string }) => JSON.parse(r.body);

  it('delivers each event signed per Standard Webhooks, verified by an independent implementation', async () => {
    const hook = await createHook('/signed');
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const issued = await generateCode(t);
    const [got] = await eventually(async () => (rx.at('/signed').length ? rx.at('/signed') : undefined), 5000);
    const verified = new StandardWebhook(hook.secret).verify(got.body, got.headers as Record<string, string>) as any;
    expect(verified).toMatchObject({ type: 'gateway.registered', gateway_id: issued.id, org_id: t.orgId, site_id: t.siteId, seq: expect.any(Number) });
    expect(got.headers['webhook-id']).toBe(verified.id);
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    // The same event as the log shows it.
    const listed = (await t.http().get(`/api/v1/events?gateway_id=${issued.id}`).set(bearer(t.adminKey)).expect(200)).body.data[0];
    expect(verified).toEqual(listed);
    // The SDK's helper agrees, and refuses a tampered body or another secret.
    expect(verifyWebhook(got.body, got.headers, hook.secret)).toEqual(listed);
    expect(() => verifyWebhook(got.body.replace('registered', 'deleted'), got.headers, hook.secret)).toThrow();
    expect(() => new StandardWebhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(got.body, got.headers as Record<string, string>)).toThrow();
    await eventually(async () => (await deliveries(hook.id))[0]?.status === 'succeeded');
    expect(await deliveries(hook.id)).toEqual([
      {
        id: expect.any(String), event_id: verified.id, event_type: 'gateway.registered', attempt: 1, status: 'succeeded',
        response_status: 200, error: null, duration_ms: expect.any(Number), attempted_at: expect.any(String), next_attempt_at: null,
      },
    ]);
  });

  it('delivers command outcomes (v1.3): command.succeeded and command.canceled, signed like every event', async () => {
    const hook = await createHook('/commands', { event_types: ['command.succeeded', 'command.canceled'] });
    const { gw, sock } = await commandGateway(t);
    const done = (await postCommand(t, gw.id, { type: 'network.probe', params: { host: '192.168.10.31', port: 554 } }).expect(201)).body;
    await expectFrame(sock, 'command');
    sock.send({ event: 'command_result', data: { id: done.id, status: 'succeeded', result: { reachable: true, latency_ms: 2 } } });
    await expectFrame(sock, 'command_result_received');
    sock.ws.close();
    await sock.closed;
    const queued = (await postCommand(t, gw.id, { type: 'gateway.restart_service' }).expect(201)).body;
    await cancelCommand(t, queued.id).expect(200);

    const got = await eventually(async () => (rx.at('/commands').length >= 2 ? rx.at('/commands') : undefined), 8000);
    const events = got.map((r) => new StandardWebhook(hook.secret).verify(r.body, r.headers as Record<string, string>) as any);
    expect(events.map((e) => [e.type, e.data.command_id]).sort()).toEqual(
      [
        ['command.canceled', queued.id],
        ['command.succeeded', done.id],
      ].sort(),
    );
    expect(events.find((e) => e.type === 'command.canceled').data).toMatchObject({ type: 'gateway.restart_service', status: 'canceled', actor: { key_id: expect.any(String) } });
    expect(events.every((e) => e.gateway_id === gw.id && e.org_id === t.orgId)).toBe(true);
  });

  it('during a rotation both secrets sign for 24 h', async () => {
    const hook = await createHook('/rotating');
    const rotated = (await t.http().post(`/api/v1/webhooks/${hook.id}/rotate-secret`).set(bearer(t.adminKey)).expect(201)).body;
    expect(rotated.secret).not.toBe(hook.secret);
    const until = Date.parse(rotated.previous_secret_expires_at);
    expect(until - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    await generateCode(t);
    const [got] = await eventually(async () => (rx.at('/rotating').length ? rx.at('/rotating') : undefined), 5000);
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [rotated.secret, hook.secret]) expect(() => new StandardWebhook(secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
  });

  it('retries a receiver that is down for the first attempts at the scheduled times, and logs every attempt', async () => {
    rx.script('/flaky', [500, 503, { status: 500, body: 'x'.repeat(5000) }]);
    const hook = await createHook('/flaky');
    await generateCode(t);
    const arrivals = await eventually(async () => (rx.at('/flaky').length >= 4 ? rx.at('/flaky') : undefined), 15_000, 50);
    const gaps = arrivals.slice(1).map((r, i) => (r.at - arrivals[i].at) / 1000);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(SCHEDULE_S[i] - 0.05);
      expect(gap).toBeLessThan(SCHEDULE_S[i] + 0.8);
    });
    // Every attempt carries the same event id and body.
    expect(new Set(arrivals.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(arrivals.map((r) => r.body)).size).toBe(1);
    await eventually(async () => (await deliveries(hook.id)).at(-1)?.status === 'succeeded');
    const log = await deliveries(hook.id);
    expect(log.map((d) => [d.attempt, d.status, d.response_status])).toEqual([[1, 'failed', 500], [2, 'failed', 503], [3, 'failed', 500], [4, 'succeeded', 200]]);
    for (const [i, d] of log.slice(0, 3).entries()) {
      expect(Date.parse(d.next_attempt_at) - Date.parse(d.attempted_at)).toBeGreaterThanOrEqual((SCHEDULE_S[i] - 1) * 1000);
    }
    // At most 1 KiB of an answer is kept.
    expect(log[2].error.length).toBeLessThanOrEqual(1024 + 'HTTP 500: '.length);
    // Out of retries: failed for good.
    rx.script('/hopeless', [500, 500, 500, 500, 500]);
    const hopeless = await createHook('/hopeless');
    await generateCode(t);
    await eventually(async () => (await deliveries(hopeless.id)).length === 4 && (await deliveries(hopeless.id))[3].status === 'failed', 15_000, 100);
    expect((await deliveries(hopeless.id)).map((d) => [d.status, d.next_attempt_at === null])).toEqual([['failed', false], ['failed', false], ['failed', false], ['failed', true]]);
  });

  it('a 410 disables the endpoint at once; a timeout, a redirect and an endless answer are failures', async () => {
    rx.script('/gone', [410]);
    const gone = await createHook('/gone');
    rx.setFallback((res) => {
      // Headers sent, then the body never ends.
      res.writeHead(500);
      res.write('a');
    });
    rx.script('/slow', [{ status: 200, delayMs: 3000 }, 200]);
    rx.script('/redirect', [{ status: 302, headers: { location: rx.url('/target') } }]);
    const slow = await createHook('/slow');
    const redirect = await createHook('/redirect');
    const endless = await createHook('/endless');
    await generateCode(t);
    await eventually(async () => (await t.http().get(`/api/v1/webhooks/${gone.id}`).set(bearer(t.adminKey))).body.enabled === false, 5000);
    expect((await t.http().get(`/api/v1/webhooks/${gone.id}`).set(bearer(t.adminKey))).body).toMatchObject({ enabled: false, disabled_reason: 'gone' });
    // A delivery is listed as pending while its attempt is in flight; wait for each outcome.
    const settled = async (id: string, n: number) => (await deliveries(id)).filter((d) => d.status !== 'pending').length >= n;
    await eventually(async () => (await settled(slow.id, 1)) && (await settled(endless.id, 1)) && (await settled(redirect.id, 1)), 8000, 100);
    const [timedOut] = await deliveries(slow.id);
    expect(timedOut).toMatchObject({ status: 'failed', response_status: null, error: `no answer within ${TIMEOUT_MS} ms` });
    expect(timedOut.duration_ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(timedOut.duration_ms).toBeLessThan(TIMEOUT_MS + 500);
    const [redirected] = await deliveries(redirect.id);
    expect(redirected).toMatchObject({ status: 'failed', response_status: 302 });
    expect(rx.at('/target')).toEqual([]);
    const [neverEnding] = await deliveries(endless.id);
    expect(neverEnding).toMatchObject({ status: 'failed', response_status: 500 });
    expect(neverEnding.duration_ms).toBeLessThan(TIMEOUT_MS + 500);
    // The disabled endpoint gets nothing more, and no retry of the 410.
    await generateCode(t);
    await new Promise((r) => setTimeout(r, 1500));
    expect(rx.at('/gone')).toHaveLength(1);
    expect(await deliveries(gone.id)).toHaveLength(1);
    rx.setFallback(200);
  });

  it('an endpoint failing for WEBHOOK_DISABLE_AFTER_DAYS is disabled (failing); a success ends the streak', async () => {
    const hook = async (id: string) => (await t.http().get(`/api/v1/webhooks/${id}`).set(bearer(t.adminKey)).expect(200)).body;
    // Days of history, set in the database: each endpoint's attempts have all failed since then.
    const failingFor = (id: string, days: number) => t.dataSource.query(`UPDATE webhooks SET failing_since = now() - make_interval(days => $2) WHERE id = $1`, [id, days]);
    const sendTest = (id: string) => t.http().post(`/api/v1/webhooks/${id}/test`).set(bearer(t.adminKey)).expect(202);
    const sixDays = await createHook('/six-days', { event_types: ['gateway.deleted'] });
    const fourDays = await createHook('/four-days', { event_types: ['gateway.deleted'] });
    const recovers = await createHook('/recovers', { event_types: ['gateway.deleted'] });
    await failingFor(sixDays.id, 6);
    await failingFor(fourDays.id, 4);
    await failingFor(recovers.id, 6);
    rx.script('/six-days', [500]);
    rx.script('/four-days', [500, 500, 500, 500]);
    rx.script('/recovers', [204, 500, 500, 500, 500]);
    await Promise.all([sendTest(sixDays.id), sendTest(fourDays.id), sendTest(recovers.id)]);
    await eventually(async () => (await hook(sixDays.id)).enabled === false, 5000, 100);
    expect(await hook(sixDays.id)).toMatchObject({ enabled: false, disabled_reason: 'failing' });
    expect((await deliveries(sixDays.id))[0]).toMatchObject({ status: 'failed', response_status: 500 });
    // Four days of failures (the limit is five): one more failure leaves it enabled.
    await eventually(async () => (await deliveries(fourDays.id))[0]?.status === 'failed', 5000, 100);
    expect(await hook(fourDays.id)).toMatchObject({ enabled: true, disabled_reason: null });
    // Six days of failures, then a success: the streak is over, so a new failure starts a new one.
    await eventually(async () => (await deliveries(recovers.id))[0]?.status === 'succeeded', 5000, 100);
    await sendTest(recovers.id);
    await eventually(async () => (await deliveries(recovers.id))[1]?.status === 'failed', 5000, 100);
    expect(await hook(recovers.id)).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it('test events, redeliveries, and site filters', async () => {
    const siteB = await createSite(t, 'Hooks B');
    const onlyB = await createHook('/only-b', { site_ids: [siteB], event_types: ['*'] });
    await generateCode(t); // site A: not for this webhook
    const inB = await generateCode(t, siteB);
    await eventually(async () => (rx.at('/only-b').length ? true : undefined), 5000);
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.at('/only-b').map((r) => eventOf(r).gateway_id)).toEqual([inB.id]);

    const test = (await t.http().post(`/api/v1/webhooks/${onlyB.id}/test`).set(bearer(t.adminKey)).expect(202)).body;
    expect(test).toMatchObject({ event_type: 'webhook.test', attempt: 1, status: 'pending' });
    await eventually(async () => (rx.at('/only-b').length === 2 ? true : undefined), 5000);
    expect(verifyWebhook(rx.at('/only-b')[1].body, rx.at('/only-b')[1].headers, onlyB.secret)).toMatchObject({ type: 'webhook.test', data: { webhook_id: onlyB.id } });

    const [first] = await deliveries(onlyB.id);
    const again = (await t.http().post(`/api/v1/webhooks/${onlyB.id}/deliveries/${first.id}/redeliver`).set(bearer(t.adminKey)).expect(202)).body;
    expect(again).toMatchObject({ event_id: first.event_id, attempt: 1, status: 'pending' });
    await eventually(async () => (rx.at('/only-b').length === 3 ? true : undefined), 5000);
    expect(rx.at('/only-b')[2].body).toBe(rx.at('/only-b')[0].body);
    expect(rx.at('/only-b')[2].headers['webhook-id']).toBe(rx.at('/only-b')[0].headers['webhook-id']);
    expectErrorBody(await t.http().post(`/api/v1/webhooks/${onlyB.id}/deliveries/${onlyB.id}/redeliver`).set(bearer(t.adminKey)), 404, 'not_found');
  });

  it('admins only; a site-scoped admin manages only webhooks of its sites; another org’s webhook is 404', async () => {
    const siteC = await createSite(t, 'Hooks C');
    const orgWideHook = await createHook('/org-wide');
    const scopedAdmin = (await createKey(t, 'admin', [siteC])).key;
    for (const role of ['viewer', 'operator'] as const) {
      const key = (await createKey(t, role)).key;
      expectErrorBody(await t.http().get('/api/v1/webhooks').set(bearer(key)), 403, 'forbidden');
      expectErrorBody(await t.http().post('/api/v1/webhooks').set(bearer(key)).send({ url: rx.url('/x'), event_types: ['*'] }), 403, 'forbidden');
      expectErrorBody(await t.http().get(`/api/v1/webhooks/${orgWideHook.id}/deliveries`).set(bearer(key)), 403, 'forbidden');
    }
    expectErrorBody(await t.http().post('/api/v1/webhooks').set(bearer(scopedAdmin)).send({ url: rx.url('/x'), event_types: ['*'] }), 403, 'forbidden');
    expectErrorBody(await t.http().post('/api/v1/webhooks').set(bearer(scopedAdmin)).send({ url: rx.url('/x'), event_types: ['*'], site_ids: [t.siteId] }), 403, 'forbidden');
    const mine = await createHook('/scoped', { site_ids: [siteC] }, scopedAdmin);
    const listed = (await t.http().get('/api/v1/webhooks').set(bearer(scopedAdmin)).expect(200)).body;
    expect(listed.data.map((w: { id: string }) => w.id)).toEqual([mine.id]);
    expectErrorBody(await t.http().get(`/api/v1/webhooks/${orgWideHook.id}`).set(bearer(scopedAdmin)), 404, 'not_found');
    expectErrorBody(await t.http().patch(`/api/v1/webhooks/${mine.id}`).set(bearer(scopedAdmin)).send({ site_ids: null }), 403, 'forbidden');

    const other = await createOrg(t, 'Hooks other org');
    for (const [method, path] of [
      ['get', ''], ['patch', ''], ['delete', ''], ['post', '/rotate-secret'], ['post', '/test'], ['get', '/deliveries'],
    ] as const) {
      const req = t.http()[method](`/api/v1/webhooks/${orgWideHook.id}${path}`).set(bearer(other.api_key));
      expectErrorBody(await (method === 'patch' ? req.send({ enabled: false }) : req), 404, 'not_found');
    }
    // Still there, still enabled.
    expect((await t.http().get(`/api/v1/webhooks/${orgWideHook.id}`).set(bearer(t.adminKey)).expect(200)).body.enabled).toBe(true);
  });

  it('refuses bad bodies with 400', async () => {
    for (const body of [
      { url: 'not a url', event_types: ['*'] },
      { url: 'ftp://example.com/x', event_types: ['*'] },
      { url: 'https://user:pw@example.com/x', event_types: ['*'] },
      { url: 'https://example.com/x', event_types: [] },
      { url: 'https://example.com/x', event_types: ['gateway.exploded'] },
      { url: 'https://example.com/x', event_types: ['*', 'gateway.online'] },
      { url: 'https://example.com/x', event_types: ['*'], site_ids: ['not-a-uuid'] },
      { url: 'https://example.com/x', event_types: ['*'], site_ids: ['00000000-0000-4000-8000-000000000009'] },
      { url: `https://example.com/${'x'.repeat(2100)}`, event_types: ['*'] },
      { url: 'https://example.com/x', event_types: ['*'], secret: 'mine' },
    ]) {
      expectErrorBody(await t.http().post('/api/v1/webhooks').set(bearer(t.adminKey)).send(body), 400, 'validation_error');
    }
  });
});

describe('webhooks: no request forgery', () => {
  let t: TestApp;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
    t = await startTestApp({ EVENTS_SEQUENCE_INTERVAL_MS: '50', WEBHOOK_POLL_INTERVAL_MS: '50', WEBHOOK_RETRY_SCHEDULE_S: '60', WEBHOOK_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('refuses literal forbidden addresses and plain http at create time', async () => {
    for (const url of [
      `http://example.com/hook`,
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://10.1.2.3/hook',
      'https://172.16.0.1/hook',
      'https://192.168.1.1/hook',
      'https://100.64.0.1/hook',
      'https://0.0.0.0/hook',
      'https://224.0.0.1/hook',
      'https://[fd00::1]/hook',
      'https://[fe80::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::]/hook',
    ]) {
      const res = await t.http().post('/api/v1/webhooks').set(bearer(t.adminKey)).send({ url, event_types: ['*'] });
      expect({ url, status: res.status, error: res.body.error }).toEqual({ url, status: 400, error: 'validation_error' });
    }
  });

  it('does not contact a name that resolves to a forbidden address, and says why in the delivery log', async () => {
    const res = await t.http().post('/api/v1/webhooks').set(bearer(t.adminKey)).send({ url: `https://localhost:${rx.port}/hook`, event_types: ['gateway.registered'] });
    expect(res.status).toBe(201);
    await generateCode(t);
    const log = await eventually(async () => {
      const d = (await t.http().get(`/api/v1/webhooks/${res.body.id}/deliveries`).set(bearer(t.adminKey)).expect(200)).body.data;
      // The first attempt is listed (pending) before it is made: wait for its outcome.
      return d[0]?.status === 'pending' ? undefined : d[0] && d;
    }, 5000);
    expect(log[0]).toMatchObject({ status: 'failed', response_status: null, error: expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1), which webhooks may not reach$/) });
    expect(rx.connections()).toBe(0);
  });
});
