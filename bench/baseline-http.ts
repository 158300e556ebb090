/**
 * REST baseline: a minimal node:http server doing what the service does for the benchmarked
 * routes, with pg directly and nothing else (no framework, no logging, no validation layer).
 *
 * Fairness: it runs the same SQL statements as the service (imported from the same modules), in
 * the same order, on the same database, with the same pool size (10), and maps rows to JSON with
 * the same functions. Key lookup is the same as the service's: SHA-256 of the bearer token,
 * cached in memory by hash for 30 s (a miss costs the same api_keys query), compared in constant
 * time.
 *
 *   GET  /api/v1/gateways/{id}            key (cached) → gateway by id + org
 *   GET  /api/v1/gateways?limit=&offset=  key (cached) → page ordered by created_at, id, and the
 *        total (from gateway_counts) at once
 *   GET  /api/v1/gateways/{id}/telemetry  key (cached) → gateway and its snapshot, one statement
 *   POST /api/v1/gateways/generate-pairing-code, POST /api/v1/gateways/pair: the same
 *        transactions as PairingService and GuessLimiterService.
 *   GET  /readyz
 *
 * Env: DATABASE_URL, PORT, DB_POOL_SIZE (10), PAIRING_MAX_ACTIVE_CODES (5), PAIRING_CODE_TTL_S (600),
 * PAIR_GUESS_LIMIT_PER_ADDRESS, PAIR_GUESS_WINDOW_S (as the service).
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';
import { canSeeSite } from '../src/auth/auth-context';
import { Caller, keyCache } from './lib/key-cache';
import { GATEWAY_KEY_PREFIX, hashKey, newKey } from '../src/auth/key-hash';
import { isoUtc } from '../src/common/time';
import { toGatewayResponse, toGatewaySummary } from '../src/gateways/gateway-response';
import {
  GatewayRow,
  listGatewaysQueries,
  SQL_ACTIVE_CODES,
  SQL_CODE_IS_LIVE,
  SQL_FIND_CODE_FOR_REDEMPTION,
  SQL_GATEWAY_BY_ID,
  SQL_INSERT_CODE,
  SQL_INSERT_REGISTERED_GATEWAY,
  SQL_LOCK_CODE,
  SQL_PAIR_GATEWAY,
  SQL_REDEEM_CODE,
  SQL_TELEMETRY_SNAPSHOT,
  TelemetrySnapshotRow,
} from '../src/gateways/gateway.sql';
import { toTelemetryResponse } from '../src/telemetry/telemetry-response';
import { generatePairingCode, normalizePairingCode } from '../src/pairing/pairing-code';
import { SQL_GUESSES_OF_ADDRESS, SQL_RECORD_GUESS } from '../src/pairing/pairing-guess.sql';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const POOL_SIZE = env('DB_POOL_SIZE', 10);
const MAX_ACTIVE = env('PAIRING_MAX_ACTIVE_CODES', 5);
const CODE_TTL_S = env('PAIRING_CODE_TTL_S', 600);
const GUESS_PER_ADDRESS = env('PAIR_GUESS_LIMIT_PER_ADDRESS', 20);
const GUESS_WINDOW_S = env('PAIR_GUESS_WINDOW_S', 600);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: POOL_SIZE,
  statement_timeout: 15_000,
  idleTimeoutMillis: 30_000,
  application_name: 'novavms-bench-baseline',
});

// ---- SQL, as the service sends it (the gateway reads are imported from the service itself) ---
const SQL_SITE = `SELECT "Site"."id" AS "Site_id", "Site"."org_id" AS "Site_org_id", "Site"."name" AS "Site_name", "Site"."created_at" AS "Site_created_at" FROM "sites" "Site" WHERE (("Site"."id" = $1) AND ("Site"."org_id" = $2)) LIMIT 1`;

// ---- key lookup: the same cache as AuthService ------------------------------------------------
const authenticate = keyCache(pool);


// ---- responses --------------------------------------------------------------------------------

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
const fail = (res: ServerResponse, status: number, error: string, message: string) => send(res, status, { error, message });

async function visibleGateway(caller: Caller, id: string): Promise<GatewayRow | undefined> {
  if (!UUID.test(id)) return undefined;
  const { rows } = await pool.query<GatewayRow>(SQL_GATEWAY_BY_ID, [id, caller.orgId]);
  return rows[0] && canSeeSite(caller, rows[0].site_id) ? rows[0] : undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  return typeof body === 'object' && body !== null ? body : {};
}

async function transaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('START TRANSACTION');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

// ---- pairing: PairingService.generate / pair with GuessLimiterService -------------------------
async function generate(caller: Caller, body: Record<string, unknown>) {
  const siteId = String(body.site_id ?? '');
  if (!UUID.test(siteId)) throw new HttpError(400, 'validation_error');
  const { rows: sites } = await pool.query(SQL_SITE, [siteId, caller.orgId]);
  if (!sites[0]) throw new HttpError(400, 'validation_error');
  return transaction(async (m) => {
    await m.query('SELECT 1 FROM orgs WHERE id = $1 FOR UPDATE', [caller.orgId]); // OrgsRepository.lockForUpdate
    const { rows: [active] } = await m.query(SQL_ACTIVE_CODES, [caller.orgId]);
    if (active.n >= MAX_ACTIVE) throw new HttpError(429, 'rate_limited');
    const { rows: [gateway] } = await m.query(SQL_INSERT_REGISTERED_GATEWAY, [caller.orgId, siteId, body.name ?? null]);
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = generatePairingCode();
      await m.query(SQL_LOCK_CODE, [code]);
      const { rows: taken } = await m.query(SQL_CODE_IS_LIVE, [code]);
      if (taken.length) continue;
      const { rows: [row] } = await m.query(SQL_INSERT_CODE, [caller.orgId, gateway.id, code, CODE_TTL_S]);
      return { id: gateway.id, pairing_code: code, expires_at: isoUtc(row.expires_at), status: 'registered' };
    }
    throw new HttpError(503, 'service_unavailable');
  });
}

/** The service's guess accounting without its memory: a read of the address's guesses before the lookup, a write after a 404. */
async function pair(req: IncomingMessage, body: Record<string, unknown>) {
  const address = (req.socket.remoteAddress ?? 'unknown').slice(0, 64);
  const code = normalizePairingCode(String(body.pairing_code ?? ''));
  if (!code) throw new HttpError(400, 'validation_error');
  const { rows: [guesses] } = await pool.query(SQL_GUESSES_OF_ADDRESS, [address, GUESS_WINDOW_S]);
  if (guesses.expiries.length >= GUESS_PER_ADDRESS) throw new HttpError(429, 'rate_limited');
  const apiKey = newKey(GATEWAY_KEY_PREFIX);
  try {
    const paired = await transaction(async (m) => {
      const { rows: [row] } = await m.query(SQL_FIND_CODE_FOR_REDEMPTION, [code]);
      if (!row) throw new HttpError(404, 'not_found');
      if (row.redeemed_at !== null) throw new HttpError(409, 'conflict');
      if (row.expired) throw new HttpError(410, 'gone');
      await m.query(SQL_REDEEM_CODE, [row.id]);
      await m.query(SQL_PAIR_GATEWAY, [row.gateway_id, hashKey(apiKey), body.name ?? null, body.version ?? null, body.local_ip ?? null]);
      return { gateway_id: row.gateway_id, org_id: row.org_id };
    });
    return { gateway_id: paired.gateway_id, api_key: apiKey, org_id: paired.org_id, ice_servers: [] };
  } catch (e) {
    if (e instanceof HttpError && e.code === 'not_found') await pool.query(SQL_RECORD_GUESS, [address, GUESS_WINDOW_S]);
    throw e;
  }
}

// ---- routing ----------------------------------------------------------------------------------
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (req.method === 'GET' && path === '/readyz') {
    await pool.query('SELECT 1');
    return send(res, 200, { status: 'ok' });
  }
  if (req.method === 'POST' && path === '/api/v1/gateways/pair') {
    return send(res, 200, await pair(req, await readJson(req)));
  }
  const caller = await authenticate(req);
  if (!caller) return fail(res, 401, 'auth_required', 'A valid API key is required');
  const parts = path.split('/').filter(Boolean); // api v1 gateways [id] [telemetry]
  if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'gateways') return fail(res, 404, 'not_found', 'No such route');
  if (req.method === 'POST' && parts.length === 4 && parts[3] === 'generate-pairing-code') {
    if (caller.role === 'viewer') return fail(res, 403, 'forbidden', 'operator role required');
    return send(res, 201, await generate(caller, await readJson(req)));
  }
  if (req.method !== 'GET') return fail(res, 404, 'not_found', 'No such route');
  if (parts.length === 3) {
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000 || !Number.isInteger(offset) || offset < 0) {
      return fail(res, 400, 'validation_error', 'bad limit or offset');
    }
    if (caller.siteIds !== null) return fail(res, 501, 'internal_error', 'site-scoped keys are not part of the baseline');
    const sql = listGatewaysQueries({ orgId: caller.orgId, siteIds: null, limit, offset });
    const [page, count] = await Promise.all([pool.query<GatewayRow>(sql.page, sql.pageParams), pool.query(sql.count, sql.countParams)]);
    return send(res, 200, { data: page.rows.map(toGatewaySummary), total: count.rows[0].total });
  }
  if (parts.length === 5 && parts[4] === 'telemetry') {
    if (!UUID.test(parts[3])) return fail(res, 404, 'not_found', 'Gateway not found');
    const { rows } = await pool.query<TelemetrySnapshotRow>(SQL_TELEMETRY_SNAPSHOT, [parts[3], caller.orgId]);
    const t = rows[0];
    if (!t || !canSeeSite(caller, t.site_id)) return fail(res, 404, 'not_found', 'Gateway not found');
    return send(res, 200, toTelemetryResponse(t));
  }
  const gateway = await visibleGateway(caller, parts[3]);
  if (!gateway) return fail(res, 404, 'not_found', 'Gateway not found');
  if (parts.length === 4) return send(res, 200, toGatewayResponse(gateway));
  return fail(res, 404, 'not_found', 'No such route');
}

const server = createServer((req, res) => {
  handle(req, res).catch((e: unknown) => {
    if (e instanceof HttpError) return fail(res, e.status, e.code, e.code);
    if (e instanceof SyntaxError) return fail(res, 400, 'validation_error', 'Malformed JSON');
    process.stderr.write(`baseline-http: ${e instanceof Error ? e.stack : String(e)}\n`);
    if (!res.headersSent) fail(res, 500, 'internal_error', 'internal error');
  });
});
server.keepAliveTimeout = 5_000; // Node's default, as the service (Express on node:http) has
server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1', () => {
  process.stdout.write(`baseline-http listening on ${process.env.PORT}\n`);
});
const stop = () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
