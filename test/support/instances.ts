import { randomBytes } from 'node:crypto';
import { freePort } from '../../src/database/embedded-postgres';
import type { ProcessResult } from './cli';
import { ServiceProcess, spawnService, waitForExit, waitUntilReady } from './service-process';

/**
 * Instances of the service as separate processes on one database, as an operator runs them.
 * They run with Node's default behaviour on unhandled rejections: one of them ends the process,
 * which the suites check for.
 */
export interface Instance {
  name: string;
  baseUrl: string;
  env: Record<string, string>;
  service: ServiceProcess;
  /** Set once the process has exited. */
  exit?: ProcessResult;
  /** Everything the process printed so far. */
  logs(): string;
}

export const newAdminKey = () => `sk_live_${randomBytes(24).toString('base64url')}`;

/** Short intervals, so that an outage of a few seconds outlasts every periodic task. */
export const FAST_INTERVALS = {
  HEARTBEAT_INTERVAL_S: '1',
  OFFLINE_AFTER_S: '3',
  TELEMETRY_FLUSH_INTERVAL_MS: '200',
  LIVENESS_SWEEP_INTERVAL_MS: '500',
  RESYNC_INTERVAL_S: '1',
  DB_CONNECT_TIMEOUT_MS: '1000',
};

export async function startInstance(name: string, databaseUrl: string, adminKey: string, env: Record<string, string> = {}): Promise<Instance> {
  const fullEnv = { DATABASE_URL: databaseUrl, NOVAVMS_BOOTSTRAP_ADMIN_KEY: adminKey, LOG_LEVEL: 'info', PORT: String(await freePort()), ...env };
  const service = spawnService(fullEnv);
  const instance: Instance = { name, baseUrl: service.baseUrl, env: fullEnv, service, logs: () => `${service.output().stdout}${service.output().stderr}` };
  void service.exited.then((r) => (instance.exit = r));
  await waitUntilReady(service);
  return instance;
}

/** Stops whatever is still running (SIGKILL: the suite is over). */
export async function killAll(instances: (Instance | undefined)[]): Promise<void> {
  await Promise.all(
    instances.map(async (i) => {
      if (!i || i.exit) return;
      i.service.child.kill('SIGKILL');
      await waitForExit(i.service, 5000);
    }),
  );
}

/** What an instance that must still be running looks like: no exit, no unhandled rejection in its output. */
export function expectRunning(instance: Instance): void {
  if (instance.exit) {
    throw new Error(`${instance.name} exited (code ${instance.exit.code}, signal ${instance.exit.signal}):\n${instance.logs().slice(-4000)}`);
  }
  expect(instance.logs()).not.toMatch(/unhandled|UnhandledPromiseRejection/i);
}

/** Fails when any of `secrets` (keys, their hashes) appears in what the instances printed. */
export function expectNoSecretsInLogs(instances: Instance[], secrets: Iterable<string>): void {
  const leaks: string[] = [];
  for (const instance of instances) {
    const logs = instance.logs();
    for (const secret of secrets) if (secret && logs.includes(secret)) leaks.push(`${instance.name}: ${secret.slice(0, 12)}…`);
  }
  expect(leaks).toEqual([]);
}

/** A REST call to an instance with a key, as a client makes it: its status and JSON body (null when it has none). */
export async function callApi(instance: Instance, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${instance.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}
