import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Sql } from '../database/sql';
import { GenerateSql, IN_TRANSACTION, SAMPLE_UUID } from '../database/sql-snapshot';
import { apiTime } from '../gateways/gateway.sql';
import type { DeliveryStatus } from './webhook-delivery.entity';

/** An attempt as the delivery log shows it. */
export interface DeliveryRow {
  id: string;
  position: string;
  event_id: string;
  event_type: string;
  attempt: number;
  status: DeliveryStatus;
  response_status: number | null;
  error: string | null;
  duration_ms: number | null;
  attempted_at: string | null;
  next_attempt_at: string | null;
}

/** An attempt this instance has leased and must make now. */
export interface ClaimedAttempt {
  id: string;
  webhook_id: string;
  event_id: string;
  attempt: number;
  body: string;
  url: string;
  enabled: boolean;
  secret: string;
  /** Signs too while the rotation's 24 h run. */
  previous_secret: string | null;
}

export interface AttemptOutcome {
  id: string;
  instanceId: string;
  status: 'succeeded' | 'failed';
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
  /** Seconds from attemptedAt to the retry; null: no retry. */
  retryInS: number | null;
  /** The receiver answered 410: disable the endpoint. */
  gone: boolean;
  disableAfterDays: number;
}

const DELIVERY_COLUMNS = `id, position::text AS position, event_id, event_type, attempt, status, response_status, error, duration_ms,
  ${apiTime('attempted_at', 'attempted_at')}, ${apiTime('next_attempt_at', 'next_attempt_at')}`;

/** The body every attempt of an event's delivery sends: the event as GET /api/v1/events shows it. */
const EVENT_BODY = `jsonb_build_object('id', ev.id, 'seq', ev.seq, 'type', ev.type,
  'occurred_at', to_char(ev.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
  'org_id', ev.org_id, 'site_id', ev.site_id, 'gateway_id', ev.gateway_id, 'data', ev.data)::text`;

/**
 * $1 the cursor's last_seq, $2 batch: a delivery (first attempt, due now) for every enabled
 * webhook that wants each event after the cursor — by org, type and site — and the cursor moved
 * past them, in one statement. Runs while the cursor row is locked (dispatchBatch).
 */
const SQL_DISPATCH = `
  WITH ev AS (
    SELECT * FROM gateway_events WHERE seq > $1::bigint ORDER BY seq LIMIT $2
  ), made AS (
    INSERT INTO webhook_deliveries (webhook_id, org_id, event_id, event_type, body, attempt, status, next_attempt_at)
    SELECT w.id, w.org_id, ev.id, ev.type, ${EVENT_BODY}, 1, 'pending', now()
      FROM ev JOIN webhooks w
        ON w.org_id = ev.org_id AND w.enabled
       AND ('*' = ANY(w.event_types) OR ev.type = ANY(w.event_types))
       AND (w.site_ids IS NULL OR ev.site_id = ANY(w.site_ids))
     ORDER BY ev.seq
    RETURNING 1
  )
  UPDATE webhook_dispatch_cursor SET last_seq = COALESCE((SELECT max(seq) FROM ev), last_seq)
   WHERE id = 1
  RETURNING (SELECT count(*) FROM ev)::int AS events, (SELECT count(*) FROM made)::int AS deliveries`;

/**
 * $1 how many, $2 lease seconds, $3 this instance: leases attempts that are due and not leased
 * (or whose lease ran out: the instance that held it died), oldest due first. Rows another
 * instance is leasing are skipped, so each attempt is made by one instance.
 */
const SQL_CLAIM = `
  UPDATE webhook_deliveries d SET lease_until = now() + make_interval(secs => $2), leased_by = $3
    FROM webhooks w
   WHERE w.id = d.webhook_id AND d.id IN (
     SELECT id FROM webhook_deliveries
      WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
      ORDER BY next_attempt_at LIMIT $1
      FOR UPDATE SKIP LOCKED)
  RETURNING d.id, d.webhook_id, d.event_id, d.attempt, d.body, w.url, w.enabled, w.secret,
            CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous_secret`;

/**
 * Writes an attempt's outcome — only while this instance still holds its lease — with, in the
 * same statement, the retry it calls for and the endpoint's failure streak: a success ends it; a
 * 410, or a streak longer than WEBHOOK_DISABLE_AFTER_DAYS, disables the endpoint.
 */
const SQL_RECORD = `
  WITH done AS (
    UPDATE webhook_deliveries SET status = $2, response_status = $3, error = $4, duration_ms = $5, attempted_at = $6,
           next_attempt_at = CASE WHEN $7::float8 IS NULL THEN NULL ELSE $6::timestamptz + make_interval(secs => $7::float8) END,
           lease_until = NULL, leased_by = NULL
     WHERE id = $1 AND leased_by = $8 AND status = 'pending'
    RETURNING webhook_id, org_id, event_id, event_type, body, attempt, next_attempt_at
  ), retry AS (
    INSERT INTO webhook_deliveries (webhook_id, org_id, event_id, event_type, body, attempt, status, next_attempt_at)
    SELECT webhook_id, org_id, event_id, event_type, body, attempt + 1, 'pending', next_attempt_at FROM done WHERE next_attempt_at IS NOT NULL
  ), next AS (
    SELECT w.id, CASE WHEN $2 = 'succeeded' THEN NULL ELSE COALESCE(w.failing_since, $6::timestamptz) END AS failing_since
      FROM webhooks w JOIN done ON done.webhook_id = w.id
  ), streak AS (
    SELECT id, failing_since, COALESCE(failing_since < now() - make_interval(days => $10), false) AS too_long FROM next
  ), hook AS (
    UPDATE webhooks w SET failing_since = streak.failing_since,
           enabled = w.enabled AND NOT $9::boolean AND NOT streak.too_long,
           disabled_reason = CASE WHEN NOT w.enabled THEN w.disabled_reason WHEN $9::boolean THEN 'gone'
                                  WHEN streak.too_long THEN 'failing' ELSE w.disabled_reason END
      FROM streak WHERE w.id = streak.id
       -- Only when something changes: a success of a healthy endpoint leaves its row (and its lock) alone.
       AND (w.failing_since IS DISTINCT FROM streak.failing_since OR $9::boolean OR streak.too_long)
  )
  SELECT count(*)::int AS n FROM done`;

/** $1 webhook, $2 org, $3 event id, $4 event type, $5 body: one attempt, due now (a test event or a redelivery). */
const SQL_ENQUEUE = `
  INSERT INTO webhook_deliveries (webhook_id, org_id, event_id, event_type, body, attempt, status, next_attempt_at)
  VALUES ($1, $2, $3, $4, $5, 1, 'pending', now())
  RETURNING ${DELIVERY_COLUMNS}`;

/** The delivery log (webhook_deliveries) and the dispatch cursor: also the work queue of the delivery workers. */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly sql: Sql) {}

  /** Turns up to `batch` events into deliveries; null when another instance is dispatching. */
  @GenerateSql([1000, IN_TRANSACTION])
  async dispatchBatch(batch: number, manager: EntityManager): Promise<{ events: number; deliveries: number } | null> {
    const [cursor] = await this.sql.rows<{ last_seq: string }>('SELECT last_seq::text AS last_seq FROM webhook_dispatch_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED', [], manager);
    if (!cursor) return null;
    const [row] = await this.sql.rows<{ events: number; deliveries: number }>(SQL_DISPATCH, [cursor.last_seq, batch], manager);
    return row ?? { events: 0, deliveries: 0 };
  }

  @GenerateSql([32, 40, SAMPLE_UUID])
  claim(limit: number, leaseS: number, instanceId: string): Promise<ClaimedAttempt[]> {
    return this.sql.rows<ClaimedAttempt>(SQL_CLAIM, [limit, leaseS, instanceId]);
  }

  /** False when the lease was lost (the attempt took longer than it): the outcome is not written. */
  @GenerateSql([{ id: SAMPLE_UUID, instanceId: SAMPLE_UUID, status: 'failed', responseStatus: 500, error: 'HTTP 500', durationMs: 12, attemptedAt: new Date('2026-04-21T14:00:00Z'), retryInS: 5, gone: false, disableAfterDays: 5 }])
  async record(o: AttemptOutcome): Promise<boolean> {
    const [row] = await this.sql.rows<{ n: number }>(SQL_RECORD, [
      o.id, o.status, o.responseStatus, o.error, o.durationMs, o.attemptedAt, o.retryInS, o.instanceId, o.gone, o.disableAfterDays,
    ]);
    return row.n === 1;
  }

  /** Attempts due and not leased (waiting for a worker), and how long the oldest of them has waited. */
  @GenerateSql([])
  async backlog(): Promise<{ due: number; oldestWaitS: number }> {
    const [row] = await this.sql.rows<{ due: number; oldest_wait_s: number }>(
      `SELECT count(*)::int AS due, COALESCE(EXTRACT(EPOCH FROM now() - min(next_attempt_at)), 0)::float8 AS oldest_wait_s
         FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())`,
    );
    return { due: row.due, oldestWaitS: row.oldest_wait_s };
  }

  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID, SAMPLE_UUID, 'webhook.test', '{}'])
  async enqueue(webhookId: string, orgId: string, eventId: string, eventType: string, body: string): Promise<DeliveryRow> {
    const [row] = await this.sql.rows<DeliveryRow>(SQL_ENQUEUE, [webhookId, orgId, eventId, eventType, body]);
    return row;
  }

  /**
   * A page of the webhook's attempts, oldest first, after the `position` cursor. The ORDER BY
   * names the table's column: unqualified, it would be the text alias of the select list, and
   * position 10 would sort before 9.
   */
  @GenerateSql([SAMPLE_UUID, null, '0', 100], [SAMPLE_UUID, 'failed', '42', 100])
  list(webhookId: string, status: DeliveryStatus | null, after: string, limit: number): Promise<DeliveryRow[]> {
    const params: unknown[] = [webhookId, after, limit];
    let where = 'webhook_id = $1 AND position > $2::bigint';
    if (status) {
      params.push(status);
      where += ` AND status = $4`;
    }
    return this.sql.rows<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE ${where} ORDER BY webhook_deliveries.position LIMIT $3`, params);
  }

  /** An attempt of the webhook, with the body it sent (for a redelivery). */
  @GenerateSql([SAMPLE_UUID, SAMPLE_UUID])
  async findInWebhook(id: string, webhookId: string): Promise<{ event_id: string; event_type: string; body: string } | undefined> {
    const [row] = await this.sql.rows<{ event_id: string; event_type: string; body: string }>(
      'SELECT event_id, event_type, body FROM webhook_deliveries WHERE id = $1 AND webhook_id = $2',
      [id, webhookId],
    );
    return row;
  }
}
