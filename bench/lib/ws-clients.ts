/** The WebSocket load generators of bench/ws-ingest.ts: client processes (bench/ws-client.ts) driven over IPC. */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { PairedGateway } from './seed';
import { sleep } from './stats';
import type { ClientCommand, ClientReply, ClientStats } from '../ws-client';

const CONNECT_CONCURRENCY = 100;

export class Clients {
  private readonly waiting = new Map<ChildProcess, Map<string, ((r: ClientReply) => void)[]>>();
  private shares: number[] = [];

  private constructor(readonly children: ChildProcess[]) {
    for (const child of children) {
      const queues = new Map<string, ((r: ClientReply) => void)[]>();
      this.waiting.set(child, queues);
      child.on('message', (m: ClientReply) => queues.get(m.type)?.shift()?.(m));
    }
  }

  static start(count: number): Clients {
    const children = Array.from({ length: count }, () =>
      fork(join(__dirname, '..', 'ws-client.ts'), [], {
        execArgv: ['-r', 'ts-node/register/transpile-only'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return new Clients(children);
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid!).filter(Boolean);
  }

  private ask<T extends ClientReply['type']>(child: ChildProcess, command: ClientCommand, replyType: T, timeoutMs = 300_000) {
    return new Promise<Extract<ClientReply, { type: T }>>((resolve, reject) => {
      const queues = this.waiting.get(child)!;
      const timer = setTimeout(() => reject(new Error(`ws client ${child.pid}: no ${replyType} reply`)), timeoutMs);
      const list = queues.get(replyType) ?? [];
      list.push((r) => {
        clearTimeout(timer);
        resolve(r as Extract<ClientReply, { type: T }>);
      });
      queues.set(replyType, list);
      child.send(command);
    });
  }

  async connect(url: string, gateways: PairedGateway[], epoch: number) {
    const k = this.children.length;
    const parts = this.children.map((_, i) => gateways.filter((_, j) => j % k === i));
    this.shares = parts.map((p) => p.length / gateways.length);
    const replies = await Promise.all(
      this.children.map((c, i) => this.ask(c, { type: 'connect', url, gateways: parts[i], concurrency: CONNECT_CONCURRENCY, epoch }, 'connected')),
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
    await Promise.all(this.children.map((c, i) => this.ask(c, { type: 'rate', perSecond: total * this.shares[i] }, 'ack')));
  }

  /** Counters of every client (each read at its own `at`). */
  async stats(): Promise<ClientStats[]> {
    const all = await Promise.all(this.children.map((c) => this.ask(c, { type: 'stats' }, 'stats')));
    return all.map((r) => r.stats);
  }

  async close(): Promise<void> {
    await Promise.all(this.children.map((c) => this.ask(c, { type: 'close' }, 'closed', 30_000).catch(() => c.kill('SIGKILL'))));
    await sleep(300);
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}
