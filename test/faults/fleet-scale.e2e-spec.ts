import { Client } from 'pg';
import { Fleet, FleetGatewayRef } from '../../bench/lib/fleet';
import { seedOrgs, seedPairedGateways, SeededOrg } from '../../bench/lib/seed';
import { summarize } from '../../bench/lib/stats';
import { expectRunning, Instance, killAll, newAdminKey, startInstance } from '../support/instances';
import { OwnCluster, startOwnCluster } from '../support/own-cluster';
import { waitForExit } from '../support/service-process';
import { sleep } from '../support/sim-fleet';
import { eventually } from '../support/ws-client';

jest.setTimeout(420_000);

/**
 * Fleet scale (docs/architecture.md, "Connect path"; figures in docs/operations.md, "Fleet scale"), run alone with `npm run test:fleet`, at the production heartbeat: 10 s, offline after
 * 30 s, the default pool of 10 connections. Instances are processes on a PostgreSQL of the
 * suite's own; the fleet runs in child processes (bench/fleet-process.ts) and behaves as the
 * protocol asks firmware to: a frame at hello and every 10 s, a reconnect to the next instance
 * within 0–3 s of a 1001 close.
 */
const ORGS = 12;
const PER_ORG = 1000;
const GATEWAYS = ORGS * PER_ORG;
const ENV = { HEARTBEAT_INTERVAL_S: '10' };
/**
 * Every gateway back within 10 s of the SIGTERM, for both moves: 6,000 gateways to an instance
 * that holds 6,000, then all 12,000 to one instance at once. Measured on this 2-core machine,
 * with the instances, the fleet's processes and PostgreSQL sharing the cores and nothing else
 * running: 3.9–4.2 s and 5.7–7.5 s in four runs (docs/operations.md, "Fleet scale"); with other work on the
 * machine the 12,000 move has taken up to 21 s, so run it alone.
 */
const BACK_WITHIN_MS = 10_000;

const getJson = async (url: string, key: string) => {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as any };
};

/** Exit 0 after SIGTERM; otherwise the end of the instance's log says why. */
async function expectCleanExit(instance: Instance): Promise<void> {
  const exit = await waitForExit(instance.service, 30_000);
  if (exit.code !== 0) throw new Error(`${instance.name} exited ${exit.code} after SIGTERM:\n${instance.logs().slice(-4000)}`);
}

/** Every event of one type in one org, walking the cursor. */
async function eventsOfType(via: Instance, key: string, type: string): Promise<{ gateway_id: string }[]> {
  const out: { gateway_id: string }[] = [];
  for (let after = '0'; ; ) {
    const { body } = await getJson(`${via.baseUrl}/api/v1/events?type=${type}&limit=1000&after=${after}`, key);
    out.push(...body.data);
    after = body.next_cursor;
    if (body.data.length < 1000) return out;
  }
}

/** Polls, as a dashboard would, how many gateways each org lists as online; records every shortfall. */
function watchOnline(urls: () => string[], orgs: SeededOrg[], expected: number) {
  const shortfalls: { org: number; online: number; at: number }[] = [];
  const answers: Record<number, number> = {};
  let running = true;
  const loop = (async () => {
    for (let round = 0; running; round++) {
      await Promise.all(
        orgs.map(async (org, i) => {
          const list = urls();
          try {
            const { status, body } = await getJson(`${list[(round + i) % list.length]}/api/v1/gateways?status=online&limit=1`, org.adminKey);
            answers[status] = (answers[status] ?? 0) + 1;
            if (status === 200 && body.total !== expected) shortfalls.push({ org: i, online: body.total, at: Date.now() });
          } catch {
            answers[0] = (answers[0] ?? 0) + 1; // the instance polled is stopping: not the service's answer
          }
        }),
      );
      await sleep(500);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { shortfalls, answers };
    },
  };
}

/** What the database says about deadlocks and statements cancelled since `start`. */
async function deadlocks(databaseUrl: string): Promise<number> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ n: string }>('SELECT deadlocks::text AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0].n);
  } finally {
    await db.end();
  }
}

/**
 * Log lines of trouble with the database: deadlocks, cancelled statements, waits for a pool
 * connection, and statements near the statement timeout (15 s): 5 s or more. Statements of 1–2 s
 * do happen here while the fleet, both instances and PostgreSQL share 2 cores; they are counted
 * and printed (slowStatements), not failed.
 */
const DB_TROUBLE = /deadlock detected|canceling statement due to statement timeout|slow query \((?:[5-9]\d{3}|\d{5,}) ms\)|timeout exceeded when trying to connect/;
/** The statements the instances logged as slow (1 s or more): duration and the statement's start. */
const slowStatements = (logs: string) => [...logs.matchAll(/slow query \((\d+) ms\): (.{0,60})/g)].map((m) => `${m[1]} ms ${m[2].replace(/\s+/g, ' ')}`);
const troubleIn = (instances: Instance[]) =>
  instances.flatMap((i) => i.logs().split('\n').filter((l) => DB_TROUBLE.test(l)).slice(0, 5).map((l) => `${i.name}: ${l.slice(0, 300)}`));

describe('a fleet of 12,000 gateways on two instances', () => {
  let cluster: OwnCluster;
  const instances: Instance[] = [];
  let orgs: SeededOrg[];
  let gateways: FleetGatewayRef[];
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    cluster = await startOwnCluster();
    // The first start runs the migrations; the fleet is then paired behind the API's back.
    const first = await startInstance('migrator', cluster.databaseUrl, newAdminKey(), ENV);
    first.service.child.kill('SIGTERM');
    await expectCleanExit(first);
    orgs = await seedOrgs(cluster.databaseUrl, ORGS);
    gateways = [];
    for (const org of orgs) gateways.push(...(await seedPairedGateways(cluster.databaseUrl, org, PER_ORG)));
  });

  afterEach(async () => {
    await fleet?.stop('terminate');
    fleet = undefined;
  });

  afterAll(async () => {
    await killAll(instances);
    await cluster?.destroy();
  });

  it('rolling restart: nobody listed other than online, no gateway.offline, every gateway back within 10 s of each SIGTERM, both exits 0, no upgrade refused', async () => {
    let a = await startInstance('A', cluster.databaseUrl, orgs[0].adminKey, ENV);
    const b = await startInstance('B', cluster.databaseUrl, orgs[0].adminKey, ENV);
    instances.push(a, b);
    const deadlocksBefore = await deadlocks(cluster.databaseUrl);

    fleet = Fleet.start(2);
    const first = await fleet.connect(gateways, { urls: [a.baseUrl, b.baseUrl], heartbeatMs: 10_000, reconnectJitterMs: 3000, concurrency: 200 });
    expect(first.failures).toEqual({});
    const allOnline = async () => {
      const totals = await Promise.all(orgs.map(async (o) => (await getJson(`${a.baseUrl}/api/v1/gateways?status=online&limit=1`, o.adminKey)).body.total));
      return totals.every((t) => t === PER_ORG);
    };
    await eventually(allOnline, 60_000, 500);

    const live = [a, b];
    const watcher = watchOnline(() => live.map((i) => i.baseUrl), orgs, PER_ORG);

    // A stops: its half reconnects to B within 0–3 s of the 1001 close.
    const stopA = Date.now();
    a.service.child.kill('SIGTERM');
    live.splice(0, 1);
    await expectCleanExit(a);
    await eventually(async () => {
      const s = await fleet!.stats(stopA);
      return s.closedSince > 0 && s.backSince === s.closedSince && s.open === GATEWAYS;
    }, 60_000, 250);
    const afterA = await fleet.stats(stopA);
    expect(afterA.closedSince).toBe(GATEWAYS / 2);

    a = await startInstance('A again', cluster.databaseUrl, orgs[0].adminKey, { ...ENV, PORT: a.env.PORT });
    instances.push(a);
    live.push(a);
    await sleep(2000);

    // Then B stops, holding all 12,000: every one of them moves to A.
    const stopB = Date.now();
    b.service.child.kill('SIGTERM');
    live.splice(0, 1);
    await expectCleanExit(b);
    await eventually(async () => {
      const s = await fleet!.stats(stopB);
      return s.closedSince > 0 && s.backSince === s.closedSince && s.open === GATEWAYS;
    }, 60_000, 250);
    const afterB = await fleet.stats(stopB);
    expect(afterB.closedSince).toBe(GATEWAYS);

    // Past OFFLINE_AFTER_S (30 s) since the last move: a false offline would have been written by now.
    await sleep(35_000);
    const seen = await watcher.stop();
    const end = await fleet.stats();

    // For the record (the benchmark reports the same figures): time from close to hello.
    const reconnects = summarize(end.reconnectMs);
    process.stderr.write(
      `rolling restart: back after A's SIGTERM in ${afterA.lastBackMs} ms, after B's in ${afterB.lastBackMs} ms; reconnect p50/p99/max ${reconnects.p50}/${reconnects.p99}/${reconnects.max} ms; ` +
        `statements over 1 s:\n  ${instances.flatMap((i) => slowStatements(i.logs()).map((x) => `${i.name}: ${x}`)).join('\n  ')}\n`,
    );
    expect({ refusals: end.refusals, closes: end.closes, errorFrames: end.errorFrames }).toEqual({
      refusals: {},
      closes: { '1001': GATEWAYS / 2 + GATEWAYS },
      errorFrames: 0,
    });
    expect({ firstMoveBackMs: afterA.lastBackMs <= BACK_WITHIN_MS, secondMoveBackMs: afterB.lastBackMs <= BACK_WITHIN_MS }).toEqual({
      firstMoveBackMs: true,
      secondMoveBackMs: true,
    });
    expect(seen.shortfalls.slice(0, 5)).toEqual([]);
    expect(await allOnline()).toBe(true);
    const offline = (await Promise.all(orgs.map((o) => eventsOfType(a, o.adminKey, 'gateway.offline')))).flat();
    expect(offline.slice(0, 5)).toEqual([]);
    expect(troubleIn(instances)).toEqual([]);
    expect((await deadlocks(cluster.databaseUrl)) - deadlocksBefore).toBe(0);
    expectRunning(a);
  });

  it('churn at ~900 connections/s for 60 s: no refusal, no deadlock, no slow statement, events listed within 1 s', async () => {
    const a = instances.find((i) => i.name === 'A again' && !i.exit) ?? (await startInstance('A', cluster.databaseUrl, orgs[0].adminKey, ENV));
    const b = await startInstance('B again', cluster.databaseUrl, orgs[0].adminKey, ENV);
    if (!instances.includes(a)) instances.push(a);
    instances.push(b);
    const logsFrom = new Map(instances.map((i) => [i, i.logs().length]));
    const deadlocksBefore = await deadlocks(cluster.databaseUrl);

    // 200 gateways of one org connect, send 3 frames, close, again, on both instances in turn.
    const churning = gateways.slice(0, 200);
    fleet = Fleet.start(2);
    const org = orgs[0];
    const renamed = gateways[500].id;
    const lags: number[] = [];
    let renaming = true;
    const renameFailures: string[] = [];
    // While it churns: a rename every 250 ms, and how long until its event is listed.
    const renames = (async () => {
      for (let n = 0; renaming; n++) {
        const res = await fetch(`${a.baseUrl}/api/v1/gateways/${renamed}`, {
          method: 'PATCH',
          headers: { Authorization: `Bearer ${org.adminKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: `renamed ${n}` }),
        });
        const committed = Date.now();
        if (res.status !== 200) renameFailures.push(`PATCH ${res.status}: ${await res.text()}`);
        const listed = await eventually(async () => {
          const { body } = await getJson(`${b.baseUrl}/api/v1/events?type=gateway.updated&gateway_id=${renamed}&since=${new Date(committed - 5000).toISOString()}`, org.adminKey);
          return body.data.some((e: any) => e.data.changes.name.to === `renamed ${n}`) ? Date.now() : undefined;
        }, 10_000, 20);
        lags.push(listed - committed);
        await sleep(250);
      }
    })().catch((e: unknown) => void renameFailures.push(String(e)));
    const churned = await fleet.churn(churning, { urls: [a.baseUrl, b.baseUrl], framesPerCycle: 3, cyclesPerSecond: 900, durationMs: 60_000 });
    renaming = false;
    await renames;

    const rate = churned.cycles / 60;
    const slow = instances.flatMap((i) => slowStatements(i.logs().slice(logsFrom.get(i) ?? 0)).map((x) => `${i.name}: ${x}`));
    process.stderr.write(
      `churn: ${churned.cycles} cycles (${rate.toFixed(0)}/s); event listed after p50/p99/max ${summarize(lags).p50}/${summarize(lags).p99}/${summarize(lags).max} ms; statements over 1 s:\n  ${slow.join('\n  ')}\n`,
    );
    expect(renameFailures).toEqual([]);
    expect(churned.refusals).toEqual({});
    expect(churned.closes).toEqual({ '1000': churned.cycles });
    expect(rate).toBeGreaterThan(600);
    expect((await deadlocks(cluster.databaseUrl)) - deadlocksBefore).toBe(0);
    const trouble = instances.flatMap((i) =>
      i.logs().slice(logsFrom.get(i) ?? 0).split('\n').filter((l) => DB_TROUBLE.test(l)).slice(0, 5).map((l) => `${i.name}: ${l.slice(0, 300)}`),
    );
    expect(trouble).toEqual([]);
    expect(summarize(lags).p99).toBeLessThan(1000);
    for (const i of [a, b]) expectRunning(i);
  });
});
