/**
 * A simulated fleet spread over child processes (bench/fleet-process.ts): the benchmarks of a
 * large fleet and the fault suites that restart instances under one drive it from here.
 */
import { join } from 'node:path';
import type { FleetCommand, FleetGatewayRef, FleetReply, FleetStats } from '../fleet-process';
import { IpcChild } from './ipc-child';

export type { FleetGatewayRef, FleetStats };

export interface FleetOptions {
  /** Instance base URLs; gateway i first connects to urls[i % n], and after a close to the next one. */
  urls: string[];
  heartbeatMs: number;
  /** A gateway reconnects after a pause drawn from [0, this] ms. */
  reconnectJitterMs: number;
  /** Upgrades in flight at once per process during the first connect. */
  concurrency: number;
  epoch?: number;
}

export interface ChurnOptions {
  urls: string[];
  framesPerCycle: number;
  /** Connections per second of the whole fleet (each gateway paced to its share). */
  cyclesPerSecond: number;
  durationMs: number;
  epoch?: number;
}

const add = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

function merge(all: FleetStats[]): FleetStats {
  const out: FleetStats = {
    open: 0, openByUrl: {}, refusals: {}, closes: {}, errorFrames: 0, framesSent: 0, greeted: 0,
    closedSince: 0, backSince: 0, lastBackMs: 0, reconnectMs: [], cycles: 0, at: 0,
  };
  for (const s of all) {
    out.open += s.open;
    add(out.openByUrl, s.openByUrl);
    add(out.refusals, s.refusals);
    add(out.closes, s.closes);
    out.errorFrames += s.errorFrames;
    out.framesSent += s.framesSent;
    out.greeted += s.greeted;
    out.closedSince += s.closedSince;
    out.backSince += s.backSince;
    out.lastBackMs = Math.max(out.lastBackMs, s.lastBackMs);
    out.reconnectMs.push(...s.reconnectMs);
    out.cycles += s.cycles;
    out.at = Math.max(out.at, s.at);
  }
  return out;
}

/** Splits `items` round-robin into `k` parts. */
const split = <T>(items: T[], k: number): T[][] => Array.from({ length: k }, (_, i) => items.filter((_, j) => j % k === i));

export class Fleet {
  private constructor(private readonly children: IpcChild<FleetCommand, FleetReply>[]) {}

  static start(processes: number): Fleet {
    const script = join(__dirname, '..', 'fleet-process.ts');
    return new Fleet(Array.from({ length: processes }, () => IpcChild.fork<FleetCommand, FleetReply>(script)));
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid!).filter(Boolean);
  }

  /** Connects every gateway once (they then keep to the protocol); resolves when each got hello or was refused. */
  async connect(gateways: FleetGatewayRef[], o: FleetOptions) {
    const parts = split(gateways, this.children.length);
    const epoch = o.epoch ?? Date.now();
    const replies = await Promise.all(
      this.children.map((c, i) =>
        c.ask({ type: 'connect', urls: o.urls, gateways: parts[i], heartbeatMs: o.heartbeatMs, reconnectJitterMs: o.reconnectJitterMs, concurrency: o.concurrency, epoch }, 'connected', 600_000),
      ),
    );
    const failures: Record<string, number> = {};
    for (const r of replies) add(failures, r.failures);
    return { ok: replies.reduce((a, r) => a + r.ok, 0), failures, ms: Math.max(...replies.map((r) => r.ms)), helloMs: replies.flatMap((r) => r.helloMs) };
  }

  /** Runs the churn loop for `durationMs` and resolves with the counters at its end. */
  async churn(gateways: FleetGatewayRef[], o: ChurnOptions): Promise<FleetStats> {
    const parts = split(gateways, this.children.length);
    const epoch = o.epoch ?? Date.now();
    const replies = await Promise.all(
      this.children.map((c, i) =>
        c.ask(
          { type: 'churn', urls: o.urls, gateways: parts[i], framesPerCycle: o.framesPerCycle, cyclesPerSecond: (o.cyclesPerSecond * parts[i].length) / gateways.length, durationMs: o.durationMs, epoch },
          'churned',
          o.durationMs + 120_000,
        ),
      ),
    );
    return merge(replies.map((r) => r.stats));
  }

  /** Counters of every process, merged; `since` (Date.now()) counts the gateways closed since then and how many are back. */
  async stats(since?: number): Promise<FleetStats> {
    return merge((await Promise.all(this.children.map((c) => c.ask({ type: 'stats', since }, 'stats', 60_000)))).map((r) => r.stats));
  }

  /** `close`: every gateway closes its own socket (1000: offline at once); `terminate`: sockets just drop. */
  async stop(how: 'close' | 'terminate' = 'terminate'): Promise<void> {
    await Promise.all(this.children.map((c) => c.ask({ type: 'stop', how }, 'stopped', 30_000).catch(() => c.kill())));
    await new Promise((r) => setTimeout(r, 700));
    for (const c of this.children) c.kill();
  }
}
