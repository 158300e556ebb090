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
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { settings } from './lib/config';
import { Context, deferCleanup, Section, standalone } from './lib/main';
import { createDatabase } from './lib/postgres';
import { CpuMeter, rssBytes } from './lib/proc';
import { ServerProcess, SERVICE_COMMAND, startBenchServer, startService } from './lib/processes';
import { ADMIN_KEY, bootstrapOrg, PairedGateway, seedPairedGateways } from './lib/seed';
import { fmt, log, ratio, sleep, summarize, Summary, table } from './lib/stats';
import type { ClientCommand, ClientReply, ClientStats } from './ws-client';

/** Settings of the service under WebSocket load; the frame limit is raised so that high per-gateway rates are not refused. */
const SERVICE_WS_ENV = { WS_MAX_FRAMES_PER_S: '1000', WS_FRAME_BURST: '1000' };
const CONNECT_CONCURRENCY = 100;

// ---- client processes -------------------------------------------------------------------------
class Clients {
  private readonly waiting = new Map<ChildProcess, Map<string, ((r: ClientReply) => void)[]>>();
  private shares: number[] = [];

  private constructor(readonly children: ChildProcess[]) {
    for (const child of children) {
      const queues = new Map<string, ((r: ClientReply) => void)[]>();
      this.waiting.set(child, queues);
      child.on('message', (m: ClientReply) => queues.get(m.type)?.shift()?.(m));
    }
  }

  static start(count: number): Clients {
    const children = Array.from({ length: count }, () =>
      fork(join(__dirname, 'ws-client.ts'), [], {
        execArgv: ['-r', 'ts-node/register/transpile-only'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return new Clients(children);
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid!).filter(Boolean);
  }

  private ask<T extends ClientReply['type']>(child: ChildProcess, command: ClientCommand, replyType: T, timeoutMs = 300_000) {
    return new Promise<Extract<ClientReply, { type: T }>>((resolve, reject) => {
      const queues = this.waiting.get(child)!;
      const timer = setTimeout(() => reject(new Error(`ws client ${child.pid}: no ${replyType} reply`)), timeoutMs);
      const list = queues.get(replyType) ?? [];
      list.push((r) => {
        clearTimeout(timer);
        resolve(r as Extract<ClientReply, { type: T }>);
      });
      queues.set(replyType, list);
      child.send(command);
    });
  }

  async connect(url: string, gateways: PairedGateway[], epoch: number) {
    const k = this.children.length;
    const parts = this.children.map((_, i) => gateways.filter((_, j) => j % k === i));
    this.shares = parts.map((p) => p.length / gateways.length);
    const replies = await Promise.all(
      this.children.map((c, i) => this.ask(c, { type: 'connect', url, gateways: parts[i], concurrency: CONNECT_CONCURRENCY, epoch }, 'connected')),
    );
    const failures: Record<string, number> = {};
    for (const r of replies) for (const [f, n] of Object.entries(r.failures)) failures[f] = (failures[f] ?? 0) + n;
    return {
      ok: replies.reduce((a, r) => a + r.ok, 0),
      failed: replies.reduce((a, r) => a + r.failed, 0),
      failures,
      ms: Math.max(...replies.map((r) => r.ms)),
    };
  }

  async setRate(total: number): Promise<void> {
    await Promise.all(this.children.map((c, i) => this.ask(c, { type: 'rate', perSecond: total * this.shares[i] }, 'ack')));
  }

  /** Counters of every client (each read at its own `at`). */
  async stats(): Promise<ClientStats[]> {
    const all = await Promise.all(this.children.map((c) => this.ask(c, { type: 'stats' }, 'stats')));
    return all.map((r) => r.stats);
  }

  async close(): Promise<void> {
    await Promise.all(this.children.map((c) => this.ask(c, { type: 'close' }, 'closed', 30_000).catch(() => c.kill('SIGKILL'))));
    await sleep(300);
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}

// ---- lag ----------------------------------------------------------------------------------------
class LagPoller {
  private running = false;
  readonly samples: { at: number; lagMs: number }[] = [];
  /** Latest memory_mb (send time, ms since epoch) seen per gateway; null before any. */
  readonly latest = new Map<string, number | null>();
  private loops: Promise<void>[] = [];
  polls = 0;
  pollErrors = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly ids: string[],
    private readonly epoch: number,
  ) {}

  start(): void {
    this.running = true;
    this.loops = this.ids.map((id, i) => this.loop(id, (i * settings.wsLagPollMs) / this.ids.length));
  }

  private async loop(id: string, offsetMs: number): Promise<void> {
    await sleep(offsetMs);
    let first = true;
    while (this.running) {
      const started = Date.now();
      try {
        const res = await fetch(`${this.baseUrl}/api/v1/gateways/${id}/telemetry`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
        const body = (await res.json()) as { memory_mb?: number | null };
        this.polls++;
        if (res.status !== 200) this.pollErrors++;
        const value = typeof body.memory_mb === 'number' ? body.memory_mb : null;
        const previous = this.latest.get(id) ?? null;
        // Visible no later than when the response arrived: an upper bound on the lag.
        const seen = Date.now();
        if (value !== null && value !== previous && !first) this.samples.push({ at: seen, lagMs: seen - this.epoch - value });
        this.latest.set(id, value);
        first = false;
      } catch {
        this.pollErrors++;
      }
      await sleep(Math.max(0, settings.wsLagPollMs - (Date.now() - started)));
    }
  }

  between(t0: number, t1: number): number[] {
    return this.samples.filter((s) => s.at >= t0 && s.at < t1).map((s) => s.lagMs);
  }

  /** Sampled gateways whose visible frame is older than `limitMs` (or that show none). */
  staleCount(limitMs: number): number {
    const now = Date.now() - this.epoch;
    return this.ids.filter((id) => {
      const v = this.latest.get(id);
      return v === null || v === undefined || now - v > limitMs;
    }).length;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

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

const kib = (bytes: number | undefined) => (bytes === undefined ? '–' : fmt(bytes / 1024, 1));
const mib = (bytes: number) => fmt(bytes / 2 ** 20, 0);

function sustainedText(r: SizeRun): string {
  const bound = r.limitedByClient ? ' (≥, client-limited)' : r.reachedTop ? ' (≥, top of the rate ladder)' : '';
  return r.sustained > 0 ? `${fmt(r.sustained)}${bound}` : `< ${fmt(settings.wsRates[0])}`;
}

/** A client-limited rate is a lower bound, so the ratio is a bound too (or undetermined). */
function ratioNote(b: SizeRun, v: SizeRun): string {
  if (b.limitedByClient && v.limitedByClient) return ' (both client-limited: no server limit reached)';
  if (b.limitedByClient) return ' (≤: baseline client-limited)';
  if (v.limitedByClient) return ' (≥: service client-limited)';
  if (b.reachedTop && v.reachedTop) return ' (both kept up at the top of the rate ladder: no server limit reached)';
  if (b.reachedTop) return ' (≤: baseline at the top of the rate ladder)';
  if (v.reachedTop) return ' (≥: service at the top of the rate ladder)';
  return '';
}

export function renderWs(w: WsResult): string {
  const s = settings;
  const out: string[] = [];
  out.push('## WebSocket ingest');
  out.push('');
  out.push(
    `N gateways connect to one server from ${s.wsClients} client processes (\`bench/ws-client.ts\`, forked with ts-node), ` +
      `which then send telemetry frames (~200 bytes, the simulator's shape) round-robin over their sockets at a total rate ` +
      `raised through ${s.wsRates.map((r) => fmt(r)).join(', ')} frames/s, ${s.wsStepS} s per step, until the server stops keeping up. ` +
      `Servers: the bare baseline (\`bench/ws-baseline.ts\`: ws on node:http, JSON.parse + validateTelemetry, counts, stores nothing, ` +
      `no auth) and the service (\`${Object.entries(SERVICE_WS_ENV).map(([k, v]) => `${k}=${v}`).join(' ')} ${SERVICE_COMMAND}\`; ` +
      'the per-socket frame limit is raised so that rates above 20 frames/s per gateway are not refused), each in a new process for every N. ' +
      'Everything — server, clients, PostgreSQL and the lag poller — shares the 2 cores.',
  );
  out.push('');
  out.push(
    '**Keeping up** (per step): no socket closed, and ' +
      'the baseline counted ≥ 98 % of the frames sent (its own counter). The service exposes no received-frame counter: its evidence ' +
      `is "sent and not closed", no error frame, and end-to-end lag: ${s.wsLagSample} sampled gateways' snapshots are polled with ` +
      `GET /api/v1/gateways/{id}/telemetry every ${s.wsLagPollMs} ms (${fmt((s.wsLagSample * 1000) / s.wsLagPollMs)} req/s of extra load on the service); ` +
      'each frame carries its send time in memory_mb, and a poll that sees a new value records lag = arrival of the poll\'s response − send time ' +
      `(an upper bound: it includes the poll's own response time and up to ${s.wsLagPollMs} ms of polling interval; the service flushes every ` +
      `500 ms, TELEMETRY_FLUSH_INTERVAL_MS). The step keeps up when lag p99 ≤ ${s.wsMaxLagMs} ms and no sampled snapshot is stale ` +
      '(older than the gateway\'s frame period + that bound). When the clients sent < 95 % of a step\'s target they, not the ' +
      'server, were the limit (*client-limited*; their CPU is in the table): the climb ends there, and if the server kept up with ' +
      'what was sent, that rate counts as sustained, marked ≥.',
  );
  out.push('');
  out.push('### Summary');
  out.push('');
  const sizes = [...new Set(w.runs.map((r) => r.n))];
  out.push(
    table(
      ['N', 'Connected (baseline / service)', 'Connect time s (baseline / service)', 'Sustained frames/s baseline', 'Sustained frames/s service', 'Ratio', 'RSS/conn KiB, idle (baseline / service)', 'RSS/conn KiB at 1 frame/s/gateway (service)', 'Lag p50 / p99 ms at 1 frame/s/gateway'],
      sizes.map((n) => {
        const b = w.runs.find((r) => r.n === n && r.server === 'baseline');
        const v = w.runs.find((r) => r.n === n && r.server === 'service');
        const oneHz = v?.steps.find((st) => st.target === v.oneHzStep);
        return [
          fmt(n),
          `${b ? fmt(b.connected) : '–'} / ${v ? fmt(v.connected) : '–'}`,
          `${b ? fmt(b.connectS, 1) : '–'} / ${v ? fmt(v.connectS, 1) : '–'}`,
          b ? sustainedText(b) : '–',
          v ? sustainedText(v) : '–',
          b && v ? `**${fmt(ratio(v.sustained, b.sustained), 2)}**${ratioNote(b, v)}` : '–',
          `${b ? kib((b.rssConnected - b.rssIdle) / n) : '–'} / ${v ? kib((v.rssConnected - v.rssIdle) / n) : '–'}`,
          v?.rssPerConnAt1Hz !== undefined ? `${kib(v.rssPerConnAt1Hz)} (step ${fmt(v.oneHzStep)}/s)` : '–',
          oneHz?.lag ? `${fmt(oneHz.lag.p50)} / **${fmt(oneHz.lag.p99)}** (${oneHz.lag.n} samples)` : '–',
        ];
      }),
    ),
  );
  out.push('');
  out.push('RSS/conn = (RSS with N connected − RSS of the same process before any connection) / N. CPU % is of one core (200 % = the machine).');
  out.push('');
  out.push('### Steps');
  out.push('');
  out.push(
    table(
      ['Server', 'N', 'Target /s', 'Sent /s', 'Received /s (baseline)', 'Lag p50 / p99 ms (service)', 'Server CPU %', 'PostgreSQL CPU %', 'Client CPU %', 'Server RSS MiB', 'Result'],
      w.runs.flatMap((r) =>
        r.steps.map((st) => [
          r.server,
          fmt(r.n),
          fmt(st.target),
          fmt(st.sentPerS),
          st.receivedPerS !== undefined ? `${fmt(st.receivedPerS)} (${fmt((st.receivedRatio ?? 0) * 100, 1)} %)` : '–',
          st.lag && st.lag.n > 0 ? `${fmt(st.lag.p50)} / ${fmt(st.lag.p99)} (${st.lag.n})` : '–',
          fmt(st.serverCpu),
          fmt(st.pgCpu),
          fmt(st.clientCpu),
          mib(st.rssBytes),
          st.keptUp ? (st.clientLimited ? `kept up with what was sent; climb ended: ${st.why}` : 'kept up') : `**stopped**: ${st.why}`,
        ]),
      ),
    ),
  );
  const warnings = w.runs.flatMap((r) => r.warnings.map((l) => `[${r.server} N=${r.n}] ${l.slice(0, 300)}`));
  const failures = w.runs.filter((r) => Object.keys(r.connectFailures).length);
  if (failures.length) {
    out.push('');
    out.push('Connection failures: ' + failures.map((r) => `${r.server} N=${r.n}: ${JSON.stringify(r.connectFailures)}`).join('; '));
  }
  if (warnings.length) {
    out.push('');
    out.push('Service warnings/errors logged (first 10 per run):');
    out.push('');
    out.push('```');
    out.push(...warnings);
    out.push('```');
  }
  return out.join('\n');
}

export function wsTargets(w: WsResult) {
  const n = 10_000;
  const v = w.runs.find((r) => r.server === 'service' && r.n === n);
  const b = w.runs.find((r) => r.server === 'baseline' && r.n === n);
  if (!v) {
    return [{ target: '10,000 gateways on one instance (targets measured at N=10,000)', measured: `N=10,000 not in BENCH_WS_SIZES (${settings.wsSizes.join(', ')})`, met: undefined }];
  }
  const step = v.steps.find((st) => st.target === n);
  return [
    { target: '10,000 gateways connected to one instance', measured: `${fmt(v.connected)} connected`, met: v.connected === n },
    {
      target: '< 64 KiB RSS per connection at 1 frame/s per gateway',
      measured: v.rssPerConnAt1Hz !== undefined ? `${kib(v.rssPerConnAt1Hz)} KiB (step ${fmt(v.oneHzStep)}/s)` : 'no such step',
      met: v.rssPerConnAt1Hz !== undefined && v.oneHzStep === n ? v.rssPerConnAt1Hz < 64 * 1024 : undefined,
    },
    {
      target: '10,000 frames/s sustained (1 frame/s per gateway)',
      measured: step ? `${fmt(step.sentPerS)}/s sent — ${step.why}` : 'step not reached',
      met: step ? step.keptUp && !step.clientLimited : false,
    },
    {
      target: 'Snapshot lag p99 < 2 s at 10,000 frames/s',
      measured: step?.lag && step.lag.n > 0 ? `p50 ${fmt(step.lag.p50)} ms, p99 ${fmt(step.lag.p99)} ms (${step.lag.n} samples)` : 'not measured',
      met: step?.lag && step.lag.n > 0 ? step.lag.p99 < 2000 : step ? undefined : false,
    },
    {
      target: 'Sustained rate ≥ 0.3 × bare baseline (N=10,000)',
      measured: b ? `${fmt(v.sustained)} / ${fmt(b.sustained)} = ${fmt(ratio(v.sustained, b.sustained), 2)}${ratioNote(b, v)}` : 'no baseline',
      met: b ? ratio(v.sustained, b.sustained) >= 0.3 : undefined,
    },
  ];
}

if (require.main === module) {
  void standalone('ws', async (ctx): Promise<Section> => {
    const result = await runWs(ctx);
    return { markdown: renderWs(result), data: result };
  });
}
