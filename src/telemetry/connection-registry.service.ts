import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WebSocket } from 'ws';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import { CLOSE_DELETED, CLOSE_DISABLED, CLOSE_GOING_AWAY, CLOSE_REPLACED } from '../events/close-codes';
import { Signal, SignalBus } from '../events/signal-bus.service';
import { HeartbeatBuffer } from './heartbeat-buffer.service';
import type { GatewaySession } from './upgrade-auth.service';

const SHUTDOWN_CLOSE_WAIT_MS = 2_000;

interface Connection {
  ws: WebSocket;
  session: GatewaySession;
  /** Answered the last ping. */
  alive: boolean;
}

/** Sequence numbers are bigints in text form: compare them as numbers. */
const newer = (a: string, b: string) => BigInt(a) > BigInt(b);

/**
 * The sockets that live on this instance, one per gateway. Enforces "newest connection wins"
 * across instances, closes sockets on disable/delete signals from any instance, pings peers,
 * and on shutdown closes every socket with 1001 and flushes what is buffered.
 */
@Injectable()
export class ConnectionRegistry implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('GatewayConnections');
  private readonly byGateway = new Map<string, Connection>();
  private readonly bySocket = new WeakMap<WebSocket, Connection>();
  private readonly pings: PeriodicTask;
  private readonly resyncs: PeriodicTask;
  private shuttingDown = false;

  constructor(
    private readonly bus: SignalBus,
    private readonly buffer: HeartbeatBuffer,
    private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.pings = new PeriodicTask('WebSocket ping', config.WS_PING_INTERVAL_S * 1000, async () => this.ping(), this.logger);
    this.resyncs = new PeriodicTask('gateway resync', config.RESYNC_INTERVAL_S * 1000, () => this.resync(), this.logger);
  }

  onModuleInit(): void {
    this.bus.subscribe((signal) => this.onSignal(signal));
    // After the signal connection comes back: catch the disables and deletes it missed.
    this.bus.onResync(() => this.resyncs.runNow());
    this.pings.start();
    this.resyncs.start();
  }

  session(ws: WebSocket): GatewaySession | undefined {
    return this.bySocket.get(ws)?.session;
  }

  /** A socket finished its handshake. Returns false when it was refused (a newer one exists or we are stopping). */
  add(ws: WebSocket, session: GatewaySession): boolean {
    if (this.shuttingDown) {
      ws.close(CLOSE_GOING_AWAY, 'server shutting down');
      return false;
    }
    const existing = this.byGateway.get(session.gatewayId);
    if (existing && !newer(session.seq, existing.session.seq)) {
      ws.close(CLOSE_REPLACED, 'a newer connection of this gateway exists');
      return false;
    }
    const connection: Connection = { ws, session, alive: true };
    this.byGateway.set(session.gatewayId, connection);
    this.bySocket.set(ws, connection);
    ws.on('pong', () => {
      connection.alive = true;
    });
    if (existing) existing.ws.close(CLOSE_REPLACED, 'replaced by a newer connection');
    this.logger.log(`gateway ${session.gatewayId} connected (connection ${session.seq})`);
    // Other instances close their older socket of this gateway.
    void this.bus
      .publish({ type: 'gateway.connected', gatewayId: session.gatewayId, seq: session.seq })
      .catch((e) => this.logger.warn(`could not announce connection of ${session.gatewayId}: ${String(e)}`));
    return true;
  }

  /** A socket closed, for whatever reason. */
  remove(ws: WebSocket): void {
    const connection = this.bySocket.get(ws);
    if (!connection) return;
    this.bySocket.delete(ws);
    const { gatewayId, seq } = connection.session;
    if (this.byGateway.get(gatewayId) === connection) this.byGateway.delete(gatewayId);
    // Marks it offline at the next flush, unless a newer connection has claimed the gateway.
    this.buffer.closed(gatewayId, seq);
    this.logger.log(`gateway ${gatewayId} disconnected (connection ${seq})`);
  }

  private onSignal(signal: Signal): void {
    if (signal.type === 'gateway.connected') {
      const local = this.byGateway.get(signal.gatewayId);
      if (local && newer(signal.seq, local.session.seq)) local.ws.close(CLOSE_REPLACED, 'replaced by a newer connection');
    } else if (signal.type === 'gateway.disconnect') {
      const local = this.byGateway.get(signal.gatewayId);
      if (local) {
        this.logger.log(`closing gateway ${signal.gatewayId} with ${signal.code}: ${signal.reason}`);
        local.ws.close(signal.code, signal.reason);
      }
    }
  }

  /** Re-reads the state of every local gateway: catches signals missed while LISTEN was down. Throws when the database does not answer. */
  private async resync(): Promise<void> {
    const ids = [...this.byGateway.keys()];
    if (ids.length === 0) return;
    const rows: { id: string; status: string; seq: string | null }[] = await this.dataSource.query(
      'SELECT id, status, connection_seq::text AS seq FROM gateways WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const state = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) {
      const local = this.byGateway.get(id);
      if (!local) continue;
      const row = state.get(id);
      if (!row) local.ws.close(CLOSE_DELETED, 'gateway deleted');
      else if (row.status === 'disabled') local.ws.close(CLOSE_DISABLED, 'gateway disabled');
      else if (row.seq !== null && newer(row.seq, local.session.seq)) local.ws.close(CLOSE_REPLACED, 'replaced by a newer connection');
    }
  }

  /** TCP keep-alive of the socket: a peer that did not answer the previous ping is cut off. */
  private ping(): void {
    for (const connection of this.byGateway.values()) {
      if (!connection.alive) {
        this.logger.warn(`gateway ${connection.session.gatewayId} stopped answering pings; terminating`);
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }

  /** Close every socket with 1001 (gateways reconnect elsewhere) and flush what is buffered. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all([this.pings.stop(), this.resyncs.stop()]);
    const sockets = [...this.byGateway.values()].map((c) => c.ws);
    if (sockets.length > 0) this.logger.log(`closing ${sockets.length} gateway socket(s) for shutdown`);
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, SHUTDOWN_CLOSE_WAIT_MS);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            ws.close(CLOSE_GOING_AWAY, 'server shutting down');
          }),
      ),
    );
    for (const ws of sockets) this.remove(ws);
    await this.buffer.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.pings.stop(), this.resyncs.stop()]);
  }
}
