/**
 * Connect burst and a full instance (npm run bench:connect).
 *
 * Burst: BENCH_CONNECT_N paired gateways (10,000) open their WebSocket at once, from
 * BENCH_CONNECT_CLIENTS fleet processes (bench/fleet-process.ts) with every upgrade in flight
 * from the start — first against the bare baseline (bench/connect-baseline.ts: URL match,
 * sha256 of the key compared with a Map, hello), then against the service (dist/main.js, the
 * default pool of 10). Reported per server: time until the last hello, hello latency
 * percentiles from the burst's start, refusals, and the rate (gateways greeted per second); the
 * target is service rate ≥ 0.5 × baseline rate and every hello within 10 s.
 *
 * Full instance: BENCH_HOLD_N gateways (18,000) connect to one service and hold for
 * BENCH_HOLD_S seconds sending one telemetry frame every 10 s each (the production heartbeat).
 * Reported: RSS per connection (connected − idle, over N), snapshot lag of BENCH_WS_LAG_SAMPLE
 * gateways polled through GET .../telemetry, and PostgreSQL's CPU per flushed row (CPU time of
 * the cluster's processes over the hold ÷ rows written by the flushes, from the service's own
 * novavms_flush_rows histogram). PostgreSQL's CPU is measured on the embedded cluster only.
 */
import { num, SERVICE_WS_ENV, settings } from './lib/config';
import { Fleet, FleetGatewayRef } from './lib/fleet';
import { LagPoller } from './lib/lag-poller';
import { Context, deferCleanup, Section, standalone } from './lib/main';
import { createDatabase, withClient } from './lib/postgres';
import { CpuMeter, rssBytes } from './lib/proc';
import { ServerProcess, startBenchServer, startService } from './lib/processes';
import { Target } from './lib/report';
import { ADMIN_KEY, bootstrapOrg, seedPairedGateways } from './lib/seed';
import { fmt, log, ratio, sleep, summarize, Summary } from './lib/stats';
import { freePort } from '../src/database/embedded-postgres';

const BURST_N = Math.round(num('BENCH_CONNECT_N', 10_000, 1));
const HOLD_N = Math.round(num('BENCH_HOLD_N', 18_000, 0));
const HOLD_S = num('BENCH_HOLD_S', 60, 10);
const CLIENTS = Math.round(num('BENCH_CONNECT_CLIENTS', 4, 1));
/** Bursts per server, alternating baseline and service (ABBA…), each on a new process. */
const ROUNDS = Math.round(num('BENCH_CONNECT_ROUNDS', 3, 0));
const HELLO_WITHIN_MS = 10_000;
const MIN_RATIO = 0.5;
const HEARTBEAT_MS = 10_000;

interface BurstRun {
  server: 'baseline' | 'service';
  n: number;
  greeted: number;
  failures: Record<string, number>;
  lastHelloMs: number;
  hello: Summary;
  perSecond: number;
  serverCpu: number;
  pgCpu: number;
  clientCpu: number;
}

interface HoldRun {
  n: number;
  greeted: number;
  failures: Record<string, number>;
  connectMs: number;
  rssIdleBytes: number;
  rssConnectedBytes: number;
  rssPerConnBytes: number;
  lag?: Summary;
  lagPolls: number;
  lagPollErrors: number;
  framesPerS: number;
  flushedRows: number;
  pgCpu: number;
  pgCpuMsPerRow?: number;
  serverCpu: number;
  closes: Record<string, number>;
  refusals: Record<string, number>;
  /** The service's event-loop delay during the hold (its nodejs_eventloop_lag_* metrics, in ms). */
  loopLagMs: { p99: number; max: number };
  /** Row updates during the hold, and how many of them were HOT (no index entry written). */
  updates: Record<string, { updated: number; hot: number }>;
}

export interface ConnectResult {
  bursts: BurstRun[];
  /** Per round: service rate ÷ baseline rate of that round. */
  ratios: number[];
  /** The median of `ratios`. */
  ratio: number;
  hold?: HoldRun;
}

/** Counts of `now` beyond those of `then`, the zero ones left out. */
const since = (now: Record<string, number>, then: Record<string, number>) =>
  Object.fromEntries(Object.entries(now).map(([k, v]) => [k, v - (then[k] ?? 0)]).filter(([, v]) => Number(v) > 0));

/** The service's bursts, the slowest one's last hello, and whether every one greeted all without a refusal. */
function serviceBursts(r: ConnectResult) {
  const services = r.bursts.filter((b) => b.server === 'service');
  return {
    slowest: Math.max(...services.map((b) => b.lastHelloMs)),
    allGreeted: services.every((b) => b.greeted === b.n && Object.keys(b.failures).length === 0),
  };
}

/** Updates of the live-state tables so far (pg_stat_user_tables, as this session sees them). */
async function tableUpdates(databaseUrl: string): Promise<Record<string, { updated: number; hot: number }>> {
  return withClient(databaseUrl, async (c) => {
    const { rows } = await c.query<{ relname: string; updated: string; hot: string }>(
      `SELECT relname, n_tup_upd AS updated, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname IN ('gateways', 'gateway_telemetry') ORDER BY relname`,
    );
    return Object.fromEntries(rows.map((r) => [r.relname, { updated: Number(r.updated), hot: Number(r.hot) }]));
  });
}

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

/** The service's /metrics text (a scrape also restarts its event-loop delay histogram). */
async function scrape(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
}

async function burst(ctx: Context, which: BurstRun['server'], gateways: FleetGatewayRef[], databaseUrl: string): Promise<BurstRun> {
  const server: ServerProcess =
    which === 'service'
      ? await startService({ databaseUrl, adminKey: ADMIN_KEY, env: { ...SERVICE_WS_ENV, HEARTBEAT_INTERVAL_S: '10' } })
      : await startBenchServer('connect-baseline', 'connect-baseline.ts', { DATABASE_URL: databaseUrl });
  const stopServer = deferCleanup(() => server.stop());
  const fleet = Fleet.start(CLIENTS);
  const stopFleet = deferCleanup(() => fleet.stop('terminate'));
  try {
    await sleep(3000); // the fleet's processes load before the burst starts
    const meters = {
      server: new CpuMeter(() => [server.pid]).begin(),
      pg: new CpuMeter(ctx.pg.pids).begin(),
      clients: new CpuMeter(() => fleet.pids).begin(),
    };
    log(`${which}: ${gateways.length} gateways connect at once`);
    const r = await fleet.connect(gateways, {
      urls: [server.baseUrl],
      heartbeatMs: HEARTBEAT_MS,
      reconnectJitterMs: 3000,
      concurrency: Math.ceil(gateways.length / CLIENTS),
    });
    const run: BurstRun = {
      server: which,
      n: gateways.length,
      greeted: r.ok,
      failures: r.failures,
      lastHelloMs: Math.max(0, ...r.helloMs),
      hello: summarize(r.helloMs),
      perSecond: r.ok / (Math.max(1, ...r.helloMs) / 1000),
      serverCpu: meters.server.end(),
      pgCpu: meters.pg.end(),
      clientCpu: meters.clients.end(),
    };
    log(`${which}: ${run.greeted}/${run.n} greeted, last after ${fmt(run.lastHelloMs)} ms, ${fmt(run.perSecond)}/s, failures ${JSON.stringify(run.failures)}`);
    return run;
  } finally {
    await stopFleet();
    await stopServer();
  }
}

async function hold(ctx: Context, gateways: FleetGatewayRef[], databaseUrl: string): Promise<HoldRun> {
  const metricsPort = await freePort();
  const server = await startService({ databaseUrl, adminKey: ADMIN_KEY, env: { ...SERVICE_WS_ENV, HEARTBEAT_INTERVAL_S: '10', METRICS_PORT: String(metricsPort) } });
  const stopServer = deferCleanup(() => server.stop());
  const fleet = Fleet.start(CLIENTS);
  const stopFleet = deferCleanup(() => fleet.stop('terminate'));
  try {
    await sleep(3000);
    const rssIdleBytes = rssBytes(server.pid);
    const epoch = Date.now();
    log(`hold: ${gateways.length} gateways connect to one instance`);
    const r = await fleet.connect(gateways, { urls: [server.baseUrl], heartbeatMs: HEARTBEAT_MS, reconnectJitterMs: 3000, concurrency: 250, epoch });
    log(`hold: ${r.ok}/${gateways.length} greeted in ${fmt(r.ms)} ms; holding ${HOLD_S} s`);
    await sleep(HEARTBEAT_MS + 2000); // every gateway has sent its first periodic frame
    const rssConnectedBytes = rssBytes(server.pid);
    const poller = new LagPoller(server.baseUrl, gateways.slice(0, settings.wsLagSample).map((g) => g.id), epoch);
    const rowsBefore = metricValue(await scrape(metricsPort), 'novavms_flush_rows_sum');
    const before = await fleet.stats();
    const updatesBefore = await tableUpdates(databaseUrl);
    const meters = { server: new CpuMeter(() => [server.pid]).begin(), pg: new CpuMeter(ctx.pg.pids).begin() };
    const started = Date.now();
    poller.start();
    await sleep(HOLD_S * 1000);
    await poller.stop();
    const pgCpu = meters.pg.end();
    const serverCpu = meters.server.end();
    const seconds = (Date.now() - started) / 1000;
    const after = await fleet.stats();
    await sleep(1000); // table statistics reach the cumulative view within a second
    const updatesAfter = await tableUpdates(databaseUrl);
    const updates = Object.fromEntries(
      Object.entries(updatesAfter).map(([t, u]) => [t, { updated: u.updated - (updatesBefore[t]?.updated ?? 0), hot: u.hot - (updatesBefore[t]?.hot ?? 0) }]),
    );
    const metricsText = await scrape(metricsPort);
    const flushedRows = metricValue(metricsText, 'novavms_flush_rows_sum') - rowsBefore;
    const loopLagMs = { p99: metricValue(metricsText, 'nodejs_eventloop_lag_p99_seconds') * 1000, max: metricValue(metricsText, 'nodejs_eventloop_lag_max_seconds') * 1000 };
    const pgCpuMs = (pgCpu / 100) * seconds * 1000;
    const run: HoldRun = {
      n: gateways.length,
      greeted: r.ok,
      failures: r.failures,
      connectMs: r.ms,
      rssIdleBytes,
      rssConnectedBytes,
      rssPerConnBytes: (rssConnectedBytes - rssIdleBytes) / Math.max(1, r.ok),
      lag: poller.samples.length ? summarize(poller.samples.map((s) => s.lagMs)) : undefined,
      lagPolls: poller.polls,
      lagPollErrors: poller.pollErrors,
      framesPerS: (after.framesSent - before.framesSent) / seconds,
      flushedRows,
      pgCpu,
      pgCpuMsPerRow: ctx.pg.embedded && flushedRows > 0 ? pgCpuMs / flushedRows : undefined,
      serverCpu,
      closes: since(after.closes, before.closes),
      refusals: since(after.refusals, before.refusals),
      updates,
      loopLagMs,
    };
    log(`hold: RSS ${fmt(run.rssPerConnBytes / 1024, 1)} KiB/conn, lag p99 ${fmt(run.lag?.p99)} ms, ${fmt(run.framesPerS)} frames/s, ${flushedRows} rows flushed, PG ${fmt(pgCpu)} %`);
    return run;
  } finally {
    await stopFleet();
    await stopServer();
  }
}

export async function runConnect(ctx: Context): Promise<ConnectResult> {
  const db = await createDatabase(ctx.pg, 'connect');
  const dropDb = deferCleanup(() => db.drop());
  const first = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY });
  await first.stop();
  const org = await bootstrapOrg(db.url, ADMIN_KEY);
  const total = Math.max(BURST_N, HOLD_N);
  log(`seeding ${total} paired gateways`);
  const gateways = await seedPairedGateways(db.url, org, total);
  const bursts: BurstRun[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: BurstRun['server'][] = round % 2 === 0 ? ['baseline', 'service'] : ['service', 'baseline'];
    const runs: BurstRun[] = [];
    for (const which of order) runs.push(await burst(ctx, which, gateways.slice(0, BURST_N), db.url));
    bursts.push(...runs);
    const of = (which: BurstRun['server']) => runs.find((r) => r.server === which)!.perSecond;
    ratios.push(ratio(of('service'), of('baseline')));
  }
  const result: ConnectResult = { bursts, ratios, ratio: ratios.length ? summarize(ratios).p50 : Number.NaN };
  if (HOLD_N > 0) result.hold = await hold(ctx, gateways.slice(0, HOLD_N), db.url);
  await dropDb();
  return result;
}

export function connectTargets(r: ConnectResult): Target[] {
  if (r.bursts.length === 0) return [];
  const { slowest, allGreeted } = serviceBursts(r);
  const targets: Target[] = [
    { target: `Connect burst of ${BURST_N}: rate ≥ ${MIN_RATIO} × the bare ws server`, measured: `${fmt(r.ratio, 2)} (median of ${r.ratios.length} rounds)`, met: r.ratio >= MIN_RATIO },
    {
      target: `Connect burst of ${BURST_N}: every hello within ${HELLO_WITHIN_MS / 1000} s, none refused`,
      measured: `last hello after ${fmt(slowest)} ms (slowest round)`,
      met: slowest <= HELLO_WITHIN_MS && allGreeted,
    },
  ];
  return targets;
}

const kib = (bytes: number) => fmt(bytes / 1024, 1);

export function renderConnect(r: ConnectResult): string {
  const { slowest, allGreeted } = serviceBursts(r);
  const lines = r.bursts.length === 0 ? ['## Connect burst and a full instance', '', 'Burst: not run (BENCH_CONNECT_ROUNDS=0).'] : [
    '## Connect burst and a full instance',
    '',
    `Burst: ${BURST_N} paired gateways open their WebSocket at once from ${CLIENTS} processes, ${ROUNDS} rounds per server alternating (ABBA…), each burst on a new server process; "rate" is gateways greeted per second, from the burst's start to the last hello. Targets: service rate ≥ ${MIN_RATIO} × baseline, every hello within ${HELLO_WITHIN_MS / 1000} s, no refusal.`,
    '',
    '| round | server | greeted | refusals | last hello | hello p50 / p90 / p99 (ms) | rate (/s) | server CPU | PostgreSQL CPU | clients CPU |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.bursts.map(
      (b, i) =>
        `| ${Math.floor(i / 2) + 1} | ${b.server} | ${b.greeted}/${b.n} | ${JSON.stringify(b.failures)} | ${fmt(b.lastHelloMs)} ms | ${fmt(b.hello.p50)} / ${fmt(b.hello.p90)} / ${fmt(b.hello.p99)} | ${fmt(b.perSecond)} | ${fmt(b.serverCpu)} % | ${fmt(b.pgCpu)} % | ${fmt(b.clientCpu)} % |`,
    ),
    '',
    `Ratio service / baseline per round: ${r.ratios.map((x) => fmt(x, 2)).join(', ')}; median **${fmt(r.ratio, 2)}** (target ≥ ${MIN_RATIO}: ${r.ratio >= MIN_RATIO ? 'met' : 'NOT met'}). Every hello within ${HELLO_WITHIN_MS / 1000} s and none refused, in every service round: ${allGreeted && slowest <= HELLO_WITHIN_MS ? 'met' : 'NOT met'} (slowest round: last hello after ${fmt(slowest)} ms).`,
  ];
  const h = r.hold;
  if (h) {
    lines.push(
      '',
      `Full instance: ${h.n} gateways on one service, one telemetry frame every ${HEARTBEAT_MS / 1000} s each, held ${HOLD_S} s.`,
      '',
      '| greeted | connect | RSS idle → connected | RSS per connection | frames/s | snapshot lag p50 / p99 / max (ms) | rows flushed | service CPU | PostgreSQL CPU | PostgreSQL CPU per row | closes / refusals during the hold |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${h.greeted}/${h.n} | ${fmt(h.connectMs / 1000, 1)} s | ${fmt(h.rssIdleBytes / 2 ** 20)} → ${fmt(h.rssConnectedBytes / 2 ** 20)} MiB | ${kib(h.rssPerConnBytes)} KiB | ${fmt(h.framesPerS)} | ${h.lag ? `${fmt(h.lag.p50)} / ${fmt(h.lag.p99)} / ${fmt(h.lag.max)}` : '–'} (${h.lagPolls} polls, ${h.lagPollErrors} errors) | ${h.flushedRows} | ${fmt(h.serverCpu)} % | ${fmt(h.pgCpu)} % | ${h.pgCpuMsPerRow === undefined ? '– (external server)' : `${fmt(h.pgCpuMsPerRow * 1000, 0)} µs`} | ${JSON.stringify(h.closes)} / ${JSON.stringify(h.refusals)} |`,
      '',
      `Row updates during the hold (pg_stat_user_tables; HOT: no index entry written): ${Object.entries(h.updates)
        .map(([t, u]) => `${t} ${u.updated} (${fmt(u.updated ? (100 * u.hot) / u.updated : 0)} % HOT)`)
        .join(', ')}. The service's event loop during the hold: delay p99 ${fmt(h.loopLagMs.p99)} ms, max ${fmt(h.loopLagMs.max)} ms.`,
    );
  }
  return lines.join('\n');
}

if (require.main === module) {
  void standalone('connect', async (ctx): Promise<Section> => {
    const result = await runConnect(ctx);
    return { markdown: renderConnect(result), data: result };
  });
}
