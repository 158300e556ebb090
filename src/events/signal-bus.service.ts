import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';


export const SIGNAL_CHANNEL = 'novavms_signals';

/** Signals that cross instances. Never one per heartbeat: only rare, state-changing events. */
export type Signal =
  /** A gateway's socket must close with `code` wherever it lives (disable 4403, delete 4404). */
  | { type: 'gateway.disconnect'; gatewayId: string; code: number; reason: string }
  /** A gateway connected with this sequence number: any older connection of it must close 4409. */
  | { type: 'gateway.connected'; gatewayId: string; seq: string }
  /** An API key was revoked: caches must forget it. */
  | { type: 'apiKey.revoked'; keyId: string };

type Listener = (signal: Signal) => void;

const RECONNECT_MIN_MS = 100;
/**
 * Retries stay at most a second apart however long the outage: once the database is back, the
 * connection (and with it disable/delete signals) returns within about a second.
 */
const RECONNECT_MAX_MS = 1000;

/**
 * Cross-instance signals over PostgreSQL LISTEN/NOTIFY, on one dedicated connection per
 * instance. When that connection is lost it is re-established with backoff, and every
 * `onResync` callback runs so that state missed meanwhile is re-read from the database.
 */
@Injectable()
export class SignalBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SignalBus');
  private readonly listeners = new Set<Listener>();
  private readonly resyncers = new Set<() => Promise<void>>();
  private client?: Client;
  private stopped = false;
  private reconnectDelay = RECONNECT_MIN_MS;
  private reconnectTimer?: NodeJS.Timeout;
  private connectedOnce = false;

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
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
    await this.dataSource.query('SELECT pg_notify($1, $2)', [SIGNAL_CHANNEL, JSON.stringify(signal)]);
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

  private async connect(): Promise<void> {
    const options = this.dataSource.options as { url?: string; connectTimeoutMS?: number };
    const client = new Client({
      connectionString: options.url,
      connectionTimeoutMillis: options.connectTimeoutMS ?? 5000,
      keepAlive: true,
      application_name: 'novavms-gateway-service:signals',
    });
    client.on('notification', (msg) => {
      if (msg.channel !== SIGNAL_CHANNEL || !msg.payload) return;
      let signal: Signal;
      try {
        signal = JSON.parse(msg.payload) as Signal;
      } catch {
        this.logger.warn(`ignoring a malformed signal: ${msg.payload.slice(0, 200)}`);
        return;
      }
      for (const listener of this.listeners) {
        try {
          listener(signal);
        } catch (e) {
          this.logger.error({ err: e }, `signal listener failed on ${signal.type}`);
        }
      }
    });
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`listen connection lost (${why}); reconnecting`);
      this.scheduleReconnect();
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
      if (!this.connectedOnce) throw e;
      this.logger.warn(`listen connection failed (${e instanceof Error ? e.message : String(e)}); retrying`);
      this.scheduleReconnect();
      return;
    }
    this.client = client;
    this.reconnectDelay = RECONNECT_MIN_MS;
    if (this.connectedOnce) {
      this.logger.log('listen connection re-established; resyncing');
      await this.resync();
    }
    this.connectedOnce = true;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect().catch((e) => {
        this.logger.warn(`reconnect failed: ${e instanceof Error ? e.message : String(e)}`);
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  private async resync(): Promise<void> {
    for (const resync of this.resyncers) {
      await resync().catch((e) => this.logger.error({ err: e }, 'resync failed'));
    }
  }
}
