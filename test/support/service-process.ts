import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, ProcessResult, REPO_ROOT } from './cli';

export interface ServiceProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): { stdout: string; stderr: string };
  /** Resolves once the process has exited, with its code and everything it printed. */
  exited: Promise<ProcessResult>;
}

/**
 * Starts `src/main.ts` exactly as an operator would (ts-node), with a controlled environment.
 * `ownProcessGroup` puts it in a process group of its own, as a shell does with a foreground
 * job, so that a signal can be sent to the whole group as a terminal's Ctrl-C is.
 */
export function spawnService(env: Record<string, string | undefined>, options: { ownProcessGroup?: boolean } = {}): ServiceProcess {
  // TEST_SERVICE_NODE_ARGS: extra node flags for the service processes only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.TEST_SERVICE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: cleanEnv({ HOST: '127.0.0.1', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<ProcessResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, baseUrl: `http://127.0.0.1:${env.PORT}`, output: () => ({ stdout, stderr }), exited };
}

/**
 * Polls GET /readyz until it answers 200. Gives up when the process exits or after `limitMs`
 * (a generous bound on start-up, which includes initdb on a new data folder).
 */
export async function waitUntilReady(service: ServiceProcess, limitMs = 60_000): Promise<void> {
  let exited: ProcessResult | undefined;
  void service.exited.then((r) => (exited = r));
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (exited) throw new Error(`service exited (${exited.code}) before it was ready:\n${exited.stderr}\n${exited.stdout}`);
    try {
      const res = await fetch(`${service.baseUrl}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const { stdout, stderr } = service.output();
      throw new Error(`service not ready after ${limitMs} ms:\n${stderr}\n${stdout}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits for the exit, killing the process (by its pid) if it overstays `limitMs`. */
export async function waitForExit(service: ServiceProcess, limitMs = 30_000): Promise<ProcessResult> {
  const timer = setTimeout(() => service.child.kill('SIGKILL'), limitMs);
  try {
    return await service.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** The postmaster pid recorded in a data folder, if the file is there. */
export function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Pids of live processes whose command line mentions `needle` (Linux /proc). */
export function processesMentioning(needle: string): number[] {
  if (!existsSync('/proc')) return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}
