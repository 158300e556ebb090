/** The WebSocket load generators of bench/ws-ingest.ts: client processes (bench/ws-client.ts) driven over IPC. */
import { join } from 'node:path';
import { IpcChild } from './ipc-child';
import type { PairedGateway } from './seed';
import { sleep } from './stats';
import type { ClientCommand, ClientReply, ClientStats } from '../ws-client';

const CONNECT_CONCURRENCY = 100;

export class Clients {
  private shares: number[] = [];

  private constructor(readonly children: IpcChild<ClientCommand, ClientReply>[]) {}

  static start(count: number): Clients {
    return new Clients(Array.from({ length: count }, () => IpcChild.fork<ClientCommand, ClientReply>(join(__dirname, '..', 'ws-client.ts'))));
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid!).filter(Boolean);
  }

  async connect(url: string, gateways: PairedGateway[], epoch: number) {
    const k = this.children.length;
    const parts = this.children.map((_, i) => gateways.filter((_, j) => j % k === i));
    this.shares = parts.map((p) => p.length / gateways.length);
    const replies = await Promise.all(
      this.children.map((c, i) => c.ask({ type: 'connect', url, gateways: parts[i], concurrency: CONNECT_CONCURRENCY, epoch }, 'connected')),
    );
    const failures: Record<string, number> = {};
    for (const r of replies) for (const [f, n] of Object.entries(r.failures)) failures[f] = (failures[f] ?? 0) + n;
    return {
      ok: replies.reduce((a, r) => a + r.ok, 0),
      failed: replies.reduce((a, r) => a + r.failed, 0),
      failures,
      ms: Math.max(...replies.map((r) => r.ms)),
    };
  }

  async setRate(total: number): Promise<void> {
    await Promise.all(this.children.map((c, i) => c.ask({ type: 'rate', perSecond: total * this.shares[i] }, 'ack')));
  }

  /** Counters of every client (each read at its own `at`). */
  async stats(): Promise<ClientStats[]> {
    const all = await Promise.all(this.children.map((c) => c.ask({ type: 'stats' }, 'stats')));
    return all.map((r) => r.stats);
  }

  async close(): Promise<void> {
    await Promise.all(this.children.map((c) => c.ask({ type: 'close' }, 'closed', 30_000).catch(() => c.kill())));
    await sleep(300);
    for (const c of this.children) c.kill();
  }
}
