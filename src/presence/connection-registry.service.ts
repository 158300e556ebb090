import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { newerConnection } from '../common/frame-link';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { GatewaysRepository } from '../gateways/gateways.repository';
import { ReplacementLog } from '../credentials/replacement-log.service';
import { Signal, SignalBus } from '../signals/signal-bus';
import { TelemetryIngest } from '../telemetry/telemetry-ingest.service';
import type { EndReason, GatewaySession, LiveConnection } from './live-connection';


/**
 * The gateway connections that live on this instance, one per gateway. Enforces "newest
 * connection wins" across instances (each replacement is recorded for cloned-key detection,
 * ReplacementLog), ends connections on disable/delete/key-revocation signals from any instance
 * (and on what a resync finds, when signals were missed: a revoked key, or a retiring key past
 * its grace), and on shutdown ends every connection and writes what was buffered.
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
    private readonly replacements: ReplacementLog,
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
    if (existing) this.replace(existing, seq);
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
    switch (signal.type) {
      case 'gateways.connected':
        for (const [gatewayId, seq] of signal.connections) this.replaceIfOlder(gatewayId, seq);
        return;
      case 'gateway.connected':
        return this.replaceIfOlder(signal.gatewayId, signal.seq);
      case 'gateway.disconnect':
        return this.endLocal(signal.gatewayId, signal.reason);
      case 'gateway.keysRevoked': {
        const local = this.byGateway.get(signal.gatewayId);
        if (local && signal.keyIds.includes(local.session.keyId)) this.endLocal(signal.gatewayId, 'revoked');
        return;
      }
      default:
        return;
    }
  }

  private endLocal(gatewayId: string, reason: EndReason): void {
    const local = this.byGateway.get(gatewayId);
    if (!local) return;
    this.logger.log(`ending the connection of gateway ${gatewayId}: ${reason}`);
    void local.end(reason);
  }

  /** A connection of this gateway was claimed (here or elsewhere): an older one here ends. */
  private replaceIfOlder(gatewayId: string, seq: string): void {
    const local = this.byGateway.get(gatewayId);
    if (local && newerConnection(seq, local.session.seq)) this.replace(local, seq);
  }

  /** Ends a connection that connection `bySeq` replaces (4409), and tells cloned-key detection who it was. */
  private replace(connection: LiveConnection, bySeq: string): void {
    const { gatewayId, seq, peer } = connection.session;
    this.replacements.record({ gatewayId, replacedSeq: seq, bySeq, peer, bootId: connection.bootId });
    void connection.end('replaced');
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
      else if (row.seq !== null && newerConnection(row.seq, local.session.seq)) this.replace(local, row.seq);
      else if (row.seq === local.session.seq && !row.key_usable) void local.end('revoked');
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
