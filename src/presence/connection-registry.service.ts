import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { newerConnection } from '../common/frame-link';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { GatewaysRepository } from '../gateways/gateways.repository';
import { Signal, SignalBus } from '../signals/signal-bus';
import { TelemetryIngest } from '../telemetry/telemetry-ingest.service';
import type { GatewaySession, LiveConnection } from './live-connection';


/**
 * The gateway connections that live on this instance, one per gateway. Enforces "newest
 * connection wins" across instances, ends connections on disable/delete signals from any
 * instance (and on what a resync finds, when signals were missed), and on shutdown ends every
 * connection and writes what was buffered.
 */
@Injectable()
export class ConnectionRegistry implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ConnectionRegistry.name);
  private readonly byGateway = new Map<string, LiveConnection>();
  /** Connections added and not yet removed (a refused one never is). */
  private readonly known = new WeakSet<LiveConnection>();
  private readonly resyncs: PeriodicTask;
  private shuttingDown = false;

  constructor(
    private readonly bus: SignalBus,
    private readonly ingest: TelemetryIngest,
    private readonly gateways: GatewaysRepository,
    config: AppConfig,
    metrics: Metrics,
  ) {
    metrics.sample(metrics.gatewaysConnected, () => this.byGateway.size);
    this.resyncs = new PeriodicTask('gateway resync', config.RESYNC_INTERVAL_S * 1000, () => this.resync(), this.logger);
  }

  onModuleInit(): void {
    this.bus.subscribe((signal) => this.onSignal(signal));
    // After the signal connection comes back: catch the disables and deletes it missed.
    this.bus.onResync(() => this.resyncs.runNow());
    this.resyncs.start();
  }

  /**
   * A connection finished its handshake. Returns false when it was refused — a newer one of the
   * gateway exists, or the instance is stopping — and has been ended.
   */
  add(connection: LiveConnection): boolean {
    const { gatewayId, seq } = connection.session;
    if (this.shuttingDown) {
      void connection.end('shutdown');
      return false;
    }
    const existing = this.byGateway.get(gatewayId);
    if (existing && !newerConnection(seq, existing.session.seq)) {
      void connection.end('replaced');
      return false;
    }
    this.byGateway.set(gatewayId, connection);
    this.known.add(connection);
    if (existing) void existing.end('replaced');
    this.logger.debug(`gateway ${gatewayId} connected (connection ${seq})`);
    return true;
  }

  /**
   * A connection closed. Only a gateway that closed its socket itself is offline at once (at the
   * next write, unless a newer connection has claimed it). A close by the service (shutdown,
   * replacement) or a lost connection is not an offline transition by itself: a gateway that
   * reconnects in time shows no change, one that does not goes offline after OFFLINE_AFTER_S
   * without a frame (LivenessService).
   */
  remove(connection: LiveConnection, closedByGateway = false): void {
    if (!this.known.delete(connection)) return;
    const { gatewayId, seq } = connection.session;
    if (this.byGateway.get(gatewayId) === connection) this.byGateway.delete(gatewayId);
    if (closedByGateway) this.ingest.closed(gatewayId, seq);
    // A gateway closing its socket is news; the service's own closes (a shutdown's thousands) are logged where they are made.
    if (closedByGateway) this.logger.log(`gateway ${gatewayId} disconnected (connection ${seq}, closed by the gateway)`);
    else this.logger.debug(`gateway ${gatewayId} disconnected (connection ${seq})`);
  }

  /** Whether this connection is the gateway's current one here (its frames count). */
  isCurrent(session: GatewaySession): boolean {
    return this.byGateway.get(session.gatewayId)?.session.seq === session.seq;
  }

  private onSignal(signal: Signal): void {
    if (signal.type === 'apiKey.revoked' || signal.type === 'commands.queued' || signal.type === 'command.finished' || signal.type === 'config.changed') return;
    if (signal.type === 'gateways.connected') {
      for (const [gatewayId, seq] of signal.connections) this.replaceIfOlder(gatewayId, seq);
      return;
    }
    if (signal.type === 'gateway.connected') return this.replaceIfOlder(signal.gatewayId, signal.seq);
    const local = this.byGateway.get(signal.gatewayId);
    if (local) {
      this.logger.log(`ending the connection of gateway ${signal.gatewayId}: ${signal.reason}`);
      void local.end(signal.reason);
    }
  }

  /** A connection of this gateway was claimed (here or elsewhere): an older one here ends. */
  private replaceIfOlder(gatewayId: string, seq: string): void {
    const local = this.byGateway.get(gatewayId);
    if (local && newerConnection(seq, local.session.seq)) void local.end('replaced');
  }

  /** Re-reads the state of every local gateway: catches signals missed while LISTEN was down. Throws when the database does not answer. */
  private async resync(): Promise<void> {
    const ids = [...this.byGateway.keys()];
    if (ids.length === 0) return;
    const state = new Map((await this.gateways.connectionStates(ids)).map((r) => [r.id, r]));
    for (const id of ids) {
      const local = this.byGateway.get(id);
      if (!local) continue;
      const row = state.get(id);
      if (!row) void local.end('deleted');
      else if (row.status === 'disabled') void local.end('disabled');
      else if (row.seq !== null && newerConnection(row.seq, local.session.seq)) void local.end('replaced');
    }
  }

  /** Ends every connection (gateways reconnect elsewhere), then writes what is buffered. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    await this.resyncs.stop();
    const connections = [...this.byGateway.values()];
    if (connections.length > 0) this.logger.log(`closing ${connections.length} gateway socket(s) for shutdown`);
    await Promise.all(connections.map((c) => c.end('shutdown')));
    for (const c of connections) this.remove(c);
    await this.ingest.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.resyncs.stop();
  }
}
