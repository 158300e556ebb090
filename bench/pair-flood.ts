/**
 * Pair flood (npm run bench:pair-flood): one address floods POST /pair with unknown codes over
 * BENCH_FLOOD_CONNECTIONS connections (a separate autocannon process, so the flood's own CPU does
 * not slow the measuring client), while GET /api/v1/gateways/{id} is measured at a fixed
 * BENCH_FLOOD_GET_RATE over BENCH_FIXED_CONNECTIONS connections. Rounds alternate quiet and
 * flooded (ABBA) on one service instance; the quiet rounds are the baseline. Target: the GET's
 * p99 under the flood within 2× of its quiet p99.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, settings } from './lib/config';
import { Context, deferCleanup, Section, standalone } from './lib/main';
import { createDatabase } from './lib/postgres';
import { SERVICE_COMMAND, startService } from './lib/processes';
import { Target } from './lib/report';
import { ADMIN_KEY, bootstrapOrg, seedGateways } from './lib/seed';
import { fmt, log, ratio, sleep, table } from './lib/stats';

const FLOOD_CONNECTIONS = Math.round(Number(process.env.BENCH_FLOOD_CONNECTIONS ?? 200));
const GET_RATE = Number(process.env.BENCH_FLOOD_GET_RATE ?? 200);

interface Phase {
  p50: number;
  p99: number;
  max: number;
  reqPerS: number;
  non2xx: number;
}

export interface PairFloodResult {
  quiet: Phase;
  flooded: Phase;
  p99Ratio: number;
  floodPerS: number;
  floodStatuses: Record<string, number>;
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

/** The flood, as its own process: autocannon's command line, JSON result on stdout. */
function flood(url: string, seconds: number): Promise<{ perS: number; statuses: Record<string, number> }> {
  const args = [
    join(REPO_ROOT, 'node_modules', 'autocannon', 'autocannon.js'),
    '-c', String(FLOOD_CONNECTIONS), '-d', String(seconds), '-j',
    '-m', 'POST', '-H', 'Content-Type=application/json', '-b', JSON.stringify({ pairing_code: 'ZZZZZ2' }),
    `${url}/api/v1/gateways/pair`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const r = JSON.parse(out) as { requests: { average: number }; statusCodeStats?: Record<string, { count: number }> };
        const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
        resolve({ perS: r.requests.average, statuses });
      } catch (e) {
        reject(new Error(`flood output unreadable: ${String(e)} ${out.slice(0, 200)}`));
      }
    });
  });
}

function merge(results: autocannon.Result[], url: string): Phase {
  const merged = autocannon.aggregateResult(results, { url, connections: settings.fixedConnections });
  const completed = results.reduce((a, r) => a + (r.totalCompletedRequests ?? 0), 0);
  const seconds = results.reduce((a, r) => a + r.duration, 0);
  return { p50: merged.latency.p50, p99: merged.latency.p99, max: merged.latency.max, reqPerS: completed / seconds, non2xx: results.reduce((a, r) => a + r.non2xx, 0) };
}

export async function runPairFlood(ctx: Context): Promise<PairFloodResult> {
  const db = await createDatabase(ctx.pg, 'pairflood');
  deferCleanup(() => db.drop());
  const service = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY });
  deferCleanup(() => service.stop());
  const org = await bootstrapOrg(db.url, ADMIN_KEY);
  const ids = await seedGateways(db.url, org, 100);
  const get = (seconds: number) =>
    cannon({
      url: service.baseUrl,
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
      requests: ids.slice(0, 20).map((id) => ({ method: 'GET', path: `/api/v1/gateways/${id}` })),
      connections: settings.fixedConnections,
      overallRate: GET_RATE,
      duration: seconds,
      skipAggregateResult: true,
    });
  log(`pair flood: warm-up ${settings.warmupS}s`);
  await get(Math.max(1, settings.warmupS));
  const perRound = Math.max(2, settings.durationS / settings.rounds);
  const quiet: autocannon.Result[] = [];
  const flooded: autocannon.Result[] = [];
  const floods: { perS: number; statuses: Record<string, number> }[] = [];
  for (let round = 0; round < settings.rounds * 2; round++) {
    const withFlood = round % 4 === 1 || round % 4 === 2;
    if (withFlood) {
      const running = flood(service.baseUrl, perRound + 2);
      await sleep(1000); // the flood is at full strength before the measurement starts
      flooded.push(await get(perRound));
      floods.push(await running);
    } else {
      quiet.push(await get(perRound));
    }
    log(`  round ${round + 1}: ${withFlood ? 'flooded' : 'quiet'} p99 ${merge([(withFlood ? flooded : quiet).at(-1)!], service.baseUrl).p99} ms`);
  }
  const q = merge(quiet, service.baseUrl);
  const f = merge(flooded, service.baseUrl);
  const statuses: Record<string, number> = {};
  for (const fl of floods) for (const [k, v] of Object.entries(fl.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return { quiet: q, flooded: f, p99Ratio: ratio(f.p99, q.p99), floodPerS: floods.reduce((a, fl) => a + fl.perS, 0) / floods.length, floodStatuses: statuses };
}

export function pairFloodTargets(r: PairFloodResult): Target[] {
  return [{ target: 'GET by id p99 during a pair flood from one address ≤ 2× its quiet p99', measured: `${fmt(r.p99Ratio, 2)}× (${fmt(r.flooded.p99)} vs ${fmt(r.quiet.p99)} ms)`, met: r.p99Ratio <= 2 }];
}

export function renderPairFlood(r: PairFloodResult): string {
  return [
    '## Pair flood from one address',
    '',
    `One address sends POST /api/v1/gateways/pair with an unknown code over ${FLOOD_CONNECTIONS} connections as fast as the service answers ` +
      `(autocannon in its own process), while GET /api/v1/gateways/{id} runs at a fixed ${fmt(GET_RATE)} req/s over ${settings.fixedConnections} connections. ` +
      `Quiet and flooded rounds alternate (ABBA, ${settings.rounds * 2} rounds); the quiet rounds are the baseline. Service: \`${SERVICE_COMMAND}\`, default guess limits.`,
    '',
    table(
      ['GET by id', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx'],
      [
        ['quiet', fmt(r.quiet.reqPerS), fmt(r.quiet.p50), fmt(r.quiet.p99), fmt(r.quiet.max), fmt(r.quiet.non2xx)],
        ['during the flood', fmt(r.flooded.reqPerS), fmt(r.flooded.p50), fmt(r.flooded.p99), fmt(r.flooded.max), fmt(r.flooded.non2xx)],
      ],
    ),
    '',
    `p99 under the flood / quiet p99: **${fmt(r.p99Ratio, 2)}**. The flood itself: ${fmt(r.floodPerS)} pair calls/s, answered ` +
      `${Object.entries(r.floodStatuses).map(([k, v]) => `${k} ×${fmt(v)}`).join(', ')} (the first PAIR_GUESS_LIMIT_PER_ADDRESS guesses are 404s; every later call is refused from memory).`,
  ].join('\n');
}

if (require.main === module) {
  void standalone('pair-flood', async (ctx): Promise<Section> => {
    const r = await runPairFlood(ctx);
    return { markdown: renderPairFlood(r), data: r };
  });
}
