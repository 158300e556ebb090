import { UNFINISHED_STATUSES } from './command-rules';

const UNFINISHED = UNFINISHED_STATUSES.map((s) => `'${s}'`).join(', ');

/** Every column the API shows, and what the rules need. */
export const COMMAND_COLUMNS = `c.id, c.gateway_id, c.org_id, c.type, c.params, c.status, c.attempt, c.timeout_s, c.created_at, c.expires_at,
  c.sent_at, c.deadline_at, c.accepted_at, c.completed_at, c.result, c.error, c.late_result, c.actor, c.position::text AS position, c.request_hash`;

/**
 * $1 org, $2 gateway, $3 type, $4 params, $5 timeout_s, $6 seconds until it expires, $7 actor,
 * $8 Idempotency-Key or null, $9 request hash or null. Nothing when the key is taken (the caller
 * reads the command that has it).
 */
export const SQL_INSERT_COMMAND = `
  INSERT INTO gateway_commands AS c (org_id, gateway_id, type, params, timeout_s, expires_at, actor, idempotency_key, request_hash)
  VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6), $7, $8, $9)
  ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING ${COMMAND_COLUMNS}`;

/** $1 org, $2 key: a key used more than 24 h ago may be used again. */
export const SQL_RELEASE_IDEMPOTENCY_KEY = `
  UPDATE gateway_commands SET idempotency_key = NULL
   WHERE org_id = $1 AND idempotency_key = $2 AND created_at <= now() - interval '24 hours'`;

export const SQL_FIND_BY_IDEMPOTENCY_KEY = `SELECT ${COMMAND_COLUMNS} FROM gateway_commands c WHERE c.org_id = $1 AND c.idempotency_key = $2`;

/** $1 gateway: its unfinished commands, and seconds until the first of them must end (expiry or deadline). */
export const SQL_UNFINISHED_OF_GATEWAY = `
  SELECT count(*)::int AS n, EXTRACT(EPOCH FROM min(COALESCE(c.deadline_at, c.expires_at)) - now())::float8 AS first_end_s
    FROM gateway_commands c WHERE c.gateway_id = $1 AND c.status IN (${UNFINISHED})`;

/** $1 id, $2 org: with the site of its gateway, for scoping. */
export const SQL_FIND_COMMAND = `
  SELECT ${COMMAND_COLUMNS}, g.site_id FROM gateway_commands c JOIN gateways g ON g.id = c.gateway_id
   WHERE c.id = $1 AND c.org_id = $2`;

/** $1 gateway, $2 status or null, $3 position after, $4 limit. Oldest first. */
export const SQL_LIST_COMMANDS = `
  SELECT ${COMMAND_COLUMNS} FROM gateway_commands c
   WHERE c.gateway_id = $1 AND ($2::text IS NULL OR c.status = $2) AND c.position > $3::bigint
   ORDER BY c.position LIMIT $4`;

/** $1 id: only a queued command is canceled; the trigger records `command.canceled` with the context's actor. */
export const SQL_CANCEL_COMMAND = `
  UPDATE gateway_commands c SET status = 'canceled', completed_at = now(),
         error = jsonb_build_object('code', 'canceled', 'message', 'Canceled before it was sent')
   WHERE c.id = $1 AND c.status = 'queued'
  RETURNING ${COMMAND_COLUMNS}`;

/**
 * $1 [{gateway_id, seq, boot_id, resend}] as JSON: the gateways whose sockets this instance
 * holds, with the connection's sequence number and boot id. A command is claimed only by the
 * gateway's current connection (`gateways.connection_seq`), so of two instances that both
 * think they hold a socket only the newest sends. For each:
 * - queued and not expired → sent (`attempt` + 1, `sent_at`, `deadline_at`, boot id);
 * - with `resend` (a new session came): sent or accepted → sent again (`attempt` + 1), except a
 *   `gateway.reboot` sent under another boot id, which succeeded: the gateway came back rebooted.
 * Rows are locked in id order and skipped when locked (a report or the sweep has them; the next
 * run takes them). Returns what was claimed; the caller sends the ones not finished.
 */
export const SQL_DISPATCH = `
  WITH v AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(gateway_id uuid, seq bigint, boot_id uuid, resend boolean)
  ), live AS MATERIALIZED (
    SELECT v.* FROM v JOIN gateways g ON g.id = v.gateway_id AND g.connection_seq = v.seq AND g.status <> 'disabled'
  ), picked AS MATERIALIZED (
    SELECT c.id, live.boot_id,
           (c.type = 'gateway.reboot' AND c.status IN ('sent', 'accepted') AND c.sent_boot_id IS DISTINCT FROM live.boot_id) AS rebooted
      FROM gateway_commands c JOIN live ON live.gateway_id = c.gateway_id
     WHERE (c.status = 'queued' AND c.expires_at > now()) OR (live.resend AND c.status IN ('sent', 'accepted'))
     ORDER BY c.id
       FOR NO KEY UPDATE OF c SKIP LOCKED
  )
  UPDATE gateway_commands c SET
    status = CASE WHEN p.rebooted THEN 'succeeded' WHEN c.status = 'queued' THEN 'sent' ELSE c.status END,
    attempt = CASE WHEN p.rebooted THEN c.attempt ELSE c.attempt + 1 END,
    sent_at = COALESCE(c.sent_at, now()),
    deadline_at = COALESCE(c.deadline_at, now() + make_interval(secs => c.timeout_s)),
    sent_boot_id = COALESCE(c.sent_boot_id, p.boot_id),
    completed_at = CASE WHEN p.rebooted THEN now() ELSE c.completed_at END,
    result = CASE WHEN p.rebooted THEN jsonb_build_object('boot_id', p.boot_id, 'previous_boot_id', c.sent_boot_id) ELSE c.result END
  FROM picked p
  WHERE c.id = p.id
  RETURNING c.id, c.gateway_id, c.type, c.params, c.status, c.attempt, c.deadline_at`;

/** $1 instance: gateways whose connection it holds that have a command waiting to be sent. */
export const SQL_QUEUED_HERE = `
  SELECT DISTINCT c.gateway_id FROM gateway_commands c JOIN gateways g ON g.id = c.gateway_id
   WHERE c.status = 'queued' AND c.expires_at > now() AND g.connection_instance = $1`;

/**
 * $1 [{id, gateway_id}] as JSON: the commands gateways reported on, each only if it is the
 * reporting gateway's, locked in id order for the change the rules decide (command-rules.ts).
 */
export const SQL_LOCK_REPORTED = `
  SELECT c.id, c.gateway_id, c.type, c.status, c.late_result IS NOT NULL AS has_late_result
    FROM gateway_commands c JOIN jsonb_to_recordset($1::jsonb) AS v(id uuid, gateway_id uuid) ON c.id = v.id AND c.gateway_id = v.gateway_id
   ORDER BY c.id
     FOR NO KEY UPDATE OF c`;

/** $1 [{id, status, set_accepted, set_completed, set_result, result, error, late}] as JSON: the changes, on the database's clock. */
export const SQL_APPLY_REPORTS = `
  UPDATE gateway_commands c SET
    status = COALESCE(v.status, c.status),
    accepted_at = CASE WHEN v.set_accepted THEN now() ELSE c.accepted_at END,
    completed_at = CASE WHEN v.set_completed THEN now() ELSE c.completed_at END,
    result = CASE WHEN v.set_result THEN v.result ELSE c.result END,
    error = COALESCE(v.error, c.error),
    late_result = CASE WHEN v.late IS NOT NULL
                       THEN v.late || jsonb_build_object('received_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                       ELSE c.late_result END
  FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, status text, set_accepted boolean, set_completed boolean, set_result boolean, result jsonb, error jsonb, late jsonb)
  WHERE c.id = v.id`;

/**
 * Ends what ran out of time, at most 1,000 of each kind per run: queued past `expires_at` →
 * expired; sent or accepted past `deadline_at` → timed_out. Locked rows are skipped (their
 * report is being written; the next sweep judges them again).
 */
export const SQL_SWEEP = `
  WITH due AS MATERIALIZED (
    (SELECT id FROM gateway_commands WHERE status = 'queued' AND expires_at <= now() ORDER BY expires_at LIMIT 1000)
    UNION ALL
    (SELECT id FROM gateway_commands WHERE status IN ('sent', 'accepted') AND deadline_at <= now() ORDER BY deadline_at LIMIT 1000)
  ), locked AS MATERIALIZED (
    SELECT c.id FROM gateway_commands c JOIN due ON due.id = c.id ORDER BY c.id FOR NO KEY UPDATE OF c SKIP LOCKED
  )
  UPDATE gateway_commands c SET
    status = CASE WHEN c.status = 'queued' THEN 'expired' ELSE 'timed_out' END,
    completed_at = now(),
    error = CASE WHEN c.status = 'queued'
                 THEN jsonb_build_object('code', 'expired', 'message', 'Not delivered before expires_at: the gateway was not connected')
                 ELSE jsonb_build_object('code', 'timed_out', 'message', 'No result within timeout_s of sent_at') END
  FROM locked
  WHERE c.id = locked.id
    AND ((c.status = 'queued' AND c.expires_at <= now()) OR (c.status IN ('sent', 'accepted') AND c.deadline_at <= now()))
  RETURNING c.status`;

/** $1 days: finished commands older than the event retention go, at most 1,000 per run. */
export const SQL_PURGE_FINISHED = `
  DELETE FROM gateway_commands WHERE id IN (
    SELECT id FROM gateway_commands WHERE completed_at < now() - make_interval(days => $1) LIMIT 1000)`;
