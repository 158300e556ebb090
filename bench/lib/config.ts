/**
 * Benchmark settings, all from the environment so that the exact command of a run can be
 * written down. Defaults are the sizes of the full run (docs/benchmarks.md).
 */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const OUT_DIR = process.env.BENCH_OUT_DIR ? resolve(process.env.BENCH_OUT_DIR) : join(REPO_ROOT, 'bench', 'out');

export function num(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min} (got ${JSON.stringify(raw)})`);
  return n;
}

function list(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error(`${name} must be a comma-separated list of positive numbers`);
  return values;
}

export const settings = {
  /** PostgreSQL server to use (a superuser URL, any database); unset: an embedded cluster in a temp dir. */
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  /** Measured seconds per server and per measurement (split into interleaved rounds). */
  durationS: num('BENCH_DURATION_S', 15, 1),
  warmupS: num('BENCH_WARMUP_S', 3, 0),
  /** Interleaved rounds the measured time is split into (baseline/service, ABBA order). */
  rounds: Math.round(num('BENCH_ROUNDS', 3, 1)),
  restConnections: Math.round(num('BENCH_REST_CONNECTIONS', 50, 1)),
  fixedConnections: Math.round(num('BENCH_FIXED_CONNECTIONS', 10, 1)),
  fixedRate: num('BENCH_FIXED_RATE', 1000, 1),
  restGateways: Math.round(num('BENCH_REST_GATEWAYS', 10_000, 1)),
  wsSizes: list('BENCH_WS_SIZES', [1000, 5000, 10_000]).map(Math.round),
  /** Total frames/s steps; each N climbs them until the server stops keeping up. */
  wsRates: list('BENCH_WS_RATES', [1000, 2500, 5000, 10_000, 15_000, 20_000, 30_000, 40_000, 60_000, 80_000, 100_000]),
  wsStepS: num('BENCH_WS_STEP_S', 10, 1),
  wsClients: Math.round(num('BENCH_WS_CLIENTS', 2, 1)),
  wsLagSample: Math.round(num('BENCH_WS_LAG_SAMPLE', 10, 0)),
  wsLagPollMs: num('BENCH_WS_LAG_POLL_MS', 250, 20),
  /** A step whose lag p99 exceeds this did not keep up (the service exposes no receive counter). */
  wsMaxLagMs: num('BENCH_WS_MAX_LAG_MS', 5000, 100),
  pairWorkers: Math.round(num('BENCH_PAIR_WORKERS', 4, 1)),
  writeDoc: process.env.BENCH_WRITE_DOC === '1',
};

export type Settings = typeof settings;

/** BENCH_* variables that were set for this run, for the "exact command" of the report. */
export function benchEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('BENCH_') && v !== undefined && k !== 'BENCH_DATABASE_URL') out[k] = v;
  }
  if (process.env.BENCH_DATABASE_URL) out.BENCH_DATABASE_URL = '<postgres url>';
  return out;
}

/** Settings of the service under WebSocket load; the frame limit is raised so that high per-gateway rates are not refused. */
export const SERVICE_WS_ENV = { WS_MAX_FRAMES_PER_S: '1000', WS_FRAME_BURST: '1000' };
