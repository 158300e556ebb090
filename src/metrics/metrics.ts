import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a sampled gauge reads when scraped; NaN when its source could not tell (the database is gone). */
export type Sample = () => number | Promise<number>;

/** Longest a sampled gauge waits for its source when scraped. */
const SAMPLE_TIMEOUT_MS = 2000;

/** Close codes kept as their own label value; any other code a peer sends is counted as "other". */
const KNOWN_CLOSE_CODES = new Set([1000, 1001, 1005, 1006, 1008, 1009, 1011, 4401, 4403, 4404, 4409]);

export const closeCodeLabel = (code: number): string => (KNOWN_CLOSE_CODES.has(code) ? String(code) : 'other');

/**
 * Every figure the service exposes to Prometheus (docs/operations.md lists them), in one registry
 * per application (tests run several in one process). Counters and histograms are moved by their
 * owners as things happen; gauges of state (connected gateways, pool, queue depth) are read from
 * a source the owner registers with `sample`, when scraped. Label values are bounded: route
 * templates, never raw paths; known close codes; statuses.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly samples = new Map<string, Sample>();

  // Gateway WebSocket
  readonly gatewaysConnected = this.sampled('novavms_gateways_connected', 'Gateways with an open WebSocket on this instance');
  readonly framesReceived = new Counter({ name: 'novavms_ws_frames_received_total', help: 'Gateway frames received, by event (unknown: an event the service does not take)', labelNames: ['event'], registers: [this.registry] });
  readonly errorFrames = new Counter({ name: 'novavms_ws_error_frames_total', help: 'Error frames sent to gateways, by reason', labelNames: ['reason'], registers: [this.registry] });
  readonly closes = new Counter({ name: 'novavms_ws_closes_total', help: 'Gateway WebSockets closed, by close code (other: a code not listed in docs/operations.md)', labelNames: ['code'], registers: [this.registry] });
  readonly upgradesRefused = new Counter({ name: 'novavms_ws_upgrades_refused_total', help: 'WebSocket upgrades refused, by HTTP status', labelNames: ['status'], registers: [this.registry] });
  readonly claimBatchSize = new Histogram({ name: 'novavms_connection_claims_per_statement', help: 'Upgrades whose connection claim one statement made', buckets: [1, 10, 100, 500, 1000, 2000], registers: [this.registry] });
  readonly claimWait = new Histogram({ name: 'novavms_connection_claim_wait_seconds', help: 'From an upgrade asking for its connection claim to the answer', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
  readonly claimsWaiting = this.sampled('novavms_connection_claims_waiting', 'Upgrades waiting for their connection claim');

  // Ingest flush and liveness
  readonly flushDuration = new Histogram({ name: 'novavms_flush_duration_seconds', help: 'Duration of a telemetry flush (frames and watermark), failed ones included', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry] });
  readonly flushRows = new Histogram({ name: 'novavms_flush_rows', help: 'Gateways written by one telemetry flush', buckets: [1, 10, 100, 1000, 5000, 10000, 50000], registers: [this.registry] });
  readonly flushFailures = new Counter({ name: 'novavms_flush_failures_total', help: 'Telemetry flushes that failed (their frames are kept for the next one)', registers: [this.registry] });
  readonly oldestUnflushedAge = this.sampled('novavms_oldest_unflushed_frame_age_seconds', 'Age of the oldest frame received and not yet written (0 when none is waiting)');
  readonly livenessOffline = new Counter({ name: 'novavms_liveness_offline_total', help: 'Gateways the liveness sweep of this instance marked offline (no heartbeat for OFFLINE_AFTER_S)', registers: [this.registry] });

  // Signals
  readonly signalUp = this.sampled('novavms_signal_connection_up', '1 while the LISTEN connection for cross-instance signals is up');
  readonly signalReconnects = new Counter({ name: 'novavms_signal_reconnects_total', help: 'Times the LISTEN connection was re-established after a loss', registers: [this.registry] });

  // HTTP and the pool
  readonly httpDuration = new Histogram({ name: 'novavms_http_request_duration_seconds', help: 'HTTP requests, by method, route template (unmatched: no route) and status', labelNames: ['method', 'route', 'status'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
  readonly poolTotal = this.sampled('novavms_db_pool_connections', 'Connections of the PostgreSQL pool');
  readonly poolIdle = this.sampled('novavms_db_pool_idle', 'Idle connections of the PostgreSQL pool');
  readonly poolWaiting = this.sampled('novavms_db_pool_waiting', 'Queries waiting for a connection of the PostgreSQL pool');

  // Pairing
  readonly pairingRequests = new Counter({ name: 'novavms_pairing_requests_total', help: 'POST /api/v1/gateways/pair answers, by status', labelNames: ['status'], registers: [this.registry] });
  readonly pairingGuessRefusals = new Counter({ name: 'novavms_pairing_guess_refusals_total', help: 'Pair calls refused (429) because their address is over its guess limit', registers: [this.registry] });

  // Webhooks
  readonly webhookAttempts = new Counter({ name: 'novavms_webhook_attempts_total', help: 'Webhook delivery attempts made by this instance, by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly webhookQueueDepth = this.sampled('novavms_webhook_queue_depth', 'Webhook attempts due and not yet taken by a worker (all instances)');
  readonly webhookLag = this.sampled('novavms_webhook_delivery_lag_seconds', 'How long the oldest due webhook attempt has waited (0 when none is due)');

  // Remote commands (v1.3)
  readonly commandsSent = new Counter({ name: 'novavms_commands_sent_total', help: 'Command frames this instance sent to gateways (a resend after a reconnect counts again)', registers: [this.registry] });
  readonly commandsEnded = new Counter({ name: 'novavms_commands_ended_total', help: 'Commands this instance moved to an end state, by status', labelNames: ['status'], registers: [this.registry] });
  readonly commandTargets = this.sampled('novavms_command_targets', 'Gateways connected to this instance that declared commands.v1');
  readonly commandReportsWaiting = this.sampled('novavms_command_reports_waiting', 'Command acks and results received and not yet written');

  // Gateway configuration (v1.3)
  readonly configsSent = new Counter({ name: 'novavms_configs_sent_total', help: 'Configuration documents this instance pushed to gateways', registers: [this.registry] });
  readonly configReports = new Counter({ name: 'novavms_config_reports_total', help: 'Configuration reports this instance wrote or refused, by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly configTargets = this.sampled('novavms_config_targets', 'Gateways connected to this instance that declared config.v1');

  // Gateway credentials (v1.3)
  readonly keysSent = new Counter({ name: 'novavms_rotation_keys_sent_total', help: 'New keys of key rotations this instance sent to gateways (a resend draws a new key and counts again)', registers: [this.registry] });
  readonly replacements = new Counter({ name: 'novavms_connection_replacements_total', help: 'Gateway connections this instance closed because a newer connection of the gateway replaced them (4409)', registers: [this.registry] });
  readonly credentialConflicts = new Counter({ name: 'novavms_credential_conflicts_total', help: 'gateway.credential_conflict events this instance wrote (one key used by two boxes)', registers: [this.registry] });

  private defaults = false;

  /** Node's own figures (CPU, memory, event loop, GC, handles), once the listener is on. */
  collectDefaults(): void {
    if (this.defaults) return;
    this.defaults = true;
    collectDefaultMetrics({ register: this.registry });
  }

  /** Registers what a sampled gauge reads when scraped. */
  sample(gauge: Gauge, source: Sample): void {
    this.samples.set((gauge as unknown as { name: string }).name, source);
  }

  private sampled(name: string, help: string): Gauge {
    const samples = this.samples;
    return new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        const source = samples.get(name);
        if (!source) return;
        // A source that does not answer in time (a database that is gone) reads NaN, so that
        // the scrape itself never waits for the pool's connect timeout.
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Number.NaN), SAMPLE_TIMEOUT_MS)));
        try {
          this.set(await Promise.race([Promise.resolve().then(source), late]));
        } catch {
          this.set(Number.NaN);
        } finally {
          clearTimeout(timer);
        }
      },
    });
  }
}
