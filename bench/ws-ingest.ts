/**
 * WebSocket ingest (npm run bench:ws): for each N in BENCH_WS_SIZES, N gateways connect to one
 * server — first the bare baseline (bench/ws-baseline.ts), then the service (dist/main.js) —
 * from BENCH_WS_CLIENTS client processes (bench/ws-client.ts), which then send telemetry at a
 * total rate raised step by step (BENCH_WS_RATES, BENCH_WS_STEP_S each) until the server stops
 * keeping up.
 *
 * Keeping up, per step:
 * - both: no socket was closed; when the clients sent < 95 % of the step's target the step is
 *   client-limited and the climb stops there (its rate counts if the server kept up with it);
 * - baseline: it counted ≥ 98 % of the frames sent in the step (its own counter, GET /stats);
 * - service: it has no received-frame counter, so the evidence is end to end: no error frame,
 *   and the telemetry snapshots of a sample of gateways, polled with GET .../telemetry, show
 *   frames with a lag p99 ≤ BENCH_WS_MAX_LAG_MS and none of them stale.
 * Lag: every frame carries its send time (memory_mb = ms since the run's epoch); a poll that
 * sees a new value records lag = arrival of the poll's response − send time (an upper bound,
 * which includes the poll's own response time; resolution = the poll interval).
 */
import { SERVICE_WS_ENV, settings } from './lib/config';
import { LagPoller } from './lib/lag-poller';
import { Context, deferCleanup, Section, standalone } from './lib/main';
import { createDatabase } from './lib/postgres';
import { CpuMeter, rssBytes } from './lib/proc';
import { ServerProcess, startBenchServer, startService } from './lib/processes';
import { ADMIN_KEY, bootstrapOrg, PairedGateway, seedPairedGateways } from './lib/seed';
import { fmt, log, sleep, summarize, Summary } from './lib/stats';
import { Clients } from './lib/ws-clients';
import type { ClientStats } from './ws-client';
import { renderWs, wsTargets } from './ws-ingest-report';

export { renderWs, wsTargets };

// ---- one server, one N ------------------------------------------------------------------------
export interface StepResult {
  target: number;
  seconds: number;
  sentPerS: number;
  receivedPerS?: number;
  receivedRatio?: number;
  behind: number;
  closes: Record<string, number>;
  errorFrames: number;
  bufferedBytes: number;
  serverCpu: number;
  pgCpu: number;
  clientCpu: number;
  rssBytes: number;
  lag?: Summary;
  stale?: number;
  clientLimited: boolean;
  keptUp: boolean;
  why: string;
}

export interface SizeRun {
  server: 'baseline' | 'service';
  n: number;
  connected: number;
  connectFailures: Record<string, number>;
  connectS: number;
  rssIdle: number;
  rssConnected: number;
  steps: StepResult[];
  /** Highest sent rate of a step that kept up (frames/s); 0 when none did. */
  sustained: number;
  /** The climb ended because the clients could not send more, not because the server failed. */
  limitedByClient: boolean;
  /** Kept up at the last rate of the ladder: the server's limit lies above it. */
  reachedTop: boolean;
  /** RSS growth per connection at the step with one frame per gateway per second (or the nearest below). */
  rssPerConnAt1Hz?: number;
  oneHzStep?: number;
  lagPolls?: { polls: number; errors: number; gateways: number };
  warnings: string[];
}

async function baselineFrames(server: ServerProcess): Promise<{ frames: number; at: number }> {
  const res = await fetch(`${server.baseUrl}/stats`);
  return (await res.json()) as { frames: number; at: number };
}

/** What the clients did between two readings: totals, and the send rate from each client's own clock. */
function clientDelta(a: ClientStats[], b: ClientStats[]) {
  const closes: Record<string, number> = {};
  for (const s of b) for (const [code, n] of Object.entries(s.closes)) closes[code] = (closes[code] ?? 0) + n;
  for (const s of a) for (const [code, n] of Object.entries(s.closes)) closes[code] = (closes[code] ?? 0) - n;
  for (const code of Object.keys(closes)) if (closes[code] <= 0) delete closes[code];
  const sum = (f: (s: ClientStats, i: number) => number) => b.reduce((acc, s, i) => acc + f(s, i), 0);
  return {
    sent: sum((s, i) => s.sent - a[i].sent),
    sentPerS: sum((s, i) => ((s.sent - a[i].sent) * 1000) / Math.max(1, s.at - a[i].at)),
    behind: sum((s, i) => s.behind - a[i].behind),
    errorFrames: sum((s, i) => s.errorFrames - a[i].errorFrames),
    open: sum((s) => s.open),
    buffered: sum((s) => s.buffered),
    closes,
  };
}

async function runSize(
  ctx: Context,
  kind: 'baseline' | 'service',
  n: number,
  gateways: PairedGateway[],
  databaseUrl: string,
): Promise<SizeRun> {
  log(`WS ${kind}, N=${n}`);
  const server =
    kind === 'service'
      ? await startService({ databaseUrl, adminKey: ADMIN_KEY, env: SERVICE_WS_ENV })
      : await startBenchServer('ws-baseline', 'ws-baseline.ts', {});
  const stopServer = deferCleanup(() => server.stop());
  const clients = Clients.start(Math.min(settings.wsClients, n));
  const stopClients = deferCleanup(() => clients.close());
  let poller: LagPoller | undefined;
  try {
    await sleep(2000);
    const rssIdle = rssBytes(server.pid);
    const epoch = Date.now();
    const wsUrl = server.baseUrl.replace(/^http/, 'ws');
    const mine = gateways.slice(0, n);
    const conn = await clients.connect(wsUrl, mine, epoch);
    log(`  connected ${conn.ok}/${n} in ${fmt(conn.ms / 1000, 1)} s${conn.failed ? `, failures ${JSON.stringify(conn.failures)}` : ''}`);
    await sleep(3000);
    const rssConnected = rssBytes(server.pid);
    if (kind === 'service' && settings.wsLagSample > 0) {
      const count = Math.min(settings.wsLagSample, n);
      const ids = Array.from({ length: count }, (_, i) => mine[Math.floor((i * n) / count)].id);
      poller = new LagPoller(server.baseUrl, ids, epoch);
      poller.start();
    }
    const steps: StepResult[] = [];
    let limitedByClient = false;
    for (const target of settings.wsRates) {
      await clients.setRate(target);
      const s0 = await clients.stats();
      const f0 = kind === 'baseline' ? await baselineFrames(server) : undefined;
      const meters = {
        server: new CpuMeter(() => [server.pid]).begin(),
        pg: new CpuMeter(ctx.pg.pids).begin(),
        clients: new CpuMeter(() => clients.pids).begin(),
      };
      const t0 = Date.now();
      await sleep(settings.wsStepS * 1000);
      const s1 = await clients.stats();
      const f1 = kind === 'baseline' ? await baselineFrames(server) : undefined;
      const t1 = Date.now();
      const d = clientDelta(s0, s1);
      const closed = Object.values(d.closes).reduce((a, b) => a + b, 0);
      const step: StepResult = {
        target,
        seconds: (t1 - t0) / 1000,
        sentPerS: d.sentPerS,
        behind: d.behind,
        closes: d.closes,
        errorFrames: d.errorFrames,
        bufferedBytes: d.buffered,
        serverCpu: meters.server.end(),
        pgCpu: meters.pg.end(),
        clientCpu: meters.clients.end(),
        rssBytes: rssBytes(server.pid),
        // Timer jitter and the reading windows cost ~1 %; below 95 % the clients could not produce the load.
        clientLimited: d.sentPerS < 0.95 * target,
        keptUp: false,
        why: '',
      };
      const problems: string[] = [];
      if (closed > 0) problems.push(`${closed} sockets closed ${JSON.stringify(d.closes)}`);
      if (d.open < conn.ok) problems.push(`${conn.ok - d.open} sockets no longer open`);
      if (f0 && f1) {
        step.receivedPerS = ((f1.frames - f0.frames) * 1000) / Math.max(1, f1.at - f0.at);
        step.receivedRatio = d.sent > 0 ? (f1.frames - f0.frames) / d.sent : Number.NaN;
        if (!(step.receivedRatio >= 0.98)) problems.push(`received ${fmt(step.receivedRatio * 100, 1)} % of sent`);
      } else if (poller) {
        if (step.errorFrames > 0) problems.push(`${step.errorFrames} error frames`);
        const lags = poller.between(t0, t1);
        step.lag = summarize(lags);
        const periodMs = (n / target) * 1000;
        if (lags.length === 0 && periodMs < (settings.wsStepS * 1000) / 2) problems.push('no new telemetry seen');
        else if (step.lag.p99 > settings.wsMaxLagMs) problems.push(`lag p99 ${fmt(step.lag.p99)} ms > ${settings.wsMaxLagMs}`);
        if (periodMs + settings.wsMaxLagMs + settings.wsLagPollMs < settings.wsStepS * 1000) {
          step.stale = poller.staleCount(periodMs + settings.wsMaxLagMs + settings.wsLagPollMs);
          if (step.stale > 0) problems.push(`${step.stale}/${settings.wsLagSample} sampled snapshots stale`);
        }
      }
      // keptUp: the server kept up with what was sent. A client-limited step ends the climb either way.
      step.keptUp = problems.length === 0;
      if (step.clientLimited) problems.push(`clients sent only ${fmt(step.sentPerS)}/s (client CPU ${fmt(step.clientCpu)} %, ${fmt(step.behind)} frames behind)`);
      step.why = problems.join('; ') || 'kept up';
      steps.push(step);
      log(
        `  ${kind} N=${n} ${fmt(target)}/s: sent ${fmt(step.sentPerS)}/s${step.receivedPerS !== undefined ? `, received ${fmt(step.receivedPerS)}/s` : ''}` +
          `${step.lag ? `, lag p50/p99 ${fmt(step.lag.p50)}/${fmt(step.lag.p99)} ms (${step.lag.n})` : ''}, server CPU ${fmt(step.serverCpu)} %, ` +
          `RSS ${fmt(step.rssBytes / 2 ** 20)} MiB — ${step.why}`,
      );
      if (step.clientLimited) {
        limitedByClient = step.keptUp;
        break;
      }
      if (!step.keptUp) break;
    }
    await clients.setRate(0);
    const kept = steps.filter((s) => s.keptUp);
    const sustained = Math.max(0, ...kept.map((s) => s.sentPerS));
    const oneHz = [...steps].filter((s) => s.target <= n).pop();
    const result: SizeRun = {
      server: kind,
      n,
      connected: conn.ok,
      connectFailures: conn.failures,
      connectS: conn.ms / 1000,
      rssIdle,
      rssConnected,
      steps,
      sustained,
      limitedByClient,
      reachedTop: !limitedByClient && steps.length === settings.wsRates.length && steps[steps.length - 1].keptUp,
      rssPerConnAt1Hz: oneHz ? (oneHz.rssBytes - rssIdle) / n : undefined,
      oneHzStep: oneHz?.target,
      lagPolls: poller ? { polls: poller.polls, errors: poller.pollErrors, gateways: Math.min(settings.wsLagSample, n) } : undefined,
      warnings: server
        .output()
        .split('\n')
        .filter((l) => /"level":(40|50|60)/.test(l))
        .slice(0, 10),
    };
    return result;
  } finally {
    await poller?.stop();
    await stopClients();
    await stopServer();
  }
}

export interface WsResult {
  runs: SizeRun[];
}

export async function runWs(ctx: Context): Promise<WsResult> {
  const db = await createDatabase(ctx.pg, 'ws');
  const dropDb = deferCleanup(() => db.drop());
  // The service bootstraps the org and runs the migrations on the empty database; then it stops.
  const first = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY });
  await first.stop();
  const org = await bootstrapOrg(db.url, ADMIN_KEY);
  const max = Math.max(...settings.wsSizes);
  log(`seeding ${max} paired gateways`);
  const gateways = await seedPairedGateways(db.url, org, max);
  const runs: SizeRun[] = [];
  for (const n of settings.wsSizes) {
    runs.push(await runSize(ctx, 'baseline', n, gateways, db.url));
    runs.push(await runSize(ctx, 'service', n, gateways, db.url));
  }
  await dropDb();
  return { runs };
}

if (require.main === module) {
  void standalone('ws', async (ctx): Promise<Section> => {
    const result = await runWs(ctx);
    return { markdown: renderWs(result), data: result };
  });
}
