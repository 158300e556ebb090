import { freePort } from '../src/database/embedded-postgres';
import { checkedFetch } from './support/checked-fetch';
import { cleanEnv, runTs } from './support/cli';
import { bearer } from './support/factories';
import { ServiceProcess, spawnService, waitForExit, waitUntilReady } from './support/service-process';
import { createTestDatabase, dropTestDatabase } from './support/test-db';

jest.setTimeout(180_000);

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const KEY = 'sk_live_[A-Za-z0-9_-]{43}';
const TIME = String.raw`\[\d{2}:\d{2}:\d{2}\.\d{3}\]`;

/**
 * The service as a process on an empty database, its stdout a pipe as under a process manager:
 * JSON lines by default, readable lines and the framed admin key with LOG_FORMAT=pretty.
 */
describe('log format of the service process', () => {
  const started: ServiceProcess[] = [];
  const databases: string[] = [];

  /** Starts on a fresh, empty database without NOVAVMS_BOOTSTRAP_ADMIN_KEY, so a key is made and shown. */
  async function start(logFormat: string): Promise<ServiceProcess> {
    const db = await createTestDatabase();
    databases.push(db.name);
    const service = spawnService({ DATABASE_URL: db.url, PORT: String(await freePort()), LOG_LEVEL: 'info', LOG_FORMAT: logFormat });
    started.push(service);
    await waitUntilReady(service);
    return service;
  }

  async function stop(service: ServiceProcess): Promise<string> {
    service.child.kill('SIGTERM');
    const result = await waitForExit(service);
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
    return result.stdout;
  }

  afterAll(async () => {
    for (const s of started) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(started.map((s) => waitForExit(s, 5_000)));
    for (const name of databases) await dropTestDatabase(name);
  });

  it('LOG_FORMAT=pretty: readable lines, and the admin key in a frame with a command that works', async () => {
    const service = await start('pretty');
    const shown = service.output().stdout;
    const block = shown.match(
      new RegExp(
        String.raw`\n═{40,}\n  Admin API key \(shown once — store it now\)\n\n    (${KEY})\n\n  org   (${UUID})\n  site  (${UUID})\n\n  Try it:\n    curl -H "Authorization: Bearer (${KEY})" (\S+)\n═{40,}\n`,
      ),
    );
    expect(block).not.toBeNull();
    const [, key, orgId, siteId, curlKey, curlUrl] = block!;
    expect(curlKey).toBe(key);
    expect(curlUrl).toBe(`${service.baseUrl}/api/v1/gateways`);

    // What the block says is what the service made: the command answers with the key.
    const gateways = await checkedFetch(curlUrl, { headers: bearer(key) });
    expect(gateways.status).toBe(200);
    const sites = await checkedFetch(`${service.baseUrl}/api/v1/sites`, { headers: { ...bearer(key), 'X-Request-Id': 'log-format-1' } });
    expect(sites.body.data.map((s: { id: string }) => s.id)).toEqual([siteId]);

    const stdout = await stop(service);
    // The key is in the frame only (its own line and the command), never in a log line.
    expect(stdout.split(key)).toHaveLength(3);
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    const logLines = lines.filter((l) => /^\[/.test(l));
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of lines) expect(line).not.toMatch(/^\s*\{/);
    // A pipe gets no colour codes.
    expect(stdout).not.toContain('\u001b[');
    expect(logLines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^${TIME} WARN: \\[OrgsService\\] empty database: created org ${orgId}, site ${siteId} and an admin key:$`),
        ),
        expect.stringMatching(new RegExp(`^${TIME} INFO: \\[Main\\] NovaVMS gateway service listening on http://127\\.0\\.0\\.1:\\d+$`)),
        expect.stringMatching(new RegExp(`^${TIME} INFO: request completed GET /api/v1/sites 200 \\d+ms reqId=log-format-1$`)),
        expect.stringMatching(new RegExp(`^${TIME} INFO: \\[Main\\] SIGTERM received: shutting down$`)),
      ]),
    );
    // Written just before process.exit, and not lost.
    expect(logLines[logLines.length - 1]).toMatch(new RegExp(`^${TIME} INFO: \\[Main\\] stopped$`));
    // The frame comes right after the line that announces it, among the start-up lines, not
    // above them.
    const announced = lines.findIndex((l) => l.includes('and an admin key:'));
    expect(lines[announced + 1]).toMatch(/^═+$/);
    const listening = lines.findIndex((l) => l.includes('gateway service listening on'));
    const routes = lines.findIndex((l) => l.includes('[RoutesResolver]'));
    expect(routes).toBeGreaterThanOrEqual(0);
    expect(announced).toBeGreaterThan(routes);
    expect(announced).toBeLessThan(listening);
  });

  it('stdout not a terminal and LOG_FORMAT=auto: JSON lines, the admin key line as before', async () => {
    const service = await start('auto');
    const stdout = await stop(service);
    const lines = stdout.split('\n').filter((l) => l !== '');
    const entries = lines.map((l) => JSON.parse(l) as { level: number; msg: string; context?: string });
    const bootstrap = entries.filter((e) => e.msg.startsWith('empty database'));
    expect(bootstrap).toHaveLength(1);
    expect(bootstrap[0]).toMatchObject({ level: 40, context: 'OrgsService' });
    expect(bootstrap[0].msg).toMatch(
      new RegExp(`^empty database: created org ${UUID}, site ${UUID} and admin key ${KEY} — store it now, it is not shown again$`),
    );
    expect(stdout).not.toContain('═');
    expect(entries[entries.length - 1]).toMatchObject({ level: 30, context: 'Main', msg: 'stopped' });
  });

  it('exits 1 naming LOG_FORMAT when its value is not one it knows', async () => {
    const result = await runTs('src/main.ts', [], cleanEnv({ LOG_FORMAT: 'fancy', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('LOG_FORMAT');
    expect(result.stderr).toContain('"fancy"');
    expect(result.stdout).toBe('');
  });
});
