import { apiTime } from '../gateways/gateway.sql';

/** A key's state as the API shows it: a retiring key past its grace is revoked. */
const SHOWN_STATE = `CASE WHEN k.state = 'retiring' AND k.expires_at <= now() THEN 'revoked' ELSE k.state END`;

/**
 * $1 gateway id, $2 how many: its newest keys, listed oldest first. A rotation's key is listed
 * once the gateway has used it: before, pending, it is not the gateway's key, and revoked unused
 * (its rotation canceled) it never was.
 */
export const SQL_LIST_KEYS = `
  SELECT id, state, ${apiTime('created', 'created_at')}, ${apiTime('used', 'last_used_at')}, last_peer_address, ${apiTime('expires', 'expires_at')}
    FROM (SELECT k.id, ${SHOWN_STATE} AS state, k.created_at AS created, k.last_used_at AS used, k.last_peer_address,
                 CASE WHEN k.state = 'retiring' AND k.expires_at > now() THEN k.expires_at END AS expires
            FROM gateway_keys k
           WHERE k.gateway_id = $1 AND (k.rotation_id IS NULL OR k.last_used_at IS NOT NULL)
           ORDER BY k.created_at DESC, k.id DESC
           LIMIT $2) newest
   ORDER BY created, id`;

/**
 * $1 gateway id, whose row the caller's transaction has locked: every key of it that could still
 * be used is revoked, and a rotation not finished is canceled. Returns the keys revoked.
 */
export const SQL_REVOKE_KEYS = `
  WITH canceled AS (
    UPDATE gateway_key_rotations SET status = 'canceled' WHERE gateway_id = $1 AND status IN ('pending', 'sent', 'acknowledged')
  )
  UPDATE gateway_keys k SET state = 'revoked', revoked_at = now()
   WHERE k.gateway_id = $1 AND k.state <> 'revoked'
  RETURNING k.id`;

/** $1 org id, $2 gateway id, $3 key hash: the gateway's new active key. */
export const SQL_INSERT_ACTIVE_KEY = `
  INSERT INTO gateway_keys (org_id, gateway_id, key_hash, state) VALUES ($1, $2, $3, 'active') RETURNING id`;

/** $1 gateway id, $2 org id: its unfinished rotation. */
export const SQL_UNFINISHED_ROTATION = `
  SELECT id, status FROM gateway_key_rotations WHERE gateway_id = $1 AND org_id = $2 AND status IN ('pending', 'sent', 'acknowledged')`;

/** $1 org id, $2 gateway id, $3 grace in seconds, $4 actor. */
export const SQL_INSERT_ROTATION = `
  INSERT INTO gateway_key_rotations (org_id, gateway_id, grace_s, actor) VALUES ($1, $2, $3, $4) RETURNING id, status`;

/** $1 gateway ids: the unfinished rotation of each that has one. */
export const SQL_UNFINISHED_OF = `
  SELECT r.id, r.gateway_id, r.status, r.sent_seq::text AS sent_seq, k.id AS pending_key_id
    FROM gateway_key_rotations r LEFT JOIN gateway_keys k ON k.rotation_id = r.id AND k.state = 'pending'
   WHERE r.gateway_id = ANY($1::uuid[]) AND r.status IN ('pending', 'sent', 'acknowledged')`;

/** $1 this instance: gateways whose newest connection it holds and whose unfinished rotation was not sent on that connection (a lost signal). */
export const SQL_UNSENT_HERE = `
  SELECT r.gateway_id FROM gateway_key_rotations r JOIN gateways g ON g.id = r.gateway_id
   WHERE r.status IN ('pending', 'sent', 'acknowledged') AND g.connection_instance = $1
     AND r.sent_seq IS DISTINCT FROM g.connection_seq`;

/**
 * $1 [{rotationId, gatewayId, seq, keyHash}] as JSON: for each rotation still unfinished whose
 * gateway's newest connection is `seq`, the freshly drawn key becomes the rotation's pending key
 * (replacing the one sent before, which was never used) and the rotation is `sent` on that
 * connection. The gateway rows are locked first, in id order, as every writer of a gateway's keys
 * does (a connection claim never waits for them: it skips a locked gateway and asks again).
 * Returns the rotations to send.
 */
export const SQL_ISSUE_KEYS = `
  WITH item AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS i("rotationId" uuid, "gatewayId" uuid, seq bigint, "keyHash" text)
  ), locked AS MATERIALIZED (
    SELECT g.id FROM gateways g JOIN item ON item."gatewayId" = g.id AND g.connection_seq = item.seq
     ORDER BY g.id
       FOR NO KEY UPDATE OF g
  ), rotation AS (
    UPDATE gateway_key_rotations r SET status = 'sent', sent_at = now(), sent_seq = item.seq, acknowledged_at = NULL
      FROM item JOIN locked ON locked.id = item."gatewayId"
     WHERE r.id = item."rotationId" AND r.gateway_id = item."gatewayId" AND r.status IN ('pending', 'sent', 'acknowledged')
     RETURNING r.id, r.org_id, r.gateway_id, item."keyHash" AS key_hash
  ), redrawn AS (
    UPDATE gateway_keys k SET key_hash = rotation.key_hash, created_at = now()
      FROM rotation
     WHERE k.rotation_id = rotation.id AND k.state = 'pending'
     RETURNING k.rotation_id
  ), drawn AS (
    INSERT INTO gateway_keys (org_id, gateway_id, key_hash, state, rotation_id)
    SELECT rotation.org_id, rotation.gateway_id, rotation.key_hash, 'pending', rotation.id FROM rotation
     WHERE NOT EXISTS (SELECT 1 FROM redrawn WHERE redrawn.rotation_id = rotation.id)
  )
  SELECT id, gateway_id FROM rotation`;

/** $1 rotation id, $2 gateway id, $3 connection seq: the gateway stored the key sent on that connection. */
export const SQL_ACKNOWLEDGE = `
  UPDATE gateway_key_rotations SET status = 'acknowledged', acknowledged_at = now()
   WHERE id = $1 AND gateway_id = $2 AND sent_seq = $3::bigint AND status = 'sent'
  RETURNING id`;

/** The connections a conflict event names at most. */
export const MAX_CONFLICT_PEERS = 10;

/** $1 replacements [{gatewayId, replacedSeq, bySeq, peer, bootId}] as JSON (of gateways that may have been deleted meanwhile). */
export const SQL_INSERT_REPLACEMENTS = `
  INSERT INTO gateway_replacements (gateway_id, replaced_seq, by_seq, peer_address, boot_id)
  SELECT r."gatewayId", r."replacedSeq", r."bySeq", left(r.peer, 64), r."bootId"
    FROM jsonb_to_recordset($1::jsonb) AS r("gatewayId" uuid, "replacedSeq" bigint, "bySeq" bigint, peer text, "bootId" uuid)
   WHERE EXISTS (SELECT 1 FROM gateways g WHERE g.id = r."gatewayId")
  ON CONFLICT DO NOTHING`;

/** Replacements older than the detection window are of no more use. */
export const SQL_PURGE_REPLACEMENTS = `DELETE FROM gateway_replacements WHERE at < now() - interval '10 minutes'`;

/**
 * $1 gateway ids. A replacement is between two boxes when the connection replaced and the one
 * that replaced it (known once that one was replaced in turn) differ in client address, or in
 * boot id where both sent one. Three of them within 10 minutes are a conflict: written (and so a
 * `gateway.credential_conflict` event, by the GatewayCredentials migration's trigger) unless one
 * was written for the gateway in the 10 minutes before — the upsert's condition is evaluated on
 * the row as locked, so two instances writing at once write one. Returns the gateways written.
 */
export const SQL_RECORD_CONFLICTS = `
  WITH recent AS (
    SELECT * FROM gateway_replacements WHERE gateway_id = ANY($1::uuid[]) AND at >= now() - interval '10 minutes'
  ), crossing AS (
    SELECT a.gateway_id, a.peer_address AS a_peer, a.boot_id AS a_boot, b.peer_address AS b_peer, b.boot_id AS b_boot
      FROM recent a JOIN recent b ON b.gateway_id = a.gateway_id AND b.replaced_seq = a.by_seq
     WHERE a.peer_address <> b.peer_address OR (a.boot_id IS NOT NULL AND b.boot_id IS NOT NULL AND a.boot_id <> b.boot_id)
  ), conflict AS (
    SELECT c.gateway_id, count(*)::int AS replacements,
           (SELECT jsonb_agg(jsonb_build_object('peer_address', p.peer, 'boot_id', p.boot) ORDER BY p.peer, p.boot)
              FROM (SELECT x.a_peer AS peer, x.a_boot AS boot FROM crossing x WHERE x.gateway_id = c.gateway_id
                    UNION SELECT x.b_peer, x.b_boot FROM crossing x WHERE x.gateway_id = c.gateway_id
                    ORDER BY 1, 2 LIMIT ${MAX_CONFLICT_PEERS}) p) AS peers
      FROM crossing c GROUP BY c.gateway_id HAVING count(*) >= 3
  )
  INSERT INTO gateway_credential_conflicts AS cc (gateway_id, at, peers, replacements)
  SELECT gateway_id, now(), peers, replacements FROM conflict
  ON CONFLICT (gateway_id) DO UPDATE SET at = EXCLUDED.at, peers = EXCLUDED.peers, replacements = EXCLUDED.replacements
   WHERE cc.at <= now() - interval '10 minutes'
  RETURNING cc.gateway_id, cc.peers`;
