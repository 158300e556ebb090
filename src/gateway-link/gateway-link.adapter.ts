import { INestApplicationContext, Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets/gateway-metadata-explorer';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { isObservable, lastValueFrom, Observable } from 'rxjs';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { ApiError } from '../common/api-error';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../common/json-limits';
import { endWithError } from '../common/raw-error';
import { AppConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { CLOSE_POLICY_VIOLATION } from './close-codes';
import { errorFrame, INTERNAL_ERROR_FRAME } from './error-frame';
import { UpgradeAuthService } from './upgrade-auth.service';

const MAX_FRAME_BYTES = 64 * 1024;

/** `/api/v1/gateways/{id}/ws` → a regex with named groups. */
function pathPattern(path: string): RegExp {
  const source = path
    .split(/(\{\w+\})/)
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part);
      return param ? `(?<${param[1]}>[^/]+)` : part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** Token bucket per socket: `burst` frames at once, `rate` per second sustained. */
class FrameBudget {
  private tokens: number;
  private last = performance.now();
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * NestJS's WsAdapter, adapted to the gateway channel:
 * - it matches path patterns (`/api/v1/gateways/{id}/ws`), where WsAdapter matches one exact path;
 * - it authenticates on the HTTP upgrade, before the handshake (UpgradeAuthService), refuses with
 *   a plain HTTP response carrying the JSON error body, and hands the session to the channel as
 *   the third argument of its connection handler (GatewayLinkChannel.handleConnection);
 * - it answers frames that are not JSON, name an unknown event or are binary with an `error`
 *   frame (WsAdapter drops them silently), and closes a flooding socket with 1008;
 * - frames over 64 KiB close the socket with 1009 (ws's maxPayload); per-message deflate is off.
 */
export class GatewayLinkAdapter extends WsAdapter {
  private readonly upgradeLogger = new Logger(GatewayLinkAdapter.name);
  private readonly upgrades: UpgradeAuthService;
  private readonly config: AppConfig;
  private readonly metrics: Metrics;

  constructor(app: INestApplicationContext) {
    super(app);
    this.upgrades = app.get(UpgradeAuthService);
    this.config = app.get(AppConfig);
    this.metrics = app.get(Metrics);
  }

  override create(port: number, options: Record<string, unknown> & { path?: string } = {}): WebSocketServer {
    return super.create(port, { ...options, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES, clientTracking: true });
  }

  protected override ensureHttpServerExists(port: number, httpServer: http.Server = http.createServer()): http.Server | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    httpServer.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.handleUpgrade(port, req, socket, head);
    });
    return httpServer;
  }

  private async handleUpgrade(port: number, req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const requestId = randomUUID();
    try {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      const servers = (this.wsServersRegistry.get(port) ?? []) as (WebSocketServer & { path: string; pattern?: RegExp })[];
      for (const server of servers) {
        server.pattern ??= pathPattern(server.path);
        const match = server.pattern.exec(pathname);
        if (!match) continue;
        const session = await this.upgrades.authorize(match.groups?.id ?? '', req, () => socket.destroyed);
        if (socket.destroyed) return;
        server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req, session));
        return;
      }
      throw new ApiError('not_found', `No WebSocket endpoint at ${pathname}`);
    } catch (e) {
      const error =
        e instanceof ApiError ? e : new ApiError('service_unavailable', 'Could not authorize the connection; retry', undefined, { 'Retry-After': '1' });
      if (!(e instanceof ApiError)) this.upgradeLogger.error({ err: e, requestId }, 'upgrade failed');
      this.refuse(socket, error, requestId);
    }
  }

  private refuse(socket: Duplex, error: ApiError, requestId: string): void {
    this.metrics.upgradesRefused.inc({ status: String(error.getStatus()) });
    endWithError(socket, error.getStatus(), error.body(), { 'X-Request-Id': requestId, ...error.headers });
  }

  override bindMessageHandlers(
    client: WebSocket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    const handlersMap = new Map(handlers.map((h) => [h.message as string, h]));
    const budget = new FrameBudget(this.config.WS_MAX_FRAMES_PER_S, this.config.WS_FRAME_BURST);
    /** Every frame the service sends here is an error frame. */
    const send = (frame: unknown, reason: string) => {
      this.metrics.errorFrames.inc({ reason });
      if (client.readyState === client.OPEN) client.send(JSON.stringify(frame));
    };
    /** A frame that is not a frame of the protocol at all: counted under its kind, and answered. */
    const malformed = (kind: 'binary' | 'not_json' | 'not_object', message: string) => {
      this.metrics.framesReceived.inc({ event: kind });
      send(errorFrame(message), kind);
    };
    client.on('message', (data: RawData, isBinary: boolean) => {
      if (!budget.take()) {
        client.close(CLOSE_POLICY_VIOLATION, 'too many frames');
        return;
      }
      if (isBinary) return malformed('binary', 'Frames must be JSON text');
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return malformed('not_json', 'Frame is not valid JSON');
      }
      if (typeof frame !== 'object' || frame === null || Array.isArray(frame) || typeof (frame as { event?: unknown }).event !== 'string') {
        return malformed('not_object', 'Frame must be an object {"event": string, "data": ...}');
      }
      // Refused before any handler walks it: validating, storing or serialising a result nested
      // thousands deep would overflow the stack wherever it went, and a batch that held it would fail for good.
      if (nestedDeeperThan(frame, MAX_JSON_DEPTH)) return malformed('not_object', `Frame is nested deeper than ${MAX_JSON_DEPTH} levels`);
      const { event, data: payload } = frame as { event: string; data?: unknown };
      const handler = handlersMap.get(event);
      // Only the events handled are label values: a gateway cannot add series by naming others.
      this.metrics.framesReceived.inc({ event: handler ? event : 'unknown' });
      if (!handler) return send(errorFrame(`Unknown event ${JSON.stringify(event.slice(0, 64))}; expected ${[...handlersMap.keys()].join(', ')}`), 'unknown_event');
      void this.run(handler, payload, event, transform).then(
        (result) => {
          if (result !== undefined && result !== null) send(result, 'invalid');
        },
        (e: unknown) => {
          this.upgradeLogger.error({ err: e }, `handler for ${event} failed`);
          send(INTERNAL_ERROR_FRAME, 'internal');
        },
      );
    });
  }

  private async run(
    handler: MessageMappingProperties,
    payload: unknown,
    event: string,
    transform: (data: unknown) => Observable<unknown>,
  ): Promise<unknown> {
    const result = await handler.callback(payload, event);
    if (result === undefined) return undefined;
    const observable = isObservable(result) ? result : transform(result);
    return lastValueFrom(observable, { defaultValue: undefined });
  }
}
