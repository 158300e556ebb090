/**
 * Servers under test, each in its own process: the service from dist/main.js (npm run build),
 * and the baselines in bench/ (ts-node, transpile-only).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-postgres';
import { REPO_ROOT } from './config';
import { log, sleep } from './stats';

export interface ServerProcess {
  name: string;
  pid: number;
  port: number;
  baseUrl: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Everything the service reads from the environment is set explicitly, never inherited. */
const SERVICE_KEYS = /^(PORT|HOST|DATABASE_URL|EMBEDDED_PG_|DB_|NOVAVMS_|PAIR|TURN_|HEARTBEAT_|OFFLINE_|TELEMETRY_|WS_|WEBHOOK_|EVENTS_|METRICS_|LOG_LEVEL|LOG_FORMAT|TRUST_PROXY)/;

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!SERVICE_KEYS.test(k) && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, ...extra };
}

export const SERVICE_ENTRY = join(REPO_ROOT, 'dist', 'main.js');

/** Fails early when dist/ is missing, and warns when src/ is newer than it. */
export function checkBuild(): void {
  if (!existsSync(SERVICE_ENTRY)) throw new Error(`${SERVICE_ENTRY} is missing: run npm run build first (npm run bench does)`);
  const built = statSync(SERVICE_ENTRY).mtimeMs;
  const src = statSync(join(REPO_ROOT, 'src', 'main.ts')).mtimeMs;
  if (src > built) log('warning: src/main.ts is newer than dist/main.js; the benchmark runs the built code');
}

async function spawnServer(
  name: string,
  args: string[],
  env: Record<string, string>,
  readyPath: string,
  port: number,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (c: Buffer) => {
    output += c.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.on('close', (code) => {
      exited = code;
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited (${exited}) before it was ready:\n${output.slice(-4000)}`);
    try {
      const res = await fetch(`${baseUrl}${readyPath}`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready after 90 s:\n${output.slice(-4000)}`);
    }
    await sleep(200);
  }
  return {
    name,
    pid: child.pid!,
    port,
    baseUrl,
    child,
    output: () => output,
    stop: async () => {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

export interface ServiceOptions {
  databaseUrl: string;
  adminKey: string;
  env?: Record<string, string>;
}

/** The service as it runs in production: node dist/main.js, LOG_LEVEL=warn. */
export async function startService(options: ServiceOptions): Promise<ServerProcess> {
  checkBuild();
  const port = await freePort();
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl,
    NOVAVMS_BOOTSTRAP_ADMIN_KEY: options.adminKey,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  // BENCH_SERVICE_NODE_ARGS: extra node flags for the service only, e.g. "--cpu-prof --cpu-prof-dir=bench/out/prof".
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const server = await spawnServer('service', [...nodeArgs, SERVICE_ENTRY], env, '/readyz', port);
  log(`service: pid ${server.pid} on ${server.baseUrl}`);
  return server;
}

/** A bench/*.ts server run with ts-node (transpile-only); it must answer GET readyPath with 200. */
export async function startBenchServer(name: string, script: string, env: Record<string, string>, readyPath = '/readyz'): Promise<ServerProcess> {
  const port = await freePort();
  const server = await spawnServer(
    name,
    ['-r', 'ts-node/register/transpile-only', join(REPO_ROOT, 'bench', script)],
    { ...env, PORT: String(port) },
    readyPath,
    port,
  );
  log(`${name}: pid ${server.pid} on ${server.baseUrl}`);
  return server;
}

/** The exact environment (secrets hidden) of the service, for the report. */
export const SERVICE_COMMAND = 'PORT=<free> HOST=127.0.0.1 DATABASE_URL=<bench db> NOVAVMS_BOOTSTRAP_ADMIN_KEY=<bench key> LOG_LEVEL=warn node dist/main.js';
