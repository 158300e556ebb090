/**
 * WebSocket ingest baseline: a bare `ws` server on node:http that accepts the gateway channel's
 * URL, greets with the same `hello` frame, and for every frame does what the service does before
 * storing — JSON.parse, the {event, data} shape check, and validateTelemetry (src/telemetry/
 * frames.ts) — then counts it and stores nothing. No authentication, no database, no pings.
 * Same ws options as the service: perMessageDeflate off, maxPayload 64 KiB, client tracking.
 *
 *   GET /readyz  → {"status":"ok"}
 *   GET /stats   → {"frames","valid","invalid","connections","closed","at"} (counters since start; at = Date.now())
 *
 * Env: PORT.
 */
import { createServer } from 'node:http';
import { bareWebSocketServer, exitOnSignals, gatewayIdOf, helloFrame, refuseUpgrade } from './lib/bare-server';
import { validateHeartbeat, validateTelemetry } from '../src/gateway-link/frames';

const counters = { frames: 0, valid: 0, invalid: 0, connections: 0, closed: 0 };

const server = createServer((req, res) => {
  const body =
    req.url === '/stats' ? JSON.stringify({ ...counters, connections: wss.clients.size, at: Date.now() }) : req.url === '/readyz' ? '{"status":"ok"}' : undefined;
  res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
  res.end(body ?? '{"error":"not_found"}');
});

const wss = bareWebSocketServer();

server.on('upgrade', (req, socket, head) => {
  const gatewayId = gatewayIdOf(req.url);
  if (!gatewayId) return refuseUpgrade(socket, '404 Not Found');
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.send(helloFrame(gatewayId));
    ws.on('message', (data, isBinary) => {
      counters.frames++;
      if (isBinary) {
        counters.invalid++;
        return;
      }
      let frame: unknown;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        counters.invalid++;
        return;
      }
      if (typeof frame !== 'object' || frame === null || Array.isArray(frame) || typeof (frame as { event?: unknown }).event !== 'string') {
        counters.invalid++;
        return;
      }
      const { event, data: payload } = frame as { event: string; data?: unknown };
      const result = event === 'telemetry' ? validateTelemetry(payload) : event === 'heartbeat' ? validateHeartbeat(payload) : undefined;
      if (result?.ok) counters.valid++;
      else counters.invalid++;
    });
    ws.on('close', () => counters.closed++);
    ws.on('error', () => undefined);
  });
});

server.listen(Number(process.env.PORT ?? 3200), '127.0.0.1', () => process.stdout.write(`ws-baseline listening on ${process.env.PORT}\n`));
exitOnSignals(server, wss);
