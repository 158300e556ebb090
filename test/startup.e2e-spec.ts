import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/database/embedded-postgres';
import { runTs, cleanEnv } from './support/cli';
import { bearer } from './support/factories';
import {
  isAlive,
  postmasterPid,
  processesMentioning,
  ServiceProcess,
  spawnService,
  waitForExit,
  waitUntilReady,
} from './support/service-process';
import { checkedFetch } from './support/checked-fetch';

jest.setTimeout(180_000);

const newAdminKey = () => `sk_live_${randomBytes(24).toString('base64url')}`;

const listSites = (baseUrl: string, key: string) => checkedFetch(`${baseUrl}/api/v1/sites`, { headers: bearer(key) });

/**
 * The real service as a process: embedded PostgreSQL in a fresh folder, bootstrap, graceful
 * SIGTERM, restart on the same data.
 */
describe('service process start-up and shutdown', () => {
  let root: string;
  let dataDir: string;
  const started: ServiceProcess[] = [];
  const postmasters = new Set<number>();
  const firstKey = newAdminKey();
  let firstSiteId: string;

  async function start(adminKey: string): Promise<ServiceProcess> {
    const service = spawnService({
      EMBEDDED_PG_DIR: dataDir,
      PORT: String(await freePort()),
      NOVAVMS_BOOTSTRAP_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'info',
    });
    started.push(service);
    await waitUntilReady(service);
    const pid = postmasterPid(dataDir);
    if (pid) postmasters.add(pid);
    return service;
  }

  async function stopGracefully(service: ServiceProcess): Promise<void> {
    const pid = postmasterPid(dataDir);
    expect(pid).toBeDefined();
    expect(isAlive(pid!)).toBe(true);
    expect(processesMentioning(dataDir)).toContain(pid);
    service.child.kill('SIGTERM');
    const result = await waitForExit(service);
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
    // PostgreSQL went down with the service: no pid file, no process left on this data folder.
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    expect(isAlive(pid!)).toBe(false);
    expect(processesMentioning(dataDir)).toEqual([]);
  }

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'novavms-startup-'));
    dataDir = join(root, 'postgres');
  });

  afterAll(() => {
    // Whatever a failed test left behind, by pid: the services we spawned, then their PostgreSQL.
    for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    for (const pid of postmasters) if (isAlive(pid)) process.kill(pid, 'SIGQUIT');
    rmSync(root, { recursive: true, force: true });
  });

  it('starts on a fresh data folder, bootstraps, and stops cleanly on SIGTERM', async () => {
    expect(existsSync(dataDir)).toBe(false);
    const service = await start(firstKey);
    const { status, body } = await listSites(service.baseUrl, firstKey);
    expect(status).toBe(200);
    expect(body).toEqual({ data: [{ id: expect.any(String), name: 'Default site', created_at: expect.stringMatching(/Z$/) }], total: 1 });
    firstSiteId = body.data[0].id;
    await stopGracefully(service);
    const { stdout } = service.output();
    expect(stdout).toMatch(/empty database: created org/);
    // The key came from the environment: it is never printed.
    expect(stdout + service.output().stderr).not.toContain(firstKey);
  });

  it('restarts on the same folder with its data and without a second bootstrap', async () => {
    expect(firstSiteId).toBeDefined();
    const otherKey = newAdminKey();
    const service = await start(otherKey);
    const old = await listSites(service.baseUrl, firstKey);
    expect(old.status).toBe(200);
    expect(old.body.data.map((s: { id: string }) => s.id)).toEqual([firstSiteId]);
    expect(old.body.total).toBe(1);
    // The new bootstrap key was not installed: the database was not empty.
    const fresh = await listSites(service.baseUrl, otherKey);
    expect(fresh.status).toBe(401);
    await stopGracefully(service);
    expect(service.output().stdout).not.toMatch(/empty database: created org/);
  });

  it('exits 1 naming the variable when the configuration is bad, and touches no data folder', async () => {
    const untouched = join(root, 'never-created');
    const result = await runTs(
      'src/main.ts',
      [],
      cleanEnv({ PORT: 'abc', EMBEDDED_PG_DIR: untouched, NOVAVMS_BOOTSTRAP_ADMIN_KEY: newAdminKey() }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(untouched)).toBe(false);
  });

  it('does not print a secret from a bad configuration', async () => {
    const result = await runTs('src/main.ts', [], cleanEnv({ DATABASE_URL: 'mysql://root:s3cr3t-pw@db/x' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr + result.stdout).not.toContain('s3cr3t-pw');
  });
});
