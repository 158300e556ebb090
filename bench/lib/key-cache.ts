/**
 * The key lookup of the bench servers, the same as the service's AuthService: SHA-256 of the
 * bearer token, cached in memory by hash for 30 s (a miss costs the same api_keys query),
 * compared in constant time.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Pool } from 'pg';
import { bearerToken, hashKey, sameHash, USER_KEY_PREFIX } from '../../src/auth/key-hash';

// As TypeORM sends it for AuthService's findOne.
const SQL_KEY = `SELECT "ApiKey"."id" AS "ApiKey_id", "ApiKey"."org_id" AS "ApiKey_org_id", "ApiKey"."name" AS "ApiKey_name", "ApiKey"."role" AS "ApiKey_role", "ApiKey"."site_ids" AS "ApiKey_site_ids", "ApiKey"."key_hash" AS "ApiKey_key_hash", "ApiKey"."created_at" AS "ApiKey_created_at", "ApiKey"."revoked_at" AS "ApiKey_revoked_at" FROM "api_keys" "ApiKey" WHERE (("ApiKey"."key_hash" = $1) AND ("ApiKey"."revoked_at" IS NULL)) LIMIT 1`;

const CACHE_TTL_MS = 30_000;

export interface Caller {
  orgId: string;
  role: string;
  siteIds: string[] | null;
}

/** authenticate(headers): the caller of a request, or undefined for a missing or unknown key. */
export function keyCache(pool: Pool): (req: { headers: IncomingHttpHeaders }) => Promise<Caller | undefined> {
  const cache = new Map<string, { caller: Caller; keyHash: string; expiresAt: number }>();
  return async function authenticate(req) {
    const token = bearerToken(req.headers.authorization);
    if (!token || !token.startsWith(USER_KEY_PREFIX)) return undefined;
    const hash = hashKey(token);
    const hit = cache.get(hash);
    if (hit && hit.expiresAt > Date.now() && sameHash(hit.keyHash, hash)) return hit.caller;
    if (hit) cache.delete(hash);
    const { rows } = await pool.query(SQL_KEY, [hash]);
    const key = rows[0];
    if (!key || !sameHash(key.ApiKey_key_hash, hash)) return undefined;
    const caller: Caller = { orgId: key.ApiKey_org_id, role: key.ApiKey_role, siteIds: key.ApiKey_site_ids };
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value as string);
    cache.set(hash, { caller, keyHash: hash, expiresAt: Date.now() + CACHE_TTL_MS });
    return caller;
  };
}
