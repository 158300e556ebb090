import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of this process minus everything that selects a database or a port. */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'TEST_DATABASE_URL', 'NOVAVMS_TEST_ADMIN_URL', 'PORT', 'HOST', 'EMBEDDED_PG_DIR', 'EMBEDDED_PG_PORT', 'NOVAVMS_BOOTSTRAP_ADMIN_KEY']) {
    delete env[key];
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** Runs a TypeScript entry point of the repository under ts-node, as `npm run admin` does. */
export function runTs(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', script, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
}

/** `npm run admin -- <args>` against the given database. */
export function runAdminCli(args: string[], databaseUrl: string): Promise<ProcessResult> {
  return runTs('src/cli/admin.ts', args, cleanEnv({ DATABASE_URL: databaseUrl }));
}
