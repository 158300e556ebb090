/** The markdown section and targets of the REST benchmark (bench/rest.ts). */
import { settings } from './lib/config';
import { SERVICE_COMMAND } from './lib/processes';
import { fmt, ratio, table } from './lib/stats';
import type { RestResult, RunStats } from './rest';

const ms = (v: number) => fmt(v, v < 10 ? 1 : 0);
/** CPU time of the server process per completed request, ms (% of a core × 10 / req/s). */
export const cpuPerReq = (s: RunStats) => (s.serverCpu * 10) / s.reqPerS;
const errs = (s: RunStats) => `${s.errors + s.timeouts} / ${s.non2xx}`;

export function renderRest(r: RestResult): string {
  const s = settings;
  const perRun = s.durationS / s.rounds;
  const out: string[] = [];
  out.push('## REST');
  out.push('');
  out.push(
    `The service (\`${SERVICE_COMMAND}\`) and the baseline (\`node -r ts-node/register/transpile-only bench/baseline-http.ts\`: ` +
      'node:http + pg, the same SQL statements in the same order, the same pool size of 10, and the same key lookup: ' +
      'SHA-256 of the key, cached in memory by hash for 30 s) run as separate processes on one database holding an org with ' +
      `${fmt(r.gateways)} gateways, each with a telemetry row. autocannon runs in the benchmark process, on the same 2 cores. ` +
      'GET by id and telemetry rotate over 20 gateway ids spread across the org. The admin key is used for every request. ' +
      `Each figure covers ${fmt(s.durationS)} s per server, as ${s.rounds} interleaved runs of ${fmt(perRun, 1)} s (ABBA order) after a ` +
      `${s.warmupS} s warm-up per server; latency percentiles are merged over the runs. Latency resolution: 1 ms (autocannon).`,
  );
  out.push('');
  out.push(`### Saturated: ${s.restConnections} connections`);
  out.push('');
  out.push(
    table(
      ['Endpoint', 'Baseline req/s', 'Service req/s', 'Ratio (per-round range)', 'Baseline p50 / p99 ms', 'Service p50 / p99 ms', 'Service errors / non-2xx', 'CPU % service / baseline / PostgreSQL (during service)', 'Server CPU ms per request, service / baseline', 'Same JSON'],
      r.endpoints.map((e) => {
        const { baseline: b, service: v } = e.saturated;
        const rr = e.saturated.roundRatios.filter(Number.isFinite);
        return [
          e.label,
          fmt(b.reqPerS),
          fmt(v.reqPerS),
          `**${fmt(e.saturated.ratio, 2)}** (${fmt(Math.min(...rr), 2)}–${fmt(Math.max(...rr), 2)})`,
          `${ms(b.p50)} / ${ms(b.p99)}`,
          `${ms(v.p50)} / ${ms(v.p99)}`,
          errs(v),
          `${fmt(v.serverCpu)} / ${fmt(b.serverCpu)} / ${fmt(v.pgCpu)}`,
          `${fmt(cpuPerReq(v), 2)} / ${fmt(cpuPerReq(b), 2)}`,
          e.samePayload ? 'yes' : '**no**',
        ];
      }),
    ),
  );
  out.push('');
  out.push(`### Fixed offered load: ${s.fixedRate} req/s over ${s.fixedConnections} connections`);
  out.push('');
  out.push(
    table(
      ['Endpoint', 'Baseline achieved req/s', 'Baseline p50 / p99 ms', 'Service achieved req/s', 'Service p50 / p99 / max ms', 'p99 ratio (service / baseline)', 'Service errors / non-2xx', 'Service CPU %'],
      r.endpoints.map((e) => {
        const { baseline: b, service: v } = e.fixed;
        return [
          e.label,
          fmt(b.reqPerS),
          `${ms(b.p50)} / ${ms(b.p99)}`,
          fmt(v.reqPerS),
          `${ms(v.p50)} / **${ms(v.p99)}** / ${ms(v.max)}`,
          fmt(ratio(v.p99, b.p99), 2),
          errs(v),
          fmt(v.serverCpu),
        ];
      }),
    ),
  );
  out.push('');
  if (r.keyLookups) {
    out.push(
      `Key lookups: PostgreSQL counted **${fmt(r.keyLookups.scans)}** scans of \`api_keys\` (pg_stat_user_tables, read after both ` +
        `servers had exited) for ${fmt(r.keyLookups.requests)} authenticated requests sent to the two servers in this section: ` +
        'keys are served from the in-memory cache, not looked up per request.',
    );
    out.push('');
  }
  out.push(
    'CPU % is of one core (200 % = both cores); CPU ms per request is the least noise-sensitive figure here, as it does not ' +
      'depend on how much of the machine the server got. "Errors" are connection errors and timeouts.',
  );
  out.push('');
  out.push('Equivalent autocannon command lines (the benchmark uses the programmatic API; `$KEY` is the admin key, `$ID` rotates over 20 ids):');
  out.push('');
  out.push('```sh');
  out.push(`autocannon -c ${s.restConnections} -d ${fmt(perRun, 1)} -H "Authorization=Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/gateways/$ID"`);
  out.push(`autocannon -c ${s.restConnections} -d ${fmt(perRun, 1)} -H "Authorization=Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/gateways?limit=100"`);
  out.push(`autocannon -c ${s.restConnections} -d ${fmt(perRun, 1)} -H "Authorization=Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/gateways/$ID/telemetry"`);
  out.push(`autocannon -c ${s.fixedConnections} -R ${s.fixedRate} -d ${fmt(perRun, 1)} -H "Authorization=Bearer $KEY" "<same URLs>"`);
  out.push('```');
  if (r.serviceWarnings.length) {
    out.push('');
    out.push('Service warnings/errors logged during the section (first 20):');
    out.push('');
    out.push('```');
    out.push(...r.serviceWarnings.map((l) => l.slice(0, 400)));
    out.push('```');
  }
  return out.join('\n');
}

export function restTargets(r: RestResult) {
  const targets = r.endpoints.flatMap((e) => [
    {
      target: `${e.label}: ≥ 0.6 × baseline throughput at ${settings.restConnections} connections, no errors`,
      measured: `${fmt(e.saturated.ratio, 2)}; errors ${e.saturated.service.errors + e.saturated.service.timeouts}, non-2xx ${e.saturated.service.non2xx}`,
      met: e.saturated.ratio >= 0.6 && e.saturated.service.errors + e.saturated.service.timeouts + e.saturated.service.non2xx === 0,
    },
    {
      target: `${e.label}: p99 < 25 ms at ${settings.fixedRate} req/s over ${settings.fixedConnections} connections`,
      measured: `p99 ${ms(e.fixed.service.p99)} ms at ${fmt(e.fixed.service.reqPerS)} req/s; non-2xx ${e.fixed.service.non2xx}`,
      met: e.fixed.service.p99 < 25 && e.fixed.service.non2xx + e.fixed.service.errors === 0 && e.fixed.service.reqPerS >= 0.95 * settings.fixedRate,
    },
  ]);
  if (r.keyLookups) {
    targets.push({
      target: 'Key lookups do not hit the database on every request',
      measured: `${fmt(r.keyLookups.scans)} api_keys scans for ${fmt(r.keyLookups.requests)} requests`,
      met: r.keyLookups.scans < r.keyLookups.requests / 100,
    });
  }
  return targets;
}
