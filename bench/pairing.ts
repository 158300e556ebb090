/**
 * Pairing (npm run bench:pairing): generate-pairing-code + pair round trips per second, with
 * BENCH_PAIR_WORKERS concurrent workers (each holds at most one active code, under the org's
 * limit of 5), against the service and against the same transactions in bench/baseline-http.ts,
 * on the same database, in interleaved rounds (ABBA). The guess limits are raised on both so
 * that the per-address limiter never refuses; its read of the address's guesses still runs.
 */
import { settings } from './lib/config';
import { Context, deferCleanup, Section, standalone } from './lib/main';
import { createDatabase } from './lib/postgres';
import { CpuMeter } from './lib/proc';
import { ServerProcess, SERVICE_COMMAND, startBenchServer, startService } from './lib/processes';
import { ADMIN_KEY, bootstrapOrg } from './lib/seed';
import { fmt, log, ratio, sleep, summarize, Summary, table } from './lib/stats';

const PAIR_ENV = { PAIR_GUESS_LIMIT_PER_ADDRESS: '1000000', PAIR_GUESS_LIMIT_TOTAL: '10000000' };

interface Raw {
  roundTrips: number;
  seconds: number;
  generateMs: number[];
  pairMs: number[];
  roundTripMs: number[];
  failures: Record<string, number>;
  serverCpu: number;
  pgCpu: number;
}

export interface PairStats {
  perS: number;
  roundTrips: number;
  generate: Summary;
  pair: Summary;
  roundTrip: Summary;
  failures: Record<string, number>;
  serverCpu: number;
  pgCpu: number;
  perRound: number[];
}

export interface PairingResult {
  workers: number;
  baseline: PairStats;
  service: PairStats;
  ratio: number;
  roundRatios: number[];
}

async function post(base: string, path: string, body: unknown, key?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function measure(server: ServerProcess, siteId: string, seconds: number, pgPids: () => number[]): Promise<Raw> {
  const raw: Raw = { roundTrips: 0, seconds: 0, generateMs: [], pairMs: [], roundTripMs: [], failures: {}, serverCpu: 0, pgCpu: 0 };
  const fail = (what: string) => (raw.failures[what] = (raw.failures[what] ?? 0) + 1);
  const cpu = new CpuMeter(() => [server.pid]).begin();
  const pgCpu = new CpuMeter(pgPids).begin();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let n = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const a = performance.now();
      const gen = await post(server.baseUrl, '/api/v1/gateways/generate-pairing-code', { name: `pair bench ${n++}`, site_id: siteId }, ADMIN_KEY);
      const b = performance.now();
      if (gen.status !== 201) {
        fail(`generate ${gen.status} ${String(gen.body.error)}`);
        await sleep(50);
        continue;
      }
      const paired = await post(server.baseUrl, '/api/v1/gateways/pair', { pairing_code: gen.body.pairing_code, version: 'bench-1.0', local_ip: '192.0.2.10' });
      const c = performance.now();
      if (paired.status !== 200) {
        fail(`pair ${paired.status} ${String(paired.body.error)}`);
        continue;
      }
      raw.generateMs.push(b - a);
      raw.pairMs.push(c - b);
      raw.roundTripMs.push(c - a);
      raw.roundTrips++;
    }
  };
  await Promise.all(Array.from({ length: settings.pairWorkers }, worker));
  raw.seconds = (performance.now() - t0) / 1000;
  raw.serverCpu = cpu.end();
  raw.pgCpu = pgCpu.end();
  return raw;
}

function combine(raws: Raw[]): PairStats {
  const seconds = raws.reduce((a, r) => a + r.seconds, 0);
  const failures: Record<string, number> = {};
  for (const r of raws) for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
  const weighted = (f: (r: Raw) => number) => raws.reduce((a, r) => a + f(r) * r.seconds, 0) / seconds;
  return {
    perS: raws.reduce((a, r) => a + r.roundTrips, 0) / seconds,
    roundTrips: raws.reduce((a, r) => a + r.roundTrips, 0),
    generate: summarize(raws.flatMap((r) => r.generateMs)),
    pair: summarize(raws.flatMap((r) => r.pairMs)),
    roundTrip: summarize(raws.flatMap((r) => r.roundTripMs)),
    failures,
    serverCpu: weighted((r) => r.serverCpu),
    pgCpu: weighted((r) => r.pgCpu),
    perRound: raws.map((r) => r.roundTrips / r.seconds),
  };
}

export async function runPairing(ctx: Context): Promise<PairingResult> {
  const db = await createDatabase(ctx.pg, 'pairing');
  const dropDb = deferCleanup(() => db.drop());
  const service = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY, env: PAIR_ENV });
  const stopService = deferCleanup(() => service.stop());
  const org = await bootstrapOrg(db.url, ADMIN_KEY);
  const baseline = await startBenchServer('baseline-http', 'baseline-http.ts', { DATABASE_URL: db.url, ...PAIR_ENV });
  const stopBaseline = deferCleanup(() => baseline.stop());
  const servers = { baseline, service };
  log(`pairing: ${settings.pairWorkers} workers`);
  if (settings.warmupS > 0) for (const s of [baseline, service]) await measure(s, org.siteId, settings.warmupS, ctx.pg.pids);
  const raws = { baseline: [] as Raw[], service: [] as Raw[] };
  for (let round = 0; round < settings.rounds; round++) {
    const order: ('baseline' | 'service')[] = round % 2 === 0 ? ['baseline', 'service'] : ['service', 'baseline'];
    for (const which of order) {
      const raw = await measure(servers[which], org.siteId, settings.durationS / settings.rounds, ctx.pg.pids);
      raws[which].push(raw);
      log(`  pairing round ${round + 1} ${which}: ${fmt(raw.roundTrips / raw.seconds, 1)} round trips/s, failures ${JSON.stringify(raw.failures)}`);
    }
  }
  await stopBaseline();
  await stopService();
  await dropDb();
  const b = combine(raws.baseline);
  const v = combine(raws.service);
  return { workers: settings.pairWorkers, baseline: b, service: v, ratio: ratio(v.perS, b.perS), roundRatios: v.perRound.map((x, i) => ratio(x, b.perRound[i])) };
}

const ms = (s: Summary) => `${fmt(s.p50, 1)} / ${fmt(s.p99, 1)}`;
const failures = (f: Record<string, number>) => (Object.keys(f).length ? Object.entries(f).map(([k, n]) => `${k}: ${n}`).join(', ') : 'none');

export function renderPairing(r: PairingResult): string {
  const s = settings;
  const rr = r.roundRatios.filter(Number.isFinite);
  return [
    '## Pairing',
    '',
    `${r.workers} concurrent workers, each looping POST /api/v1/gateways/generate-pairing-code (admin key) then POST /api/v1/gateways/pair ` +
      `with the code it got, for ${fmt(s.durationS)} s per server in ${s.rounds} interleaved rounds after a ${s.warmupS} s warm-up. ` +
      `Service: \`${Object.entries(PAIR_ENV).map(([k, v]) => `${k}=${v}`).join(' ')} ${SERVICE_COMMAND}\`. Baseline: bench/baseline-http.ts ` +
      'running the same transactions (org row lock, active-code count, gateway insert, code draw under an advisory lock; guess ' +
      'reserve/release around the redeeming transaction) with pg directly. Latencies are client-side (fetch), in ms.',
    '',
    table(
      ['Server', 'Round trips/s', 'Ratio (per-round range)', 'generate p50 / p99 ms', 'pair p50 / p99 ms', 'round trip p50 / p99 ms', 'Failures', 'Server CPU %', 'PostgreSQL CPU %'],
      [
        ['baseline', fmt(r.baseline.perS, 1), '1', ms(r.baseline.generate), ms(r.baseline.pair), ms(r.baseline.roundTrip), failures(r.baseline.failures), fmt(r.baseline.serverCpu), fmt(r.baseline.pgCpu)],
        [
          'service',
          fmt(r.service.perS, 1),
          `**${fmt(r.ratio, 2)}** (${fmt(Math.min(...rr), 2)}–${fmt(Math.max(...rr), 2)})`,
          ms(r.service.generate),
          ms(r.service.pair),
          ms(r.service.roundTrip),
          failures(r.service.failures),
          fmt(r.service.serverCpu),
          fmt(r.service.pgCpu),
        ],
      ],
    ),
  ].join('\n');
}

export function pairingTargets(r: PairingResult) {
  return [
    {
      target: 'Pairing: generate + pair round trips/s reported (no numeric target), without failures',
      measured: `${fmt(r.service.perS, 1)}/s (${fmt(r.ratio, 2)} × baseline); failures: ${failures(r.service.failures)}`,
      met: Object.keys(r.service.failures).length === 0 && r.service.roundTrips > 0,
    },
  ];
}

if (require.main === module) {
  void standalone('pairing', async (ctx): Promise<Section> => {
    const result = await runPairing(ctx);
    return { markdown: renderPairing(result), data: result };
  });
}
