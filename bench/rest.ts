/**
 * REST: the service (dist/main.js) against bench/baseline-http.ts on the same database, with
 * autocannon's programmatic API (npm run bench:rest).
 *
 * Per endpoint: a warm-up on each server, then BENCH_DURATION_S of saturated load (-c 50) per
 * server split into BENCH_ROUNDS interleaved runs (ABBA order, so drift hits both alike), then
 * the same at a fixed offered load (-c 10 -R 1000). Latency percentiles are merged over the
 * rounds from autocannon's histograms (coordinated-omission corrected at a fixed rate).
 */
import autocannon from 'autocannon';
import { settings } from './lib/config';
import { Context, deferCleanup, Section, standalone } from './lib/main';
import { createDatabase } from './lib/postgres';
import { CpuMeter, selfCpuMs } from './lib/proc';
import { ServerProcess, startBenchServer, startService } from './lib/processes';
import { ADMIN_KEY, bootstrapOrg, seedGateways } from './lib/seed';
import { fmt, log, ratio, sleep } from './lib/stats';
import { withClient } from './lib/postgres';
import { renderRest, restTargets } from './rest-report';

export { renderRest, restTargets };

export interface Endpoint {
  key: 'get' | 'list' | 'telemetry';
  label: string;
  paths: string[];
}

export interface RunStats {
  reqPerS: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  serverCpu: number;
  pgCpu: number;
  loadGenCpu: number;
  perRoundReqPerS: number[];
}

export interface EndpointResult {
  key: Endpoint['key'];
  label: string;
  paths: number;
  samePayload: boolean;
  saturated: { baseline: RunStats; service: RunStats; ratio: number; roundRatios: number[] };
  fixed: { baseline: RunStats; service: RunStats };
}

export interface RestResult {
  gateways: number;
  endpoints: EndpointResult[];
  keyLookups: { scans: number; requests: number } | undefined;
  serviceWarnings: string[];
}

const AUTH = { Authorization: `Bearer ${ADMIN_KEY}` };

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

export interface Raw {
  result: autocannon.Result;
  serverCpu: number;
  pgCpu: number;
  loadGenCpu: number;
  seconds: number;
}

export async function measure(server: ServerProcess, pgPids: () => number[], endpoint: Endpoint, opts: Partial<autocannon.Options>): Promise<Raw> {
  const cpu = new CpuMeter(() => [server.pid]).begin();
  const pgCpu = new CpuMeter(pgPids).begin();
  const self0 = selfCpuMs();
  const t0 = performance.now();
  const result = await cannon({
    url: server.baseUrl,
    headers: AUTH,
    requests: endpoint.paths.map((path) => ({ method: 'GET', path })),
    skipAggregateResult: true,
    timeout: 10,
    ...opts,
  });
  const seconds = (performance.now() - t0) / 1000;
  return { result, serverCpu: cpu.end(), pgCpu: pgCpu.end(), loadGenCpu: ((selfCpuMs() - self0) / (seconds * 1000)) * 100, seconds };
}

export function combine(raws: Raw[], url: string, connections: number): RunStats {
  const merged = autocannon.aggregateResult(
    raws.map((r) => r.result),
    { url, connections },
  );
  const completed = raws.reduce((a, r) => a + (r.result.totalCompletedRequests ?? 0), 0);
  const seconds = raws.reduce((a, r) => a + r.result.duration, 0);
  const weighted = (f: (r: Raw) => number) => raws.reduce((a, r) => a + f(r) * r.seconds, 0) / raws.reduce((a, r) => a + r.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const r of raws) for (const [code, s] of Object.entries(r.result.statusCodeStats)) statusCodes[code] = (statusCodes[code] ?? 0) + s.count;
  return {
    reqPerS: completed / seconds,
    p50: merged.latency.p50,
    p90: merged.latency.p90,
    p99: merged.latency.p99,
    max: merged.latency.max,
    requests: completed,
    errors: raws.reduce((a, r) => a + r.result.errors, 0),
    timeouts: raws.reduce((a, r) => a + r.result.timeouts, 0),
    non2xx: raws.reduce((a, r) => a + r.result.non2xx, 0),
    statusCodes,
    serverCpu: weighted((r) => r.serverCpu),
    pgCpu: weighted((r) => r.pgCpu),
    loadGenCpu: weighted((r) => r.loadGenCpu),
    perRoundReqPerS: raws.map((r) => (r.result.totalCompletedRequests ?? 0) / r.result.duration),
  };
}

/** Rounds in ABBA order: baseline, service, service, baseline, ... */
async function interleaved(
  servers: { baseline: ServerProcess; service: ServerProcess },
  pgPids: () => number[],
  endpoint: Endpoint,
  opts: Partial<autocannon.Options>,
): Promise<{ baseline: Raw[]; service: Raw[] }> {
  const out = { baseline: [] as Raw[], service: [] as Raw[] };
  for (let round = 0; round < settings.rounds; round++) {
    const order: ('baseline' | 'service')[] = round % 2 === 0 ? ['baseline', 'service'] : ['service', 'baseline'];
    for (const which of order) {
      const raw = await measure(servers[which], pgPids, endpoint, opts);
      out[which].push(raw);
      log(
        `  ${endpoint.key} ${opts.overallRate ? `fixed ${opts.overallRate}/s` : 'saturated'} round ${round + 1} ${which}: ` +
          `${fmt((raw.result.totalCompletedRequests ?? 0) / raw.result.duration)} req/s, non-2xx ${raw.result.non2xx}, errors ${raw.result.errors}`,
      );
      await sleep(500);
    }
  }
  return out;
}

async function samePayload(a: ServerProcess, b: ServerProcess, path: string): Promise<boolean> {
  const get = async (s: ServerProcess) => {
    const res = await fetch(`${s.baseUrl}${path}`, { headers: AUTH });
    return { status: res.status, body: await res.json() };
  };
  const [x, y] = await Promise.all([get(a), get(b)]);
  const same = x.status === 200 && y.status === 200 && JSON.stringify(x.body) === JSON.stringify(y.body);
  if (!same) log(`  payloads differ for ${path}: service ${x.status} ${JSON.stringify(x.body).slice(0, 300)} / baseline ${y.status} ${JSON.stringify(y.body).slice(0, 300)}`);
  return same;
}

async function apiKeyScans(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(
      `SELECT (coalesce(idx_scan, 0) + coalesce(seq_scan, 0))::text AS n FROM pg_stat_user_tables WHERE relname = 'api_keys'`,
    );
    return Number(rows[0]?.n ?? 0);
  });
}

export async function runRest(ctx: Context): Promise<RestResult> {
  const { pg } = ctx;
  const db = await createDatabase(pg, 'rest');
  const dropDb = deferCleanup(() => db.drop());
  const service = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY });
  const stopService = deferCleanup(() => service.stop());
  const org = await bootstrapOrg(db.url, ADMIN_KEY);
  log(`seeding ${settings.restGateways} gateways with telemetry`);
  const ids = await seedGateways(db.url, org, settings.restGateways);
  const baseline = await startBenchServer('baseline-http', 'baseline-http.ts', { DATABASE_URL: db.url });
  const stopBaseline = deferCleanup(() => baseline.stop());
  const servers = { baseline, service };

  // 20 gateways spread over the org, requested in rotation by every connection.
  const sample = Array.from({ length: Math.min(20, ids.length) }, (_, i) => ids[Math.floor((i * ids.length) / Math.min(20, ids.length))]);
  const endpoints: Endpoint[] = [
    { key: 'get', label: 'GET /api/v1/gateways/{id}', paths: sample.map((id) => `/api/v1/gateways/${id}`) },
    { key: 'list', label: 'GET /api/v1/gateways?limit=100', paths: ['/api/v1/gateways?limit=100'] },
    { key: 'telemetry', label: 'GET /api/v1/gateways/{id}/telemetry', paths: sample.map((id) => `/api/v1/gateways/${id}/telemetry`) },
  ];

  const scansBefore = await apiKeyScans(db.url);
  let requests = 0;
  const results: EndpointResult[] = [];
  const perRun = settings.durationS / settings.rounds;
  for (const endpoint of endpoints) {
    log(`REST ${endpoint.label}`);
    const same = (await Promise.all(endpoint.paths.slice(0, 3).map((p) => samePayload(service, baseline, p)))).every(Boolean);
    if (settings.warmupS > 0) {
      for (const s of [baseline, service]) {
        const w = await measure(s, pg.pids, endpoint, { connections: settings.restConnections, duration: settings.warmupS });
        requests += w.result.totalRequests ?? 0;
      }
    }
    const sat = await interleaved(servers, pg.pids, endpoint, { connections: settings.restConnections, duration: perRun });
    const fixed = await interleaved(servers, pg.pids, endpoint, {
      connections: settings.fixedConnections,
      overallRate: settings.fixedRate,
      duration: perRun,
    });
    for (const r of [...sat.baseline, ...sat.service, ...fixed.baseline, ...fixed.service]) requests += r.result.totalRequests ?? 0;
    const satB = combine(sat.baseline, baseline.baseUrl, settings.restConnections);
    const satS = combine(sat.service, service.baseUrl, settings.restConnections);
    results.push({
      key: endpoint.key,
      label: endpoint.label,
      paths: endpoint.paths.length,
      samePayload: same,
      saturated: {
        baseline: satB,
        service: satS,
        ratio: ratio(satS.reqPerS, satB.reqPerS),
        roundRatios: satS.perRoundReqPerS.map((s, i) => ratio(s, satB.perRoundReqPerS[i])),
      },
      fixed: {
        baseline: combine(fixed.baseline, baseline.baseUrl, settings.fixedConnections),
        service: combine(fixed.service, service.baseUrl, settings.fixedConnections),
      },
    });
  }
  const warnings = service
    .output()
    .split('\n')
    .filter((l) => /"level":(40|50|60)/.test(l))
    .slice(0, 20);
  // Backends flush their table statistics when they exit: stop both servers, then read.
  await stopBaseline();
  await stopService();
  await sleep(1000);
  const scansAfter = await apiKeyScans(db.url).catch(() => Number.NaN);
  await dropDb();
  return {
    gateways: ids.length,
    endpoints: results,
    keyLookups: Number.isFinite(scansAfter) ? { scans: scansAfter - scansBefore, requests } : undefined,
    serviceWarnings: warnings,
  };
}

if (require.main === module) {
  void standalone('rest', async (ctx): Promise<Section> => {
    const result = await runRest(ctx);
    return { markdown: renderRest(result), data: result };
  });
}
