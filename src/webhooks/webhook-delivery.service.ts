import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InstanceIdentity } from '../common/instance-identity';
import { drainInBatches } from '../common/drain';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/config';
import { Metrics } from '../metrics/metrics';
import { Transactions } from '../database/transactions';
import { signatureHeader } from './signature';
import { ClaimedAttempt, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { sendWebhook } from './webhook-sender';

const DISPATCH_BATCH = 1000;
/** How long a stopping instance waits for its attempts in flight. */
const SHUTDOWN_GRACE_MS = 2000;
const DISPATCH_BATCHES_PER_RUN = 20;
/**
 * A lease lasts twice the attempt's timeout and 5 s more: an attempt (bounded by the timeout)
 * never outlives it, and the attempt of an instance that died is made again that soon.
 */
const leaseSeconds = (timeoutMs: number) => Math.ceil((2 * timeoutMs) / 1000) + 5;

/**
 * Delivers events to webhooks, on every instance:
 * - the dispatcher turns newly numbered events into deliveries (one instance at a time: it holds
 *   the dispatch cursor's row), so each event becomes one delivery per matching webhook;
 * - the workers lease due attempts (FOR UPDATE SKIP LOCKED; a lease outlives the attempt's
 *   timeout, and an instance that dies leaves its leases to expire), sign and POST them, and
 *   write the outcome with the retry it calls for, only while they still hold the lease.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly dispatcher: PeriodicTask;
  private readonly worker: PeriodicTask;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly leaseS: number;
  private readonly schedule: number[];

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly transactions: Transactions,
    private readonly config: AppConfig,
    private readonly instance: InstanceIdentity,
    private readonly metrics: Metrics,
  ) {
    this.leaseS = leaseSeconds(config.WEBHOOK_TIMEOUT_MS);
    // One query per scrape for both gauges.
    let backlog: { at: number; read: Promise<{ due: number; oldestWaitS: number }> } | undefined;
    const read = () => {
      if (!backlog || performance.now() - backlog.at > 1000) backlog = { at: performance.now(), read: this.deliveries.backlog() };
      return backlog.read;
    };
    metrics.sample(metrics.webhookQueueDepth, async () => (await read()).due);
    metrics.sample(metrics.webhookLag, async () => (await read()).oldestWaitS);
    this.schedule = config.webhookRetryScheduleS;
    this.dispatcher = new PeriodicTask('webhook dispatch', config.WEBHOOK_POLL_INTERVAL_MS, () => this.dispatch(), this.logger);
    this.worker = new PeriodicTask('webhook delivery', config.WEBHOOK_POLL_INTERVAL_MS, () => this.work(), this.logger);
  }

  onModuleInit(): void {
    this.dispatcher.start();
    this.worker.start();
  }

  /**
   * Stops taking work and gives the attempts in flight a moment to finish and be written; one
   * still running after that is abandoned to its lease (another instance makes it again), so a
   * slow receiver cannot hold the shutdown past its deadline.
   */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.dispatcher.stop(), this.worker.stop()]);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.all([...this.inFlight]), grace]);
    clearTimeout(timer);
  }

  /** Makes deliveries of the events numbered since the last run; returns how many events were read. */
  async dispatch(): Promise<number> {
    // null from a batch: another instance is dispatching.
    const events = await drainInBatches(DISPATCH_BATCH, DISPATCH_BATCHES_PER_RUN, async () => {
      const done = await this.transactions.run((m) => this.deliveries.dispatchBatch(DISPATCH_BATCH, m));
      return done && done.events;
    });
    if (events > 0) void this.worker.runNow();
    return events;
  }

  /** Leases as many due attempts as there are free workers and starts them. */
  async work(): Promise<number> {
    const free = this.config.WEBHOOK_CONCURRENCY - this.inFlight.size;
    if (free <= 0) return 0;
    const claimed = await this.deliveries.claim(free, this.leaseS, this.instance.id);
    for (const attempt of claimed) {
      const running: Promise<void> = this.attempt(attempt).finally(() => {
        this.inFlight.delete(running);
        void this.worker.runNow();
      });
      this.inFlight.add(running);
    }
    return claimed.length;
  }

  /** One attempt, start to end. Never rejects: a failure to write its outcome leaves the lease to expire and the attempt to be made again. */
  private async attempt(a: ClaimedAttempt): Promise<void> {
    try {
      const attemptedAt = new Date();
      const result = a.enabled
        ? await sendWebhook(a.url, this.headers(a, attemptedAt), a.body, {
            timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
            allowPrivateTargets: this.config.webhookAllowPrivateTargets,
          })
        : { status: null, error: 'endpoint disabled', durationMs: 0 };
      const succeeded = result.status !== null && result.status >= 200 && result.status < 300;
      const gone = result.status === 410;
      const retryInS = !succeeded && !gone && a.enabled && a.attempt <= this.schedule.length ? this.schedule[a.attempt - 1] : null;
      const written = await this.deliveries.record({
        id: a.id,
        instanceId: this.instance.id,
        status: succeeded ? 'succeeded' : 'failed',
        responseStatus: result.status,
        error: result.error,
        durationMs: result.durationMs,
        attemptedAt,
        retryInS,
        gone,
        disableAfterDays: this.config.WEBHOOK_DISABLE_AFTER_DAYS,
      });
      this.metrics.webhookAttempts.inc({ outcome: !a.enabled ? 'endpoint_disabled' : succeeded ? 'succeeded' : gone ? 'gone' : 'failed' });
      if (!written) this.logger.warn(`webhook ${a.webhook_id}: attempt ${a.id} outlived its lease; its outcome was not written`);
      if (gone) this.logger.warn(`webhook ${a.webhook_id} answered 410 Gone: disabled`);
    } catch (e) {
      this.logger.warn(`webhook ${a.webhook_id}: attempt ${a.id} not written (${String(e)}); it is made again when its lease ends`);
    }
  }

  private headers(a: ClaimedAttempt, at: Date): Record<string, string> {
    const timestamp = Math.floor(at.getTime() / 1000);
    const secrets = a.previous_secret ? [a.secret, a.previous_secret] : [a.secret];
    return { 'webhook-id': a.event_id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureHeader(secrets, a.event_id, timestamp, a.body) };
  }
}
