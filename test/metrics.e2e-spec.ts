import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config/config';
import { MetricsServer } from '../src/metrics/metrics-server';
import { cancelCommand, connectWithSession, expectFrame, postCommand, storedCapabilities } from './support/commands';
import { SignalBus } from '../src/signals/signal-bus';
import { bearer } from './support/factories';
import { generateCode, pairGateway } from './support/gateways';
import { startTestApp, TestApp } from './support/test-app';
import { Receiver, startReceiver } from './support/webhook-receiver';
import { connectGateway, eventually } from './support/ws-client';

/** One scrape: the value of a series by name and labels (all given labels must match), or undefined. */
interface Scrape {
  text: string;
  value(name: string, labels?: Record<string, string>): number | undefined;
}

function parse(text: string): Scrape {
  const series: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    series.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return {
    text,
    value: (name, labels = {}) =>
      series.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value,
  };
}

describe('Prometheus metrics (METRICS_PORT)', () => {
  let t: TestApp;
  let rx: Receiver;
  let metricsUrl: string;
  /** Paired before the pairing test spends this address's guesses. */
  let gw: { id: string; apiKey: string };
  const scrape = async (): Promise<Scrape> => {
    const res = await fetch(`${metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parse(await res.text());
  };
  /** How much a series moved while `act` ran (a series not there yet counts as 0). */
  const moved = async (name: string, labels: Record<string, string>, act: () => Promise<unknown>, settle?: (delta: number) => boolean): Promise<number> => {
    const before = (await scrape()).value(name, labels) ?? 0;
    await act();
    const delta = async () => ((await scrape()).value(name, labels) ?? 0) - before;
    if (settle) return eventually(async () => settle(await delta()) && delta(), 5000, 50);
    return delta();
  };

  beforeAll(async () => {
    rx = await startReceiver();
    t = await startTestApp({
      METRICS_PORT: '0',
      PAIRING_MAX_ACTIVE_CODES: '1000',
      PAIR_GUESS_LIMIT_PER_ADDRESS: '3',
      OFFLINE_AFTER_S: '2',
      TELEMETRY_FLUSH_INTERVAL_MS: '100',
      LIVENESS_SWEEP_INTERVAL_MS: '200',
      EVENTS_SEQUENCE_INTERVAL_MS: '50',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_CONCURRENCY: '1',
      WEBHOOK_TIMEOUT_MS: '5000',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    });
    metricsUrl = `http://127.0.0.1:${t.app.get(MetricsServer).port}`;
    gw = await pairGateway(t);
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('is off unless METRICS_PORT is set, on loopback by default, and serves only GET /metrics', async () => {
    const defaults = loadConfig({});
    expect(defaults.METRICS_PORT).toBeUndefined();
    expect(defaults.METRICS_HOST).toBe('127.0.0.1');
    expect(() => loadConfig({ METRICS_PORT: 'x' })).toThrow(/METRICS_PORT/);
    expect((await fetch(`${metricsUrl}/other`)).status).toBe(404);
    expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST' })).status).toBe(404);
    // Not on the API's port.
    expect((await t.http().get('/metrics')).status).toBe(404);
    const s = await scrape();
    // Node's default metrics are there too.
    expect(s.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(s.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(s.value('novavms_db_pool_connections')).toBeGreaterThan(0);
    expect(s.value('novavms_db_pool_waiting')).toBe(0);
    expect(s.value('novavms_signal_connection_up')).toBe(1);
  });

  it('times HTTP requests by method, route template and status, never by raw path', async () => {
    const gw = await generateCode(t);
    const route = { method: 'GET', route: '/api/v1/gateways/:id', status: '200' };
    expect(await moved('novavms_http_request_duration_seconds_count', route, () => t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey)).expect(200))).toBe(1);
    const missing = '0b8f3e2a-6c1d-4f7e-9a5b-3c2d1e0f9a8b';
    expect(await moved('novavms_http_request_duration_seconds_count', { ...route, status: '404' }, () => t.http().get(`/api/v1/gateways/${missing}`).set(bearer(t.adminKey)).expect(404))).toBe(1);
    expect(await moved('novavms_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' }, () => t.http().get(`/no/such/${missing}`).expect(404))).toBe(1);
    const text = (await scrape()).text;
    expect(text).not.toContain(gw.id);
    expect(text).not.toContain(missing);
  });

  it('counts pairing answers by status and guess-limit refusals', async () => {
    expect((await scrape()).value('novavms_pairing_requests_total', { status: '200' })).toBe(1);
    const wrong = () => t.http().post('/api/v1/gateways/pair').send({ pairing_code: 'ZZZZZ2' });
    expect(await moved('novavms_pairing_requests_total', { status: '404' }, async () => {
      for (let i = 0; i < 3; i++) await wrong().expect(404);
    })).toBe(3);
    // The limit (3) is reached: the next calls are refused.
    expect(await moved('novavms_pairing_guess_refusals_total', {}, () => wrong().expect(429))).toBe(1);
    expect((await scrape()).value('novavms_pairing_requests_total', { status: '429' })).toBe(1);
  });

  it('follows a gateway: upgrades refused, connected, frames, error frames, flushes, liveness, closes', async () => {
    expect(await moved('novavms_ws_upgrades_refused_total', { status: '401' }, () => connectGateway(t.baseUrl, gw.id, 'gw_wrong').catch((e) => expect(e.status).toBe(401)))).toBe(1);
    const flushesBefore = (await scrape()).value('novavms_flush_rows_count') ?? 0;
    const socket = await connectGateway(t.baseUrl, gw.id, gw.apiKey);
    expect((await socket.next()).event).toBe('hello');
    await eventually(async () => (await scrape()).value('novavms_gateways_connected') === 1);
    expect(await moved('novavms_ws_frames_received_total', { event: 'heartbeat' }, async () => socket.send({ event: 'heartbeat', data: {} }), (d) => d >= 1)).toBe(1);
    // The heartbeat was written by a flush of at least one row; nothing is left waiting.
    await eventually(async () => ((await scrape()).value('novavms_flush_rows_count') ?? 0) > flushesBefore);
    expect((await t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey))).body.status).toBe('online');
    expect((await scrape()).value('novavms_flush_failures_total')).toBe(0);
    expect((await scrape()).value('novavms_flush_duration_seconds_count')).toBeGreaterThan(0);
    expect(await moved('novavms_ws_error_frames_total', { reason: 'not_json' }, async () => {
      socket.send('{not json');
      expect((await socket.next()).event).toBe('error');
    }, (d) => d >= 1)).toBe(1);
    expect((await scrape()).value('novavms_ws_frames_received_total', { event: 'not_json' })).toBe(1);
    // An event nobody handles is counted as "unknown", not under its own name.
    socket.send({ event: 'made_up_event', data: {} });
    expect((await socket.next()).event).toBe('error');
    const s = await scrape();
    expect(s.value('novavms_ws_frames_received_total', { event: 'unknown' })).toBe(1);
    expect(s.text).not.toContain('made_up_event');
    // Silent for OFFLINE_AFTER_S (2 s): the sweep marks it offline.
    expect(await moved('novavms_liveness_offline_total', {}, async () => undefined, (d) => d >= 1)).toBe(1);
    expect((await t.http().get(`/api/v1/gateways/${gw.id}`).set(bearer(t.adminKey))).body.status).toBe('offline');
    expect(await moved('novavms_ws_closes_total', { code: '1000' }, async () => {
      socket.ws.close(1000);
      await socket.closed;
    }, (d) => d >= 1)).toBe(1);
    expect((await scrape()).value('novavms_gateways_connected')).toBe(0);
    expect((await scrape()).value('novavms_oldest_unflushed_frame_age_seconds')).toBeLessThan(1);
  });

  it('shows the signal connection going down and coming back', async () => {
    const pid = await t.app.get(SignalBus).listenerPid();
    expect(pid).toEqual(expect.any(Number));
    const reconnects = await moved('novavms_signal_reconnects_total', {}, () => t.dataSource.query('SELECT pg_terminate_backend($1)', [pid]), (d) => d >= 1);
    expect(reconnects).toBe(1);
    expect((await scrape()).value('novavms_signal_connection_up')).toBe(1);
  });

  it('counts webhook attempts by outcome, and shows the queue and its lag behind a slow receiver', async () => {
    const res = await t.http().post('/api/v1/webhooks').set(bearer(t.adminKey)).send({ url: rx.url('/metrics-hook'), event_types: ['gateway.registered'] });
    expect(res.status).toBe(201);
    expect(await moved('novavms_webhook_attempts_total', { outcome: 'succeeded' }, () => generateCode(t), (d) => d >= 1)).toBe(1);
    await eventually(async () => (await scrape()).value('novavms_webhook_queue_depth') === 0);
    // One worker (WEBHOOK_CONCURRENCY=1), held 3 s by the receiver; two more events wait behind it.
    rx.script('/metrics-hook', [{ status: 204, delayMs: 3000 }]);
    await generateCode(t);
    await eventually(async () => rx.at('/metrics-hook').length === 2);
    await generateCode(t);
    await generateCode(t);
    const backed = await eventually(async () => {
      const s = await scrape();
      return s.value('novavms_webhook_queue_depth') === 2 && s;
    });
    await eventually(async () => ((await scrape()).value('novavms_webhook_delivery_lag_seconds') ?? 0) > 0.5, 3000);
    expect(backed.value('novavms_webhook_attempts_total', { outcome: 'failed' }) ?? 0).toBe(0);
    // Once the receiver answers, the queue drains.
    await eventually(async () => (await scrape()).value('novavms_webhook_queue_depth') === 0 && (await scrape()).value('novavms_webhook_delivery_lag_seconds') === 0, 8000);
    expect((await scrape()).value('novavms_webhook_attempts_total', { outcome: 'succeeded' })).toBe(4);
  });

  it('counts commands sent and ended by status, and shows the gateways that take commands', async () => {
    const sock = await connectWithSession(t.baseUrl, gw, randomUUID());
    await eventually(async () => (await storedCapabilities(t, gw.id))?.includes('commands.v1'), 8000);
    expect((await scrape()).value('novavms_command_targets')).toBe(1);
    const sent = await moved('novavms_commands_sent_total', {}, async () => {
      const { body } = await postCommand(t, gw.id, { type: 'gateway.restart_service' }).expect(201);
      await expectFrame(sock, 'command');
      sock.send({ event: 'command_result', data: { id: body.id, status: 'succeeded' } });
      await expectFrame(sock, 'command_result_received');
    });
    expect(sent).toBe(1);
    expect((await scrape()).value('novavms_commands_ended_total', { status: 'succeeded' })).toBe(1);
    expect((await scrape()).value('novavms_command_reports_waiting')).toBe(0);
    sock.ws.close();
    await sock.closed;
    await eventually(async () => (await scrape()).value('novavms_command_targets') === 0);
    const { body } = await postCommand(t, gw.id, { type: 'gateway.restart_service' }).expect(201);
    expect(await moved('novavms_commands_ended_total', { status: 'canceled' }, () => cancelCommand(t, body.id).expect(200))).toBe(1);
  });

  it('counts configuration pushes and reports by outcome, and shows the gateways that take configuration', async () => {
    const sock = await connectWithSession(t.baseUrl, gw, randomUUID(), ['config.v1']);
    await eventually(async () => (await storedCapabilities(t, gw.id))?.includes('config.v1'), 8000);
    expect((await scrape()).value('novavms_config_targets')).toBe(1);
    const sent = await moved('novavms_configs_sent_total', {}, async () => {
      await t.http().put(`/api/v1/gateways/${gw.id}/config`).set(bearer(t.adminKey)).send({ log_level: 'debug' }).expect(200);
      await expectFrame(sock, 'config');
    });
    expect(sent).toBe(1);
    const applied = await moved('novavms_config_reports_total', { outcome: 'applied' }, async () => sock.send({ event: 'config_report', data: { version: 1, status: 'applied', reported: { log_level: 'debug' } } }), (d) => d >= 1);
    expect(applied).toBe(1);
    const ahead = await moved('novavms_config_reports_total', { outcome: 'ahead' }, async () => {
      sock.send({ event: 'config_report', data: { version: 5, status: 'applied', reported: {} } });
      await expectFrame(sock, 'error');
    });
    expect(ahead).toBe(1);
    sock.ws.close();
    await eventually(async () => (await scrape()).value('novavms_config_targets') === 0);
  });
});
