/** What the bare ws baselines (bench/ws-baseline.ts, bench/connect-baseline.ts) share. */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

/** The gateway channel's path; the match's first group is the gateway id. */
const GATEWAY_WS_PATH = /^\/api\/v1\/gateways\/([^/]+)\/ws$/;

/** The gateway id of an upgrade to the gateway channel, or undefined for any other path. */
export function gatewayIdOf(url: string | undefined): string | undefined {
  return GATEWAY_WS_PATH.exec(new URL(url ?? '/', 'http://localhost').pathname)?.[1];
}

/** A ws server with the service's options: no compression, 64 KiB frames, client tracking. */
export const bareWebSocketServer = () => new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024, clientTracking: true });

/** The service's `hello` frame, as text. */
export const helloFrame = (gatewayId: string) =>
  JSON.stringify({ event: 'hello', data: { gateway_id: gatewayId, heartbeat_interval_s: 10, server_time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } });

/** Answers an upgrade with a bare HTTP status and closes the socket. */
export const refuseUpgrade = (socket: Duplex, status: string) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);

/** On SIGTERM or SIGINT: cut every socket, close the server, exit 0 (within 2 s at the latest). */
export function exitOnSignals(server: Server, wss: WebSocketServer): void {
  const stop = () => {
    for (const ws of wss.clients) ws.terminate();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
