import { Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { CommandDelivery } from '../commands/command-delivery.service';
import { validateAck, validateResultFrame } from '../commands/command-rules';
import type { ErrorDetail } from '../common/api-error';
import type { FrameLink } from '../common/frame-link';
import { KeyRotationDelivery } from '../credentials/key-rotation-delivery.service';
import { validateRotateKeyAck } from '../credentials/rotation-frames';
import { ConfigDelivery } from '../gateway-config/config-delivery.service';
import { validateReport } from '../gateway-config/config-rules';
import { PeriodicTask } from '../common/periodic-task';
import { isoUtc } from '../common/time';
import { AppConfig } from '../config/config';
import { closeCodeLabel, Metrics } from '../metrics/metrics';
import { ConnectionRegistry } from '../presence/connection-registry.service';
import type { EndReason, GatewaySession, LiveConnection } from '../presence/live-connection';
import { TelemetryIngest } from '../telemetry/telemetry-ingest.service';
import { CLOSE_FOR } from './close-codes';
import { ErrorFrame, errorFrame } from './error-frame';
import { validateHeartbeat, validateSession, validateTelemetry, Validated } from './frames';

const GATEWAY_WS_PATH = '/api/v1/gateways/{id}/ws';

/** Sockets pinged between two turns of the event loop. */
const PING_SLICE = 1000;

/** How long a closing socket may take to finish its close handshake before it is cut. */
const CLOSE_WAIT_MS = 2_000;

const invalid = (event: string, result: Validated<unknown> & { ok: false }): ErrorFrame => errorFrame(`Invalid ${event} frame`, result.details);

/** A gateway's socket as presence and commands see it; answers pings to stay alive (see ping). */
class SocketConnection implements LiveConnection, FrameLink {
  /** Answered the last ping. */
  alive = true;
  /** The boot id of its last `session` frame. */
  bootId: string | null = null;
  /** The service ended the connection (a shutdown, a replacement, a disable, a dead peer). */
  private endedByService = false;
  private readonly closed: Promise<void>;

  constructor(
    readonly ws: WebSocket,
    readonly session: GatewaySession,
    onClose: (connection: SocketConnection, closedByGateway: boolean, code: number) => void,
  ) {
    this.closed = new Promise((resolve) =>
      ws.once('close', (code: number) => {
        // 1006: no close frame came — the connection was lost, which is not the gateway's doing.
        onClose(this, !this.endedByService && code !== 1006, code);
        resolve();
      }),
    );
    ws.on('pong', () => (this.alive = true));
  }

  get gatewayId(): string {
    return this.session.gatewayId;
  }

  get seq(): string {
    return this.session.seq;
  }

  send(event: string, data: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify({ event, data }));
  }

  sendError(message: string, details?: ErrorDetail[]): void {
    const { event, data } = errorFrame(message, details);
    this.send(event, data);
  }

  /** Cuts a peer that stopped answering pings: a lost connection, judged by heartbeat timeout. */
  terminate(): void {
    this.endedByService = true;
    this.ws.terminate();
  }

  async end(reason: EndReason): Promise<void> {
    this.endedByService = true;
    if (this.ws.readyState !== this.ws.CLOSED) {
      const { code, text } = CLOSE_FOR[reason];
      this.ws.close(code, text);
      // Shutting down, this instance ends thousands of sockets at once and reads their close
      // replies only after it has sent every close frame; the FIN sent right behind the close
      // frame lets each gateway finish its close, and reconnect elsewhere, without waiting for
      // that (ws has no public call for it: its socket is `_socket`).
      if (reason === 'shutdown') (this.ws as unknown as { _socket?: { end(): void } | null })._socket?.end();
      const cut = setTimeout(() => this.ws.terminate(), CLOSE_WAIT_MS);
      await this.closed;
      clearTimeout(cut);
    }
  }
}

/**
 * The gateway's live channel. The upgrade was authorised by GatewayLinkAdapter, which passes the
 * session as the connection's third argument; here each socket is registered with presence,
 * greeted, kept alive with pings, and its heartbeat/telemetry/session frames are validated and
 * handed to the ingest (a telemetry or session frame is also a heartbeat). A session, and the
 * command_ack/command_result, config_report and rotate_key_ack frames (v1.3), also go to
 * CommandDelivery, ConfigDelivery and KeyRotationDelivery, which own commands, configuration and
 * key rotations.
 */
@WebSocketGateway({ path: GATEWAY_WS_PATH })
export class GatewayLinkChannel implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(GatewayLinkChannel.name);
  /** Sockets registered with presence (a refused one never is). */
  private readonly connections = new Map<WebSocket, SocketConnection>();
  private readonly pings: PeriodicTask;

  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly ingest: TelemetryIngest,
    private readonly commands: CommandDelivery,
    private readonly configs: ConfigDelivery,
    private readonly rotations: KeyRotationDelivery,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.pings = new PeriodicTask('WebSocket ping', config.WS_PING_INTERVAL_S * 1000, async () => this.ping(), this.logger);
  }

  onModuleInit(): void {
    this.pings.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.pings.stop();
  }

  handleConnection(ws: WebSocket, _req: IncomingMessage, session: GatewaySession): void {
    const connection = new SocketConnection(ws, session, (c, closedByGateway, code) => {
      this.metrics.closes.inc({ code: closeCodeLabel(code) });
      this.closed(c, closedByGateway);
    });
    if (!this.registry.add(connection)) return;
    this.connections.set(ws, connection);
    ws.send(
      JSON.stringify({
        event: 'hello',
        data: { gateway_id: session.gatewayId, heartbeat_interval_s: this.config.HEARTBEAT_INTERVAL_S, server_time: isoUtc(new Date()) },
      }),
    );
  }

  /** Nest's disconnect hook: the socket's own close listener (see closed) has the close code it needs. */
  handleDisconnect(): void {}

  private closed(connection: SocketConnection, closedByGateway: boolean): void {
    if (this.connections.get(connection.ws) !== connection) return;
    this.connections.delete(connection.ws);
    this.registry.remove(connection, closedByGateway);
    this.commands.detached(connection);
    this.configs.detached(connection);
    this.rotations.detached(connection);
  }

  @SubscribeMessage('heartbeat')
  heartbeat(@ConnectedSocket() ws: WebSocket, @MessageBody() data: unknown): ErrorFrame | undefined {
    const result = validateHeartbeat(data);
    if (!result.ok) return invalid('heartbeat', result);
    const session = this.connections.get(ws)?.session;
    if (session) this.ingest.record(session.gatewayId, session.seq);
    return undefined;
  }

  @SubscribeMessage('telemetry')
  telemetry(@ConnectedSocket() ws: WebSocket, @MessageBody() data: unknown): ErrorFrame | undefined {
    const result = validateTelemetry(data);
    if (!result.ok) return invalid('telemetry', result);
    const session = this.connections.get(ws)?.session;
    if (session) this.ingest.record(session.gatewayId, session.seq, result.value);
    return undefined;
  }

  /** The gateway's boot id, firmware and capabilities (v1.3); also a heartbeat. Written by the next flush. */
  @SubscribeMessage('session')
  session(@ConnectedSocket() ws: WebSocket, @MessageBody() data: unknown): ErrorFrame | undefined {
    const result = validateSession(data);
    if (!result.ok) return invalid('session', result);
    const connection = this.connections.get(ws);
    if (!connection) return undefined;
    connection.bootId = result.value.boot_id;
    this.ingest.record(connection.gatewayId, connection.seq, undefined, result.value);
    this.commands.sessionStarted(connection, result.value);
    this.configs.sessionStarted(connection, result.value);
    this.rotations.sessionStarted({ link: connection, keyId: connection.session.keyId }, result.value);
    return undefined;
  }

  /** The gateway stored the key of a rotation (v1.3). */
  @SubscribeMessage('rotate_key_ack')
  rotateKeyAck(@ConnectedSocket() ws: WebSocket, @MessageBody() data: unknown): ErrorFrame | undefined {
    const result = validateRotateKeyAck(data);
    if (!result.ok) return invalid('rotate_key_ack', result);
    const connection = this.connections.get(ws);
    if (connection) this.rotations.acknowledged(connection, result.value);
    return undefined;
  }

  /** What configuration the gateway applied or rejected (v1.3); written with the other reports of the moment. */
  @SubscribeMessage('config_report')
  configReport(@ConnectedSocket() ws: WebSocket, @MessageBody() data: unknown): ErrorFrame | undefined {
    const result = validateReport(data);
    if (!result.ok) return invalid('config_report', result);
    const connection = this.connections.get(ws);
    if (connection) this.configs.report(connection, result.value);
    return undefined;
  }

  /** The gateway took (or refused) a command (v1.3); written with the other reports of the moment. */
  @SubscribeMessage('command_ack')
  commandAck(@ConnectedSocket() ws: WebSocket, @MessageBody() data: unknown): ErrorFrame | undefined {
    const result = validateAck(data);
    if (!result.ok) return invalid('command_ack', result);
    const connection = this.connections.get(ws);
    if (connection) this.commands.ack(connection, result.value);
    return undefined;
  }

  /** A command's outcome (v1.3); answered `command_result_received` once it is committed. */
  @SubscribeMessage('command_result')
  commandResult(@ConnectedSocket() ws: WebSocket, @MessageBody() data: unknown): ErrorFrame | undefined {
    const result = validateResultFrame(data);
    if (!result.ok) return invalid('command_result', result);
    const connection = this.connections.get(ws);
    if (connection) this.commands.result(connection, result.value);
    return undefined;
  }

  /**
   * TCP keep-alive of the socket (not a heartbeat): a peer that did not answer the previous ping
   * is cut off. In slices, with the event loop running between them: pinging 18,000 sockets in
   * one go would hold up every upgrade and frame of the instance for a few hundred ms.
   */
  private async ping(): Promise<void> {
    const all = [...this.connections.values()];
    for (let i = 0; i < all.length; i += PING_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      for (const connection of all.slice(i, i + PING_SLICE)) if (this.connections.get(connection.ws) === connection) this.pingOne(connection);
    }
  }

  private pingOne(connection: SocketConnection): void {
    if (!connection.alive) {
      this.logger.warn(`gateway ${connection.session.gatewayId} stopped answering pings; terminating`);
      connection.terminate();
      return;
    }
    connection.alive = false;
    connection.ws.ping();
  }
}
