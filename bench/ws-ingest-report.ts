/** The markdown section and targets of the WebSocket ingest benchmark (bench/ws-ingest.ts). */
import { SERVICE_WS_ENV, settings } from './lib/config';
import { SERVICE_COMMAND } from './lib/processes';
import { fmt, ratio, table } from './lib/stats';
import type { SizeRun, WsResult } from './ws-ingest';

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
