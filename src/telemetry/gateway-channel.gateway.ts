import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { AppConfig } from '../config/config';
import { ConnectionRegistry } from './connection-registry.service';
import { validateHeartbeat, validateTelemetry, Validated } from './frames';
import type { UpgradedRequest } from './gateway-ws.adapter';
import { HeartbeatBuffer } from './heartbeat-buffer.service';

export const GATEWAY_WS_PATH = '/api/v1/gateways/{id}/ws';

type ErrorFrame = { event: 'error'; data: { error: 'validation_error'; message: string; details: { field: string; message: string }[] } };

function invalid(event: string, result: Validated<unknown> & { ok: false }): ErrorFrame {
  return { event: 'error', data: { error: 'validation_error', message: `Invalid ${event} frame`, details: result.details } };
}

/**
 * The gateway's live channel. Authentication happened on the upgrade (GatewayWsAdapter); here
 * each socket is registered, greeted, and its heartbeat/telemetry frames are validated and
 * buffered. A telemetry frame is also a heartbeat.
 */
@WebSocketGateway({ path: GATEWAY_WS_PATH })
export class GatewayChannel implements OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    private readonly registry: ConnectionRegistry,
    private readonly buffer: HeartbeatBuffer,
    private readonly config: AppConfig,
  ) {}

  handleConnection(ws: WebSocket, req: UpgradedRequest): void {
    const session = req.gatewaySession;
    if (!session) {
      ws.close(1011, 'unauthenticated');
      return;
    }
    if (!this.registry.add(ws, session)) return;
    ws.send(
      JSON.stringify({
        event: 'hello',
        data: {
          gateway_id: session.gatewayId,
          heartbeat_interval_s: this.config.HEARTBEAT_INTERVAL_S,
          server_time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
      }),
    );
  }

  handleDisconnect(ws: WebSocket): void {
    this.registry.remove(ws);
  }

  @SubscribeMessage('heartbeat')
  heartbeat(@ConnectedSocket() ws: WebSocket, @MessageBody() data: unknown): ErrorFrame | undefined {
    const result = validateHeartbeat(data);
    if (!result.ok) return invalid('heartbeat', result);
    const session = this.registry.session(ws);
    if (session) this.buffer.record(session.gatewayId, session.seq);
    return undefined;
  }

  @SubscribeMessage('telemetry')
  telemetry(@ConnectedSocket() ws: WebSocket, @MessageBody() data: unknown): ErrorFrame | undefined {
    const result = validateTelemetry(data);
    if (!result.ok) return invalid('telemetry', result);
    const session = this.registry.session(ws);
    if (session) this.buffer.record(session.gatewayId, session.seq, result.value);
    return undefined;
  }
}
