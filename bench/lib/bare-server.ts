/** What the bare ws baselines (bench/ws-baseline.ts, bench/connect-baseline.ts) share. */
import type { Server } from 'node:http';
import type { WebSocketServer } from 'ws';

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
