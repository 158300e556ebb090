/**
 * Remote commands (npm run bench:commands): one service instance, BENCH_COMMAND_GATEWAYS
 * simulated gateways connected with a session declaring commands.v1, each answering every
 * `command` frame at once with its ack and result (network.probe).
 * - Throughput: BENCH_COMMAND_BURST commands created through the REST API by
 *   BENCH_COMMAND_CLIENTS concurrent clients, spread over the gateways; commands/s = burst /
 *   (last receipt at a gateway − first POST). Each is created, claimed, sent, acknowledged,
 *   finished, committed with its event, and receipted. Baseline, in alternating rounds (ABBA):
 *   as many authenticated `GET /api/v1/gateways/{id}` (one indexed read each) at the same
 *   concurrency: what one REST round trip with a database read costs here.
 * - Latency: BENCH_COMMAND_RATE commands/s for BENCH_COMMAND_LATENCY_S seconds, each its own
 *   POST; latency = the gateway's receipt (`command_result_received`) − the POST's start.
 * Targets: ≥ 500 commands/s; p99 < 500 ms at 50 commands/s.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { num, settings } from './lib/config';
import { Context, deferCleanup, Section, standalone } from './lib/main';
import { createDatabase, withClient } from './lib/postgres';
import { SERVICE_COMMAND, startService } from './lib/processes';
import { Target } from './lib/report';
import { ADMIN_KEY, bootstrapOrg, PairedGateway, seedPairedGateways } from './lib/seed';
import { atRate, fmt, log, ratio, sleep, summarize, Summary, table } from './lib/stats';

const GATEWAYS = Math.round(num('BENCH_COMMAND_GATEWAYS', 500, 1));
const BURST = Math.round(num('BENCH_COMMAND_BURST', 5000, 1));
const CLIENTS = Math.round(num('BENCH_COMMAND_CLIENTS', 32, 1));
const RATE = num('BENCH_COMMAND_RATE', 50, 0.1);
const LATENCY_S = num('BENCH_COMMAND_LATENCY_S', 30, 1);
const PROBE = { type: 'network.probe', params: { host: '127.0.0.1', port: 554 } };

export interface CommandBenchResult {
  gateways: number;
  burst: number;
  service: { perS: number; perRound: number[]; refused: number; eventsPerCommand: number };
  baseline: { perS: number; perRound: number[] };
  throughputRatio: number;
  latency: Summary & { rate: number; achievedRate: number; missing: number };
}

/** Gateways that answer every command at once; `receipts` holds when each command's receipt came. */
async function connectGateways(baseUrl: string, gateways: PairedGateway[]) {
  const receipts = new Map<string, number>();
  const sockets: WebSocket[] = [];
  await Promise.all(
    gateways.map(
      (g) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/gateways/${g.id}/ws`, { headers: { Authorization: `Bearer ${g.apiKey}` }, perMessageDeflate: false });
          sockets.push(ws);
          ws.on('error', reject);
          ws.on('message', (raw) => {
            const { event, data } = JSON.parse(raw.toString()) as { event: string; data: any };
            if (event === 'hello') {
              ws.send(JSON.stringify({ event: 'session', data: { boot_id: randomUUID(), capabilities: ['commands.v1'] } }));
              resolve();
            } else if (event === 'command') {
              ws.send(JSON.stringify({ event: 'command_ack', data: { id: data.id, status: 'accepted' } }));
              ws.send(JSON.stringify({ event: 'command_result', data: { id: data.id, status: 'succeeded', result: { reachable: true, latency_ms: 0.2 } } }));
            } else if (event === 'command_result_received') {
              if (!receipts.has(data.id)) receipts.set(data.id, performance.now());
            } else if (event === 'error') reject(new Error(`error frame: ${JSON.stringify(data)}`));
          });
        }),
    ),
  );
  const beat = setInterval(() => sockets.forEach((ws) => ws.readyState === ws.OPEN && ws.send('{"event":"heartbeat","data":{}}')), 10_000);
  deferCleanup(() => {
    clearInterval(beat);
    sockets.forEach((ws) => ws.terminate());
  });
  return { receipts };
}

const headers = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };

async function post(baseUrl: string, gatewayId: string): Promise<{ status: number; id?: string }> {
  const res = await fetch(`${baseUrl}/api/v1/gateways/${gatewayId}/commands`, { method: 'POST', headers, body: JSON.stringify(PROBE) });
  const body = (await res.json()) as { id?: string };
  return { status: res.status, id: body.id };
}

/** `count` calls of `call(i)` by CLIENTS concurrent clients. */
async function concurrently(count: number, call: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) await call(next++);
    }),
  );
}

async function waitReceipts(receipts: Map<string, number>, ids: string[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = ids.filter((id) => !receipts.has(id)).length;
    if (missing === 0 || Date.now() > deadline) return missing;
    await sleep(20);
  }
}

/** One burst: commands/s from the first POST to the last receipt; a 429 (the gateway's 16 unfinished) is retried. */
async function serviceBurst(baseUrl: string, gateways: PairedGateway[], receipts: Map<string, number>): Promise<{ perS: number; refused: number }> {
  const ids: string[] = [];
  let refused = 0;
  const started = performance.now();
  await concurrently(BURST, async (i) => {
    for (;;) {
      const r = await post(baseUrl, gateways[i % gateways.length].id);
      if (r.status === 201) return void ids.push(r.id!);
      if (r.status !== 429) throw new Error(`POST answered ${r.status}`);
      refused++;
      await sleep(20);
    }
  });
  const missing = await waitReceipts(receipts, ids, 120_000);
  if (missing) throw new Error(`${missing} of ${ids.length} commands were never receipted`);
  const last = Math.max(...ids.map((id) => receipts.get(id)!));
  return { perS: ids.length / ((last - started) / 1000), refused };
}

async function baselineBurst(baseUrl: string, gateways: PairedGateway[]): Promise<number> {
  const started = performance.now();
  await concurrently(BURST, async (i) => {
    const res = await fetch(`${baseUrl}/api/v1/gateways/${gateways[i % gateways.length].id}`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET answered ${res.status}`);
  });
  return BURST / ((performance.now() - started) / 1000);
}

async function latencyRun(baseUrl: string, gateways: PairedGateway[], receipts: Map<string, number>): Promise<CommandBenchResult['latency']> {
  const total = Math.round(RATE * LATENCY_S);
  const startedAt = new Map<string, number>();
  const achievedRate = await atRate(total, RATE, (i) => {
    const at = performance.now();
    return post(baseUrl, gateways[i % gateways.length].id).then((r) => {
      if (r.status !== 201) throw new Error(`POST answered ${r.status}`);
      startedAt.set(r.id!, at);
    });
  });
  const ids = [...startedAt.keys()];
  const missing = await waitReceipts(receipts, ids, 60_000);
  const latencies = ids.filter((id) => receipts.has(id)).map((id) => receipts.get(id)! - startedAt.get(id)!);
  return { ...summarize(latencies), rate: RATE, achievedRate, missing };
}

export async function runCommands(ctx: Context): Promise<CommandBenchResult> {
  const db = await createDatabase(ctx.pg, 'commands');
  deferCleanup(() => db.drop());
  const service = await startService({ databaseUrl: db.url, adminKey: ADMIN_KEY });
  deferCleanup(() => service.stop());
  const org = await bootstrapOrg(db.url, ADMIN_KEY);
  const gateways = await seedPairedGateways(db.url, org, GATEWAYS);
  const { receipts } = await connectGateways(service.baseUrl, gateways);
  // The sessions' capabilities are written by the telemetry flush: wait for every one.
  for (;;) {
    const { rows } = await withClient(db.url, (c) => c.query<{ n: number }>(`SELECT count(*)::int AS n FROM gateway_telemetry WHERE 'commands.v1' = ANY(capabilities)`));
    if (rows[0].n === GATEWAYS) break;
    await sleep(200);
  }
  log(`commands: ${fmt(GATEWAYS)} gateways connected; warm-up`);
  await serviceBurst(service.baseUrl, gateways, receipts);
  await baselineBurst(service.baseUrl, gateways);
  const servicePerS: number[] = [];
  const baselinePerS: number[] = [];
  let refused = 0;
  for (let round = 0; round < settings.rounds * 2; round++) {
    const isService = round % 4 === 1 || round % 4 === 2;
    if (isService) {
      const b = await serviceBurst(service.baseUrl, gateways, receipts);
      servicePerS.push(b.perS);
      refused += b.refused;
    } else baselinePerS.push(await baselineBurst(service.baseUrl, gateways));
    log(`  round ${round + 1}: ${isService ? 'commands' : 'baseline GETs'} ${fmt((isService ? servicePerS : baselinePerS).at(-1))}/s`);
  }
  log(`commands: latency at ${fmt(RATE)}/s for ${fmt(LATENCY_S)} s`);
  const latency = await latencyRun(service.baseUrl, gateways, receipts);
  const { rows } = await withClient(db.url, (c) =>
    c.query<{ commands: number; events: number; unfinished: number }>(
      `SELECT (SELECT count(*)::int FROM gateway_commands) AS commands,
              (SELECT count(*)::int FROM gateway_events WHERE type LIKE 'command.%') AS events,
              (SELECT count(*)::int FROM gateway_commands WHERE status <> 'succeeded') AS unfinished`,
    ),
  );
  if (rows[0].unfinished > 0) throw new Error(`${rows[0].unfinished} commands did not succeed`);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    gateways: GATEWAYS,
    burst: BURST,
    service: { perS: mean(servicePerS), perRound: servicePerS, refused, eventsPerCommand: rows[0].events / rows[0].commands },
    baseline: { perS: mean(baselinePerS), perRound: baselinePerS },
    throughputRatio: ratio(mean(servicePerS), mean(baselinePerS)),
    latency,
  };
}

export function commandTargets(r: CommandBenchResult): Target[] {
  return [
    { target: 'Commands one instance sends and completes ≥ 500/s', measured: `${fmt(r.service.perS)}/s (${fmt(r.throughputRatio, 2)} of authenticated GETs)`, met: r.service.perS >= 500 },
    { target: 'Command create → result p99 < 500 ms at 50/s', measured: `p50 ${fmt(r.latency.p50)} ms, p99 ${fmt(r.latency.p99)} ms`, met: r.latency.p99 < 500 && r.latency.missing === 0 },
  ];
}

export function renderCommands(r: CommandBenchResult): string {
  const l = r.latency;
  return [
    '## Commands',
    '',
    `One service instance (\`${SERVICE_COMMAND}\`, every setting at its default) and ${fmt(r.gateways)} simulated gateways on one process, each connected with a session declaring commands.v1 and answering every command frame at once with its ack and result. ` +
      `Throughput: ${fmt(r.burst)} network.probe commands created by ${CLIENTS} concurrent REST clients; commands/s = ${fmt(r.burst)} / (last receipt at a gateway − first POST), so each is created, claimed, sent, acknowledged, finished, committed with its event and receipted. ` +
      `Baseline, in alternating rounds (ABBA, ${settings.rounds * 2} rounds): as many authenticated GET /api/v1/gateways/{id} at the same concurrency.`,
    '',
    table(
      ['', 'per second (mean)', 'per round'],
      [
        ['commands (POST → receipt at the gateway)', fmt(r.service.perS), r.service.perRound.map((v) => fmt(v)).join(', ')],
        ['baseline (authenticated GET of a gateway)', fmt(r.baseline.perS), r.baseline.perRound.map((v) => fmt(v)).join(', ')],
      ],
    ),
    '',
    `Commands / GETs: **${fmt(r.throughputRatio, 2)}**. POSTs answered 429 (a gateway at 16 unfinished) and retried: ${fmt(r.service.refused)}. Events per command in the log: ${fmt(r.service.eventsPerCommand, 2)}; every command ended succeeded.`,
    '',
    `Latency: ${fmt(l.rate)} commands/s (achieved ${fmt(l.achievedRate, 1)}/s) for ${fmt(LATENCY_S)} s, each its own POST; latency = receipt at the gateway − POST start.`,
    '',
    table(['commands', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'never receipted'], [[fmt(l.n), fmt(l.p50), fmt(l.p90), fmt(l.p99), fmt(l.max), fmt(l.missing)]]),
  ].join('\n');
}

if (require.main === module) {
  void standalone('commands', async (ctx): Promise<Section> => {
    const r = await runCommands(ctx);
    return { markdown: renderCommands(r), data: r };
  });
}
