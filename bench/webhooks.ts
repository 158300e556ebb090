/**
 * Webhooks (npm run bench:webhooks): one service instance delivers gateway events to a local
 * receiver (in this process, answering 204 at once).
 * - Throughput: one SQL statement renames BENCH_WEBHOOK_BURST gateways (that many
 *   gateway.updated events, committed together); events/s = burst / (last arrival − commit).
 *   Baseline, in the same rounds (ABBA): bench/webhook-baseline.ts POSTs as many signed bodies
 *   with the service's own sender code at WEBHOOK_CONCURRENCY, with no database in between.
 * - Latency: BENCH_WEBHOOK_RATE renames per second for BENCH_WEBHOOK_LATENCY_S seconds, one
 *   statement each; latency = arrival at the receiver − the statement's commit.
 * Defaults of the service (EVENTS_SEQUENCE_INTERVAL_MS, WEBHOOK_POLL_INTERVAL_MS,
 * WEBHOOK_CONCURRENCY) except http:// and loopback targets, which the local receiver needs.
 * Targets: ≥ 500 events/s; p99 < 2 s at 100 events/s.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Pool } from 'pg';
import { num, REPO_ROOT, settings } from './lib/config';
import { Context, deferCleanup, Section, standalone } from './lib/main';
import { createDatabase, withClient } from './lib/postgres';
import { CpuMeter } from './lib/proc';
import { ServerProcess, SERVICE_COMMAND, startService } from './lib/processes';
import { Target } from './lib/report';
import { ADMIN_KEY, bootstrapOrg, seedGateways } from './lib/seed';
import { atRate, fmt, log, ratio, sleep, summarize, Summary, table } from './lib/stats';

const BURST = Math.round(num('BENCH_WEBHOOK_BURST', 10_000, 1));
const RATE = num('BENCH_WEBHOOK_RATE', 100, 0.1);
const LATENCY_S = num('BENCH_WEBHOOK_LATENCY_S', 30, 1);
/** The service's default WEBHOOK_CONCURRENCY (src/config/config.ts); the baseline uses the same. */
const CONCURRENCY = 32;
const SERVICE_ENV = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };

export interface WebhookBenchResult {
  burst: number;
  service: { perS: number; perRound: number[]; duplicates: number; failedAttempts: number; pgCpuMsPerEvent: number };
  baseline: { perS: number; perRound: number[]; failed: number };
  throughputRatio: number;
  latency: Summary & { rate: number; achievedRate: number; missing: number };
}

/** The receiver: when each renamed name arrived (first time), and how often one arrived again. */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  let duplicates = 0;
  let baseline = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(204).end();
      if (req.url === '/baseline') return void baseline++;
      const to = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { changes?: { name?: { to?: string } } } }).data?.changes?.name?.to;
      if (to === undefined) return;
      if (arrivals.has(to)) duplicates++;
      else arrivals.set(to, at);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  deferCleanup(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { url: (path: string) => `http://127.0.0.1:${port}${path}`, arrivals, duplicates: () => duplicates };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Waits until every event so far is numbered and dispatched (the cursor has passed it). */
async function waitDispatched(pool: Pool): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await pool.query<{ done: boolean }>(
      `SELECT NOT EXISTS (SELECT 1 FROM gateway_events WHERE seq IS NULL)
              AND (SELECT last_seq FROM webhook_dispatch_cursor WHERE id = 1) >= COALESCE((SELECT max(seq) FROM gateway_events), 0) AS done`,
    );
    if (rows[0].done) return;
    if (Date.now() > deadline) throw new Error('events were not dispatched within 120 s');
    await sleep(200);
  }
}

async function waitArrivals(rx: Receiver, names: string[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = names.filter((n) => !rx.arrivals.has(n)).length;
    if (missing === 0 || Date.now() > deadline) return missing;
    await sleep(50);
  }
}

/**
 * One burst through the service: events/s from its commit to the last arrival, and PostgreSQL's
 * CPU time per event over the same span (the rename that writes the event, its numbering,
 * dispatch, lease and logged attempt; embedded cluster only, NaN otherwise).
 */
async function serviceBurst(ctx: Context, pool: Pool, rx: Receiver, gatewayIds: string[], round: number): Promise<{ perS: number; pgCpuMsPerEvent: number }> {
  const prefix = `burst ${round}`;
  const names = gatewayIds.map((id) => `${prefix} ${id}`);
  const pg = new CpuMeter(ctx.pg.pids).begin();
  const started = performance.now();
  const { rowCount } = await pool.query(`UPDATE gateways SET name = $1 || ' ' || id WHERE id = ANY($2::uuid[])`, [prefix, gatewayIds]);
  const committed = performance.now();
  if (rowCount !== gatewayIds.length) throw new Error(`renamed ${rowCount} of ${gatewayIds.length} gateways`);
  const missing = await waitArrivals(rx, names, 300_000);
  if (missing) throw new Error(`${missing} of ${names.length} events of ${prefix} never arrived`);
  const last = Math.max(...names.map((n) => rx.arrivals.get(n)!));
  const pgCpu = pg.end();
  const pgCpuMsPerEvent = ctx.pg.embedded ? ((pgCpu / 100) * (performance.now() - started)) / names.length : Number.NaN;
  return { perS: names.length / ((last - committed) / 1000), pgCpuMsPerEvent };
}

/** One baseline run, as its own process: events/s as it measured them, and its failures. */
function baselineBurst(url: string): Promise<{ perS: number; failed: number }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(REPO_ROOT, 'bench', 'webhook-baseline.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_BASELINE_URL: url, BENCH_BASELINE_COUNT: String(BURST), BENCH_BASELINE_CONCURRENCY: String(CONCURRENCY) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`webhook baseline exited ${code}`));
      const r = JSON.parse(out) as { sent: number; failed: number; ms: number };
      resolve({ perS: r.sent / (r.ms / 1000), failed: r.failed });
    });
  });
}

/** RATE renames per second, each committed on its own; latency of each to its arrival. */
async function latencyRun(pool: Pool, rx: Receiver, gatewayIds: string[]): Promise<WebhookBenchResult['latency']> {
  const total = Math.round(RATE * LATENCY_S);
  const committed = new Map<string, number>();
  const achievedRate = await atRate(total, RATE, (i) => {
    const name = `latency ${i}`;
    return pool.query('UPDATE gateways SET name = $1 WHERE id = $2', [name, gatewayIds[i % gatewayIds.length]]).then(() => committed.set(name, performance.now()));
  });
  const names = [...committed.keys()];
  const missing = await waitArrivals(rx, names, 60_000);
  const latencies = names.filter((n) => rx.arrivals.has(n)).map((n) => rx.arrivals.get(n)! - committed.get(n)!);
  return { ...summarize(latencies), rate: RATE, achievedRate, missing };
}

async function createWebhook(service: ServerProcess, url: string): Promise<void> {
  const res = await fetch(`${service.baseUrl}/api/v1/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url, event_types: ['gateway.updated'], description: 'benchmark receiver' }),
  });
  if (res.status !== 201) throw new Error(`creating the webhook: ${res.status} ${await res.text()}`);
}

export async function runWebhooks(ctx: Context): Promise<WebhookBenchResult> {
  const db = await createDatabase(ctx.pg, 'webhooks');
  deferCleanup(() => db.drop());
  const service = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY, env: SERVICE_ENV });
  deferCleanup(() => service.stop());
  const org = await bootstrapOrg(db.url, ADMIN_KEY);
  const gatewayIds = await seedGateways(db.url, org, BURST);
  const pool = new Pool({ connectionString: db.url, max: 8 });
  deferCleanup(() => pool.end());
  const rx = await startReceiver();
  // The seeding's own events pass the dispatch cursor before the webhook exists.
  await waitDispatched(pool);
  await createWebhook(service, rx.url('/service'));

  log(`webhooks: warm-up burst of ${fmt(Math.min(BURST, 1000))}`);
  await serviceBurst(ctx, pool, rx, gatewayIds.slice(0, Math.min(BURST, 1000)), -1);
  await baselineBurst(rx.url('/baseline'));
  const servicePerS: number[] = [];
  const pgCpuMsPerEvent: number[] = [];
  const baselinePerS: number[] = [];
  let baselineFailed = 0;
  for (let round = 0; round < settings.rounds * 2; round++) {
    const service = round % 4 === 1 || round % 4 === 2;
    if (service) {
      const burst = await serviceBurst(ctx, pool, rx, gatewayIds, round);
      servicePerS.push(burst.perS);
      pgCpuMsPerEvent.push(burst.pgCpuMsPerEvent);
    } else {
      const b = await baselineBurst(rx.url('/baseline'));
      baselinePerS.push(b.perS);
      baselineFailed += b.failed;
    }
    log(`  round ${round + 1}: ${service ? 'service' : 'baseline'} ${fmt((service ? servicePerS : baselinePerS).at(-1))} events/s`);
  }
  log(`webhooks: latency at ${fmt(RATE)} events/s for ${fmt(LATENCY_S)} s`);
  const latency = await latencyRun(pool, rx, gatewayIds);
  const { rows } = await withClient(db.url, (c) => c.query<{ failed: number }>("SELECT count(*)::int AS failed FROM webhook_deliveries WHERE status = 'failed'"));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    burst: BURST,
    service: { perS: mean(servicePerS), perRound: servicePerS, duplicates: rx.duplicates(), failedAttempts: rows[0].failed, pgCpuMsPerEvent: mean(pgCpuMsPerEvent) },
    baseline: { perS: mean(baselinePerS), perRound: baselinePerS, failed: baselineFailed },
    throughputRatio: ratio(mean(servicePerS), mean(baselinePerS)),
    latency,
  };
}

export function webhookTargets(r: WebhookBenchResult): Target[] {
  return [
    { target: 'Webhook events delivered by one instance ≥ 500/s', measured: `${fmt(r.service.perS)}/s (${fmt(r.throughputRatio, 2)} of the sender alone)`, met: r.service.perS >= 500 },
    { target: 'Webhook event → delivery p99 < 2 s at 100 events/s', measured: `p50 ${fmt(r.latency.p50)} ms, p99 ${fmt(r.latency.p99)} ms`, met: r.latency.p99 < 2000 && r.latency.missing === 0 },
  ];
}

export function renderWebhooks(r: WebhookBenchResult): string {
  const l = r.latency;
  return [
    '## Webhooks',
    '',
    `One service instance (\`${SERVICE_COMMAND}\` plus WEBHOOK_ALLOW_HTTP=true WEBHOOK_ALLOW_PRIVATE_TARGETS=true for the local receiver; ` +
      'every other setting at its default) delivers gateway.updated events to a receiver on 127.0.0.1 that answers 204 at once. ' +
      `Throughput: one SQL statement renames ${fmt(r.burst)} gateways (${fmt(r.burst)} events committed together); events/s = ${fmt(r.burst)} / ` +
      '(last arrival − commit), so it includes numbering, dispatch, leasing and writing every attempt to the delivery log. ' +
      `Baseline, in alternating rounds (ABBA, ${settings.rounds * 2} rounds): the service's own sender and signing code POSTs as many bodies at the same concurrency (${CONCURRENCY}) from a process with no database.`,
    '',
    table(
      ['', 'events/s (mean)', 'per round'],
      [
        ['service (event committed → delivered and logged)', fmt(r.service.perS), r.service.perRound.map((v) => fmt(v)).join(', ')],
        ['baseline (sender alone)', fmt(r.baseline.perS), r.baseline.perRound.map((v) => fmt(v)).join(', ')],
      ],
    ),
    '',
    `Service / baseline: **${fmt(r.throughputRatio, 2)}**. PostgreSQL CPU per event during the service's bursts (written by the rename, numbered, dispatched, leased, its attempt logged): ${Number.isNaN(r.service.pgCpuMsPerEvent) ? '– (external server)' : `${fmt(r.service.pgCpuMsPerEvent * 1000)} µs`}. Arrivals seen twice: ${fmt(r.service.duplicates)}; failed attempts in the delivery log: ${fmt(r.service.failedAttempts)}; baseline failures: ${fmt(r.baseline.failed)}.`,
    '',
    `Latency: ${fmt(l.rate)} renames/s (achieved ${fmt(l.achievedRate, 1)}/s) for ${fmt(LATENCY_S)} s, each its own statement; latency = arrival − commit.`,
    '',
    table(
      ['events', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'never arrived'],
      [[fmt(l.n), fmt(l.p50), fmt(l.p90), fmt(l.p99), fmt(l.max), fmt(l.missing)]],
    ),
  ].join('\n');
}

if (require.main === module) {
  void standalone('webhooks', async (ctx): Promise<Section> => {
    const r = await runWebhooks(ctx);
    return { markdown: renderWebhooks(r), data: r };
  });
}
