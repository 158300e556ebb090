/**
 * The statements of pairing and of the guess limit, as plain SQL. PairingService and
 * GuessLimiterService run them; the benchmark baseline imports them, so both sides of the
 * comparison send identical SQL.
 */

/** $1 org id. Serialises code issuing per org, across instances. */
export const SQL_LOCK_ORG = 'SELECT 1 FROM orgs WHERE id = $1 FOR UPDATE';

/** $1 org id: active codes (unredeemed, unexpired, gateway not disabled) and seconds until the first expires. */
export const SQL_ACTIVE_CODES = `
  SELECT count(*)::int AS n,
         ceil(extract(epoch FROM min(pc.expires_at) - now()))::int AS first_expiry_s
    FROM pairing_codes pc JOIN gateways g ON g.id = pc.gateway_id
   WHERE pc.org_id = $1 AND pc.redeemed_at IS NULL AND pc.expires_at > now() AND g.status <> 'disabled'`;

/** $1 org id, $2 site id, $3 name. */
export const SQL_INSERT_REGISTERED_GATEWAY = `
  INSERT INTO gateways (org_id, site_id, name, status) VALUES ($1, $2, $3, 'registered') RETURNING id`;

/** $1 code: held until commit, so a concurrent draw of the same characters waits and then sees ours. */
export const SQL_LOCK_CODE = `SELECT pg_advisory_xact_lock(hashtext('pairing-code:' || $1))`;

/** $1 code. */
export const SQL_CODE_IS_LIVE = `SELECT 1 FROM pairing_codes WHERE code = $1 AND redeemed_at IS NULL AND expires_at > now() LIMIT 1`;

/** $1 org id, $2 gateway id, $3 code, $4 lifetime in seconds. */
export const SQL_INSERT_CODE = `
  INSERT INTO pairing_codes (org_id, gateway_id, code, expires_at)
  VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`;

/** $1 code: the live code first when older codes had the same characters; locked for redemption. */
export const SQL_FIND_CODE_FOR_REDEMPTION = `
  SELECT pc.id, pc.gateway_id, pc.org_id, pc.redeemed_at, pc.expires_at <= now() AS expired
    FROM pairing_codes pc JOIN gateways g ON g.id = pc.gateway_id
   WHERE pc.code = $1 AND g.status <> 'disabled'
   ORDER BY (pc.redeemed_at IS NULL AND pc.expires_at > now()) DESC, pc.created_at DESC
   LIMIT 1
   FOR UPDATE OF pc`;

/** $1 code row id. */
export const SQL_REDEEM_CODE = 'UPDATE pairing_codes SET redeemed_at = now() WHERE id = $1';

/** $1 gateway id, $2 key hash, $3 self-reported name, $4 version, $5 local ip. */
export const SQL_PAIR_GATEWAY = `
  UPDATE gateways
     SET key_hash = $2, status = 'offline', paired_at = now(), updated_at = now(),
         name = COALESCE(NULLIF(name, ''), $3), version = $4, local_ip = $5
   WHERE id = $1`;

/**
 * $1 address, $2 window in seconds: for each guess of the address still in the window, the
 * seconds until it leaves it, oldest first.
 */
export const SQL_GUESSES_OF_ADDRESS = `
  SELECT COALESCE(array_agg(ceil(extract(epoch FROM created_at + make_interval(secs => $2) - now()))::int ORDER BY created_at), '{}') AS expiries
    FROM pairing_guesses WHERE address = $1 AND created_at > now() - make_interval(secs => $2)`;

/** $1 address, $2 window in seconds: records a guess, and answers as SQL_GUESSES_OF_ADDRESS, the new one included. */
export const SQL_RECORD_GUESS = `
  WITH added AS (INSERT INTO pairing_guesses (address) VALUES ($1) RETURNING created_at)
  SELECT array_agg(ceil(extract(epoch FROM created_at + make_interval(secs => $2) - now()))::int ORDER BY created_at) AS expiries
    FROM (SELECT created_at FROM pairing_guesses WHERE address = $1 AND created_at > now() - make_interval(secs => $2)
          UNION ALL SELECT created_at FROM added) g`;

/** $1 window in seconds: guesses across the deployment in the window. */
export const SQL_COUNT_ALL_GUESSES = 'SELECT count(*)::int AS n FROM pairing_guesses WHERE created_at > now() - make_interval(secs => $1)';

/** $1 window in seconds, $2 batch size: drops guesses that no longer count, a bounded batch at a time. */
export const SQL_PRUNE_GUESSES = `
  DELETE FROM pairing_guesses WHERE id IN (
    SELECT id FROM pairing_guesses WHERE created_at <= now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2)`;
