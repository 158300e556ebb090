/**
 * Framework probe (`npm run bench:probe`, and a part of `npm run bench`): how much of the REST gap
 * to the bare baseline is the HTTP platform under NestJS. Three servers on one database answer
 * GET /api/v1/gateways/{id} with the same key cache, SQL and row mapping: the bare baseline
 * (bench/baseline-http.ts), and the minimal NestJS app of bench/framework-probe-server.ts on
 * Express (the service's platform) and on Fastify. Saturated at BENCH_REST_CONNECTIONS, in
 * rotating order over BENCH_ROUNDS rounds. Alone, the result goes to bench/out/framework-probe.md.
 */
import { settings } from './lib/config';
import { Context, deferCleanup, Section, standalone } from './lib/main';
import { createDatabase } from './lib/postgres';
import { ServerProcess, startBenchServer, startService } from './lib/processes';
import { ADMIN_KEY, bootstrapOrg, seedGateways } from './lib/seed';
import { fmt, log, ratio, table } from './lib/stats';
import { combine, Endpoint, measure, Raw, RunStats } from './rest';
import { cpuPerReq } from './rest-report';

const NAMES = ['baseline', 'nest-express', 'nest-fastify'] as const;
type Name = (typeof NAMES)[number];

interface ProbeResult {
  gateways: number;
  stats: Record<Name, RunStats>;
  roundRatios: Record<Name, number[]>;
}

export async function runProbe(ctx: Context): Promise<ProbeResult> {
  const db = await createDatabase(ctx.pg, 'probe');
  deferCleanup(() => db.drop());
  // The service migrates the database and creates the admin key, then leaves.
  const service = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY });
  const org = await bootstrapOrg(db.url, ADMIN_KEY);
  const ids = await seedGateways(db.url, org, settings.restGateways);
  await service.stop();

  const servers = {} as Record<Name, ServerProcess>;
  servers.baseline = await startBenchServer('baseline-http', 'baseline-http.ts', { DATABASE_URL: db.url });
  servers['nest-express'] = await startBenchServer('nest-express', 'framework-probe-server.ts', { DATABASE_URL: db.url, FRAMEWORK: 'express' });
  servers['nest-fastify'] = await startBenchServer('nest-fastify', 'framework-probe-server.ts', { DATABASE_URL: db.url, FRAMEWORK: 'fastify' });
  for (const name of NAMES) deferCleanup(() => servers[name].stop());

  const sample = Array.from({ length: 20 }, (_, i) => ids[Math.floor((i * ids.length) / 20)]);
  const endpoint: Endpoint = { key: 'get', label: 'GET /api/v1/gateways/{id}', paths: sample.map((id) => `/api/v1/gateways/${id}`) };
  const opts = { connections: settings.restConnections };
  for (const name of NAMES) await measure(servers[name], ctx.pg.pids, endpoint, { ...opts, duration: settings.warmupS || 1 });

  const raws: Record<Name, Raw[]> = { baseline: [], 'nest-express': [], 'nest-fastify': [] };
  const perRun = settings.durationS / settings.rounds;
  for (let round = 0; round < settings.rounds; round++) {
    // Rotate the order so that no server always runs first or last in a round.
    const order = NAMES.map((_, i) => NAMES[(i + round) % NAMES.length]);
    for (const name of order) {
      const raw = await measure(servers[name], ctx.pg.pids, endpoint, { ...opts, duration: perRun });
      raws[name].push(raw);
      log(`  probe round ${round + 1} ${name}: ${fmt((raw.result.totalCompletedRequests ?? 0) / raw.result.duration)} req/s, non-2xx ${raw.result.non2xx}`);
    }
  }
  const stats = {} as Record<Name, RunStats>;
  for (const name of NAMES) stats[name] = combine(raws[name], servers[name].baseUrl, settings.restConnections);
  const roundRatios = {} as Record<Name, number[]>;
  for (const name of NAMES) roundRatios[name] = stats[name].perRoundReqPerS.map((v, i) => ratio(v, stats.baseline.perRoundReqPerS[i]));
  return { gateways: ids.length, stats, roundRatios };
}

export function renderProbe(r: ProbeResult): string {
  const rows = NAMES.map((name) => {
    const s = r.stats[name];
    const range = r.roundRatios[name];
    return [
      name,
      fmt(s.reqPerS),
      `**${fmt(ratio(s.reqPerS, r.stats.baseline.reqPerS), 2)}** (${fmt(Math.min(...range), 2)}–${fmt(Math.max(...range), 2)})`,
      `${fmt(s.p50, 1)} / ${fmt(s.p99, 1)}`,
      fmt(s.serverCpu),
      fmt(cpuPerReq(s), 3),
      `${s.errors + s.timeouts} / ${s.non2xx}`,
    ];
  });
  return [
    '## Framework probe: GET /api/v1/gateways/{id} on bare node:http, NestJS + Express, NestJS + Fastify',
    '',
    `An org of ${fmt(r.gateways)} gateways; ${settings.restConnections} connections; ${fmt(settings.durationS)} s per server in ${settings.rounds} rounds of rotating order. ` +
      'The NestJS servers are bench/framework-probe-server.ts: the same key cache, SQL and row mapping as the baseline and the service, a uuid pipe, nothing else.',
    '',
    table(['Server', 'req/s', 'Ratio to baseline (per-round range)', 'p50 / p99 ms', 'Server CPU %', 'Server CPU ms per request', 'errors / non-2xx'], rows),
  ].join('\n');
}

if (require.main === module) {
  void standalone('framework-probe', async (ctx): Promise<Section> => {
    const result = await runProbe(ctx);
    return { markdown: renderProbe(result), data: result };
  });
}
