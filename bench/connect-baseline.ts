/**
 * Connect baseline: a bare `ws` server on node:http that does the least a gateway upgrade must —
 * match the channel's URL, take the bearer key, sha256 it and compare it with the gateway's key
 * hash held in a Map (read once from DATABASE_URL at start), then greet with the same `hello`
 * frame. No claim, no database round trip, no presence. Same ws options as the service.
 *
 *   GET /readyz → {"status":"ok"} once the key hashes are loaded
 *
 * Env: PORT, DATABASE_URL.
 */
import { createServer } from 'node:http';
import { Client } from 'pg';
import { bareWebSocketServer, exitOnSignals, gatewayIdOf, helloFrame, refuseUpgrade } from './lib/bare-server';
import { sha256 } from './lib/seed';

const keyHashes = new Map<string, string>();
let ready = false;

const server = createServer((req, res) => {
  const ok = req.url === '/readyz' && ready;
  res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' });
  res.end(ok ? '{"status":"ok"}' : '{"status":"starting"}');
});
const wss = bareWebSocketServer();

server.on('upgrade', (req, socket, head) => {
  socket.on('error', () => undefined);
  const gatewayId = gatewayIdOf(req.url);
  if (!gatewayId) return refuseUpgrade(socket, '404 Not Found');
  const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const want = keyHashes.get(gatewayId);
  if (!key || !want || sha256(key) !== want) return refuseUpgrade(socket, '401 Unauthorized');
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => undefined);
    ws.send(helloFrame(gatewayId));
  });
});

async function main(): Promise<void> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string; key_hash: string }>(`SELECT gateway_id AS id, key_hash FROM gateway_keys WHERE state = 'active'`);
    for (const r of rows) keyHashes.set(r.id, r.key_hash.trim());
  } finally {
    await db.end();
  }
  ready = true;
}

server.listen(Number(process.env.PORT ?? 3201), '127.0.0.1', 4096, () => process.stdout.write(`connect-baseline listening on ${process.env.PORT}\n`));
main().catch((e: unknown) => {
  process.stderr.write(`connect-baseline: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
exitOnSignals(server, wss);
