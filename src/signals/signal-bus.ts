import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { PeriodicTask } from '../common/periodic-task';
import { Sql } from '../database/sql';
import { Metrics } from '../metrics/metrics';

/** The NOTIFY channel of the signals (statements that announce in batches send on it themselves). */
export const SIGNAL_CHANNEL = 'novavms_signals';

/** Signals that cross instances. Never one per heartbeat: only rare, state-changing events. */
export type Signal =
  /** A gateway's socket must close wherever it lives: it was disabled or deleted. */
  | { type: 'gateway.disconnect'; gatewayId: string; reason: 'disabled' | 'deleted' }
  /**
   * Gateways connected with these sequence numbers ([gateway id, seq] pairs): any older
   * connection of each must close. Sent by the statement that claims the connections
   * (ConnectionClaims), up to 100 per signal.
   */
  | { type: 'gateways.connected'; connections: [string, string][] }
  /** The same for one gateway, as instances of the previous release send it during a rolling upgrade. */
  | { type: 'gateway.connected'; gatewayId: string; seq: string }
  /** An API key was revoked: caches must forget it. */
  | { type: 'apiKey.revoked'; keyId: string }
  /** Commands were queued for these gateways: whoever holds their sockets sends them (sent by the insert's trigger, at commit). */
  | { type: 'commands.queued'; gatewayIds: string[] }
  /** A command reached an end state: reads waiting for it answer (sent by the update's trigger, at commit). */
  | { type: 'command.finished'; commandId: string }
  /** These gateways' desired configuration changed: whoever holds their sockets pushes it (sent by the write's trigger, at commit). */
  | { type: 'config.changed'; gatewayIds: string[] }
  /** These keys of a gateway stopped being usable (revoked, or replaced by pairing again): a connection made with one closes (4401) wherever it lives. */
  | { type: 'gateway.keysRevoked'; gatewayId: string; keyIds: string[] }
  /** Key rotations were asked for these gateways: whoever holds their sockets sends the new keys. */
  | { type: 'credentials.rotate'; gatewayIds: string[] };

type Listener = (signal: Signal) => void;

/**
 * How often a lost listen connection is retried: once the database is back, the connection (and
 * with it disable/delete signals) returns within about this long, however long the outage.
 */
const RECONNECT_EVERY_MS = 500;

/**
 * Cross-instance signals over PostgreSQL LISTEN/NOTIFY, on one dedicated connection per
 * instance. When that connection is lost it is re-established, and every `onResync` callback
 * runs so that state missed meanwhile is re-read from the database.
 */
@Injectable()
export class SignalBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SignalBus.name);
  private readonly listeners = new Set<Listener>();
  private readonly resyncers = new Set<() => Promise<void>>();
  private readonly reconnects: PeriodicTask;
  private client?: Client;
  private stopped = false;

  constructor(
    private readonly sql: Sql,
    private readonly metrics: Metrics,
  ) {
    metrics.sample(metrics.signalUp, () => (this.listening ? 1 : 0));
    this.reconnects = new PeriodicTask('signal connection', RECONNECT_EVERY_MS, () => this.reconnectIfLost(), this.logger);
  }

  /** The first connection must succeed: an instance that cannot listen does not start. */
  async onModuleInit(): Promise<void> {
    await this.connect();
    this.reconnects.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.reconnects.stop();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs after every reconnect of the listen connection. */
  onResync(resync: () => Promise<void>): void {
    this.resyncers.add(resync);
  }

  /** Sends a signal to every instance, this one included. */
  async publish(signal: Signal): Promise<void> {
    await this.sql.run('SELECT pg_notify($1, $2)', [SIGNAL_CHANNEL, JSON.stringify(signal)]);
  }

  /** The listen connection is up: signals from other instances arrive (part of readiness). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** The backend pid of the listen connection (for operators and tests). */
  async listenerPid(): Promise<number | undefined> {
    const client = this.client;
    if (!client) return undefined;
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return rows[0]?.pid;
  }

  private async reconnectIfLost(): Promise<void> {
    if (this.client || this.stopped) return;
    await this.connect();
    this.metrics.signalReconnects.inc();
    this.logger.log('listen connection re-established; resyncing');
    for (const resync of this.resyncers) await resync().catch((e) => this.logger.error({ err: e }, 'resync failed'));
  }

  private async connect(): Promise<void> {
    const { url, connectTimeoutMs } = this.sql.connectionOptions();
    const client = new Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, keepAlive: true, application_name: 'novavms-gateway-service:signals' });
    client.on('notification', (msg) => {
      if (msg.channel === SIGNAL_CHANNEL && msg.payload) this.deliver(msg.payload);
    });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (!this.stopped) this.logger.warn(`listen connection lost (${why}); reconnecting`);
    };
    client.on('error', (e) => lost(e.message));
    client.on('end', () => lost('connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${SIGNAL_CHANNEL}`);
    } catch (e) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw e;
    }
    this.client = client;
  }

  private deliver(payload: string): void {
    let signal: Signal;
    try {
      signal = JSON.parse(payload) as Signal;
    } catch {
      this.logger.warn(`ignoring a malformed signal: ${payload.slice(0, 200)}`);
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(signal);
      } catch (e) {
        this.logger.error({ err: e }, `signal listener failed on ${signal.type}`);
      }
    }
  }
}
